"""Tenant lifecycle (master actions): each one validated, all-or-nothing, and audited."""
import getpass
import re
from dataclasses import dataclass

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.validators import validate_email
from django.db import IntegrityError, transaction
from django.utils import timezone

from conduit.conf import conduit_settings
from conduit.exceptions import Conflict, Invalid
from tenants import provisioning
from tenants.connections import release_tenant
from tenants.models import AuditLog, Domain, Tenant
from tenants.selectors import tenant_get
from tenants.signals import tenant_purged

SLUG_RE = re.compile(r"^[a-z0-9](?:[a-z0-9-]{0,61}[a-z0-9])?$")
HOSTNAME_RE = re.compile(r"^(?=.{1,253}$)([a-z0-9](?:[a-z0-9-]{0,61}[a-z0-9])?\.)+[a-z][a-z0-9-]{0,61}[a-z0-9]$")


class TenantError(Invalid):
    """A lifecycle request that cannot be carried out (422); `field` names the input at fault."""

    def __init__(self, message, field="slug"):
        super().__init__(field, message)


class TenantConflict(Conflict, TenantError):
    """The request collides with what exists (a taken slug or domain, a state already reached): 409."""


@dataclass(frozen=True)
class Actor:
    """Who performs a master action: a username and a source IP (`cli` for commands)."""

    name: str
    source_ip: str = "cli"


def cli_actor() -> Actor:
    """The operator running a management command (any app's), named by the OS user."""
    try:
        return Actor(name=f"cli:{getpass.getuser()}", source_ip="cli")
    except Exception:
        return Actor(name="cli", source_ip="cli")


def audit_record(*, actor: Actor, action: str, target: str, detail: dict | None = None) -> AuditLog:
    return AuditLog.objects.create(
        actor=actor.name, action=action, target=target, source_ip=actor.source_ip,
        privilege=AuditLog.Level.MASTER, detail=detail or {},
    )


def validate_slug(slug: str) -> str:
    if not isinstance(slug, str) or not SLUG_RE.match(slug):
        raise TenantError(
            f"invalid slug {slug!r}: use 1-63 lowercase letters, digits and hyphens, not starting or ending with a hyphen"
        )
    if slug in conduit_settings.RESERVED_SLUGS:
        raise TenantError(f"slug '{slug}' is reserved; choose another")
    if Tenant.objects.filter(slug=slug).exists():
        raise TenantConflict(f"a tenant with slug '{slug}' already exists")
    return slug


def validate_domain(domain: str) -> str:
    domain = (domain or "").strip().lower().rstrip(".")
    if not HOSTNAME_RE.match(domain):
        raise TenantError(f"invalid domain {domain!r}", field="domains")
    base = settings.BASE_DOMAIN
    if domain == base or domain.endswith("." + base) or domain in settings.CONTROL_HOSTS:
        raise TenantError(f"domain '{domain}' belongs to the platform ({base}); register a custom domain", "domains")
    if Domain.objects.filter(domain=domain).exists():
        raise TenantConflict(f"domain '{domain}' is already registered to a tenant", field="domains")
    return domain


def validate_owner_email(email: str | None) -> str:
    """The first owner's email, normalised (lower case), or "" for none."""
    email = (email or "").strip().lower()
    if not email:
        return ""
    try:
        validate_email(email)
    except ValidationError:
        raise TenantError(f"invalid owner email {email!r}", field="owner_email") from None
    if len(email) > Tenant._meta.get_field("owner_email").max_length:
        raise TenantError("the owner email is too long", field="owner_email")
    return email


def tenant_create(
    *, slug: str, actor: Actor, name: str = "", domains: list[str] | tuple = (), database_url: str | None = None,
    owner_email: str | None = None,
) -> Tenant:
    """Validate, clone the template database, register; on any failure nothing is left behind.

    `owner_email` names the site's first owner: the tenant's user with that email becomes an owner when they
    register (or, for a user already there, when first seen: accounts.roles applies it in the tenant's DB).
    """
    slug = validate_slug((slug or "").strip())
    owner_email = validate_owner_email(owner_email)
    clean_domains = [validate_domain(d) for d in domains]
    if len(set(clean_domains)) != len(clean_domains):
        raise TenantError("the same domain is given twice", field="domains")
    url = provisioning.tenant_database_url(slug, database_url)
    try:
        provisioning.check_url(url)
        provisioning.database_create(url)
    except provisioning.ProvisioningError as exc:
        error = TenantConflict if isinstance(exc, provisioning.ProvisioningConflict) else TenantError
        raise error(str(exc), field="database_url") from exc
    try:
        with transaction.atomic():
            tenant = Tenant.objects.create(
                slug=slug, name=name or slug, database_url=url, owner_email=owner_email,
                schema_version=provisioning.schema_fingerprint(), migrated_at=timezone.now(),
            )
            for index, domain in enumerate(clean_domains):
                Domain.objects.create(tenant=tenant, domain=domain, is_primary=index == 0)
            audit_record(actor=actor, action="tenant.create", target=slug,
                         detail={"domains": clean_domains, "database": provisioning.redact(url),
                                 **({"owner_email": owner_email} if owner_email else {})})
    except BaseException as exc:
        provisioning.database_drop(url)
        if isinstance(exc, IntegrityError):
            raise TenantError(f"tenant '{slug}' or one of its domains was registered concurrently") from exc
        raise
    return tenant


def _set_status(*, slug: str, actor: Actor, status: str, action: str, allowed_from: set) -> Tenant:
    with transaction.atomic():
        tenant = tenant_get(slug=slug)
        if tenant.status == status:
            raise TenantConflict(f"tenant '{slug}' is already {status}")
        if tenant.status not in allowed_from:
            raise TenantError(f"tenant '{slug}' is {tenant.status}; cannot {action.split('.')[-1]} it")
        tenant.status = status
        tenant.save(update_fields=["status", "updated_at"])
        audit_record(actor=actor, action=action, target=slug)
    return tenant


def tenant_suspend(*, slug: str, actor: Actor) -> Tenant:
    return _set_status(slug=slug, actor=actor, status=Tenant.Status.SUSPENDED, action="tenant.suspend",
                       allowed_from={Tenant.Status.ACTIVE})


def tenant_resume(*, slug: str, actor: Actor) -> Tenant:
    return _set_status(slug=slug, actor=actor, status=Tenant.Status.ACTIVE, action="tenant.resume",
                       allowed_from={Tenant.Status.SUSPENDED, Tenant.Status.DELETED})


def tenant_delete(*, slug: str, actor: Actor, purge: bool = False) -> Tenant | None:
    """Soft delete keeps the database (resume brings it back); purge drops database, media and index."""
    tenant = tenant_get(slug=slug)
    if not purge:
        return _set_status(slug=slug, actor=actor, status=Tenant.Status.DELETED, action="tenant.delete",
                           allowed_from={Tenant.Status.ACTIVE, Tenant.Status.SUSPENDED})
    info = tenant.info()
    release_tenant(info)
    with transaction.atomic():
        tenant.delete()
        audit_record(actor=actor, action="tenant.purge", target=slug,
                     detail={"database": provisioning.redact(info.database_url)})
        transaction.on_commit(lambda: _purge_data(info))
    return None


def _purge_data(info):
    provisioning.database_drop(info.database_url)
    tenant_purged.send(sender=Tenant, tenant=info)
