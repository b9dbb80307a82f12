"""Writes of tenant users (register, update) and of the platform's JWT key ring (rotate, retire)."""
import re
import secrets
import unicodedata

from django.contrib.auth import get_user_model
from django.contrib.auth.password_validation import validate_password
from django.contrib.auth.validators import UnicodeUsernameValidator
from django.core.exceptions import ValidationError
from django.db import IntegrityError
from django.utils import timezone

from accounts.roles import owner_email_apply
from conduit.exceptions import Conflict, constraint_name
from tenants.db import tenant_atomic

User = get_user_model()
# Unique constraints of accounts_user by name, on username/email and on their keys (migration 0005): PostgreSQL
# `<table>_<column>_key` or `<table>_<column>_<hash>_uniq`, SQLite `<table>.<column>`.
CONFLICT_NAME = re.compile(r"accounts_user[._](username|email)(?:_key)?(?:_key|_[0-9a-f]+_uniq)?")


def _normalised(field: str, value: str | None) -> str | None:
    """NFKC (fullwidth 'ａｄｍｉｎ' is 'admin'), as Django's UsernameField does; an email's domain in lower case.

    Uniqueness is then case-insensitive, on User.identity_key (the username_key/email_key columns, migration 0005).
    """
    if value is None:
        return None
    value = unicodedata.normalize("NFKC", value)
    if field == "email":
        value = User.objects.normalize_email(value)
    limit = User._meta.get_field(field).max_length
    if len(value) > limit:
        raise ValidationError({field: [f"is too long (maximum is {limit} characters)"]})
    if field == "username":
        try:
            UnicodeUsernameValidator()(value)
        except ValidationError as exc:
            raise ValidationError({field: exc.messages}) from exc
    return value


def _taken_field(*, username: str | None, email: str | None, exclude_id: int | None = None) -> str | None:
    """The first of username/email whose key another user (not `exclude_id`) holds, or None."""
    for field, value in (("username", username), ("email", email)):
        if value is None:
            continue
        taken = User.objects.filter(**{f"{field}_key": User.identity_key(value)})
        if exclude_id is not None:
            taken = taken.exclude(pk=exclude_id)
        if taken.exists():
            return field
    return None


def _check_unique(*, username: str | None, email: str | None, exclude_id: int | None = None) -> None:
    field = _taken_field(username=username, email=email, exclude_id=exclude_id)
    if field is not None:
        raise Conflict(field)


def _set_password(user, password: str) -> None:
    try:
        validate_password(password, user)
    except ValidationError as exc:
        raise ValidationError({"password": exc.messages}) from exc
    user.set_password(password)


def _conflict_field(exc: IntegrityError, user) -> str | None:
    """The field whose uniqueness `exc` reports: by constraint name where the engine gives one we know, else (a
    MongoDB duplicate key, or a name not known here) the field whose key another user now holds."""
    match = CONFLICT_NAME.fullmatch(constraint_name(exc) or "")
    if match:
        return match[1]
    return _taken_field(username=user.username, email=user.email, exclude_id=user.pk)


def _save(user) -> None:
    try:
        with tenant_atomic():
            user.save()
    except IntegrityError as exc:  # lost a race against a concurrent registration
        field = _conflict_field(exc, user)
        if field is None:  # not a uniqueness race on username/email: a real fault, not the client's
            raise
        raise Conflict(field) from exc


def user_create(*, username: str, email: str, password: str) -> User:
    username, email = _normalised("username", username), _normalised("email", email)
    _check_unique(username=username, email=email)
    user = User(username=username, email=email)
    _set_password(user, password)
    _save(user)
    owner_email_apply(user=user)  # the tenant's named first owner becomes one as they register (issue 13)
    return user


def user_update(*, user: User, data: dict) -> User:
    """Apply the given fields (username, email, password, bio, image); absent fields are left as they are."""
    data = {**data, **{f: _normalised(f, data[f]) for f in ("username", "email") if data.get(f) is not None}}
    _check_unique(username=data.get("username"), email=data.get("email"), exclude_id=user.pk)
    for field in ("username", "email"):
        if field in data:
            setattr(user, field, data[field])
    if "bio" in data:
        user.bio = data["bio"] or None  # RealWorld: unset is null, never ""
    if "image" in data:
        user.image = data["image"] or None
    if data.get("password"):
        _set_password(user, data["password"])
    _save(user)
    return user


def _ring_value(ring: dict[str, str]) -> str:
    return ",".join(f"{kid}:{secret}" for kid, secret in ring.items())


def jwt_keys_rotate(*, actor, kid: str | None = None) -> str:
    """A new CONDUIT_JWT_KEYS value: a fresh signing key first, the current keys kept for verification. Audited."""
    from conduit.auth import key_ring
    from tenants.services import audit_record

    ring = key_ring()
    kid = kid or f"k{timezone.now():%Y%m%d%H%M%S}"
    if not re.fullmatch(r"[A-Za-z0-9_.-]{1,40}", kid) or kid in ring:
        raise ValueError(f"key id {kid!r} must be new and made of letters, digits, '_', '.', '-'")
    new_ring = {kid: secrets.token_urlsafe(48), **ring}
    audit_record(actor=actor, action="jwt_keys.rotate", target="platform",
                 detail={"new_kid": kid, "kids": list(new_ring)})
    return _ring_value(new_ring)


def jwt_keys_retire(*, actor, kid: str) -> str:
    """A CONDUIT_JWT_KEYS value without `kid`: tokens it signed stop verifying once deployed. Audited."""
    from conduit.auth import key_ring
    from tenants.services import audit_record

    ring = dict(key_ring())
    if kid not in ring:
        raise ValueError(f"no key {kid!r} in the ring ({', '.join(ring)})")
    if len(ring) == 1:
        raise ValueError("cannot retire the only key: rotate first")
    del ring[kid]
    audit_record(actor=actor, action="jwt_keys.retire", target="platform",
                 detail={"retired_kid": kid, "kids": list(ring)})
    return _ring_value(ring)
