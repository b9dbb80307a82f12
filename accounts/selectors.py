"""Reads of tenant users."""
from django.contrib.auth import get_user_model

User = get_user_model()


def user_by_credentials(*, email: str, password: str) -> User | None:
    """The active user with this email and password, or None (same cost whether or not the email exists)."""
    user = User.objects.filter(email_key=User.identity_key(email), is_active=True).first()  # NFKC, any case
    if user is None:
        User().set_password(password)  # spend the hashing time anyway: no user enumeration by timing
        return None
    return user if user.check_password(password) else None
