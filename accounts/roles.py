"""Site roles (issue 13). `is_owner(user)` is the one check features use (content moderation, webhooks, publishing).

The tenant's first owner is named on the control side (`Tenant.owner_email`, carried in the TenantInfo of the
context). It is applied here, in the tenant's database, the first time it can be: when a user with that email
registers (accounts.services.user_create), when that user is first checked (`is_owner`), or when owners are listed
(`owner_email_apply`). The tenants layer never imports accounts, so nothing on the control side reaches into the
tenant's users; the application is recorded by an "owner.claim" audit row, once per email, so owners who later
revoke that user are not overruled by the control-side setting.
"""
from django.contrib.auth import get_user_model
from rest_framework.permissions import BasePermission

from accounts.audit import audit_list, audit_record
from conduit.exceptions import Forbidden
from conduit.messages import MESSAGES
from tenants.context import current_tenant
from tenants.db import tenant_alias, tenant_atomic

CLAIM = "owner.claim"


def is_owner(user) -> bool:
    """Is `user` (a request user; anonymous allowed) an owner of the site in context?"""
    if user is None or not getattr(user, "is_authenticated", False):
        return False
    if getattr(user, "is_owner", False):
        return True
    email = _owner_email()
    if email and (user.email or "").lower() == email and not getattr(user, "_owner_email_checked", False):
        user._owner_email_checked = True  # one look per loaded user (a request's), not one per check
        return owner_email_apply(user=user) is not None
    return False


class IsSiteOwner(BasePermission):
    """DRF permission of owner-only APIs: anonymous → 401 (TenantApi), a user who is not an owner → 403."""

    def has_permission(self, request, view):
        user = request.user
        if not getattr(user, "is_authenticated", False):
            return False  # DRF answers NotAuthenticated: TenantApi renders the 401
        if not is_owner(user):
            raise Forbidden("user", MESSAGES["owner_only"])
        return True


def owner_required(user) -> None:
    """For services and views that check by hand: raise the same 403 unless `user` is an owner."""
    if not is_owner(user):
        raise Forbidden("user", MESSAGES["owner_only"])


def _owner_email() -> str:
    tenant = current_tenant()
    return (getattr(tenant, "owner_email", "") or "").strip().lower()


def owner_email_apply(*, user=None):
    """Make the site's user with the tenant's owner email an owner, once per email; returns that user or None.

    `user` is a candidate already loaded (a registration, a request user); without it the email is looked up.
    """
    email = _owner_email()
    if not email:
        return None
    if user is not None and (user.email or "").lower() != email:
        return None
    with tenant_atomic():
        if audit_list(action=CLAIM, target=email).exists():
            return None
        User = get_user_model()
        if user is None:
            user = User.objects.using(tenant_alias()).filter(email_key=User.identity_key(email)).first()
            if user is None:
                return None  # not registered yet: applied when they register
        User.objects.using(tenant_alias()).filter(pk=user.pk).update(is_owner=True)
        user.is_owner = True
        audit_record(actor=None, action=CLAIM, target=email, detail={"username": user.get_username()})
    return user
