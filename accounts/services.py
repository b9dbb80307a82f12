"""Writes of tenant users: register and update, in the tenant's database."""
from django.contrib.auth import get_user_model
from django.contrib.auth.password_validation import validate_password
from django.core.exceptions import ValidationError
from django.db import IntegrityError

from content.services import Conflict
from tenants.db import tenant_atomic

User = get_user_model()
UNIQUE_FIELDS = ("username", "email")


def _check_unique(*, username: str | None, email: str | None, exclude_id: int | None = None) -> None:
    for field, value in (("username", username), ("email", email)):
        if value is None:
            continue
        taken = User.objects.filter(**{f"{field}__iexact": value})
        if exclude_id is not None:
            taken = taken.exclude(pk=exclude_id)
        if taken.exists():
            raise Conflict(field)


def _set_password(user, password: str) -> None:
    try:
        validate_password(password, user)
    except ValidationError as exc:
        raise ValidationError({"password": exc.messages}) from exc
    user.set_password(password)


def _save(user) -> None:
    try:
        with tenant_atomic():
            user.save()
    except IntegrityError as exc:  # lost a race against a concurrent registration
        field = "email" if "email" in str(exc).lower() else "username"
        raise Conflict(field) from exc


def user_create(*, username: str, email: str, password: str) -> User:
    _check_unique(username=username, email=email)
    user = User(username=username, email=email)
    _set_password(user, password)
    _save(user)
    return user


def user_update(*, user: User, data: dict) -> User:
    """Apply the given fields (username, email, password, bio, image); absent fields are left as they are."""
    _check_unique(username=data.get("username"), email=data.get("email"), exclude_id=user.pk)
    for field in ("username", "email"):
        if field in data:
            setattr(user, field, data[field])
    if "bio" in data:
        user.bio = data["bio"] or ""
    if "image" in data:
        user.image = data["image"] or None
    if data.get("password"):
        _set_password(user, data["password"])
    _save(user)
    return user
