"""TenantInfo: the frozen snapshot of a tenant's routing data that the context holds (imports neither the registry nor the context)."""
from dataclasses import dataclass

from tenants.connections import alias_for


@dataclass(frozen=True)
class TenantInfo:
    """An immutable snapshot of a tenant's routing data, safe to cache and share across threads."""

    id: int
    slug: str
    name: str
    status: str
    database_url: str
    read_only: bool = False
    owner_email: str = ""  # the first owner's email (accounts.roles applies it in the tenant's DB)

    @property
    def alias(self):
        return alias_for(self)
