"""Reads of tenant users."""
import unicodedata

from django.contrib.auth import get_user_model

User = get_user_model()


def user_by_credentials(*, email: str, password: str) -> User | None:
    """The active user with this email and password, or None (same cost whether or not the email exists)."""
    email = unicodedata.normalize("NFKC", email)  # as stored by accounts.services
    user = User.objects.filter(email__iexact=email, is_active=True).first()
    if user is None:
        User().set_password(password)  # spend the hashing time anyway: no user enumeration by timing
        return None
    return user if user.check_password(password) else None
