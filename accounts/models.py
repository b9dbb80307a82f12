"""One user model for the whole platform: tenant users live in their tenant's database, operators in the control one."""
from django.contrib.auth.models import AbstractUser
from django.db import models
from django.db.models.functions import Lower


class User(AbstractUser):
    email = models.EmailField(unique=True)
    bio = models.TextField(blank=True, null=True)  # null when unset (RealWorld), never ""
    image = models.URLField(max_length=1000, blank=True, null=True)

    class Meta:
        db_table = "accounts_user"
        constraints = [  # case-insensitive uniqueness; accounts.services also NFKC-normalises both on the way in
            models.UniqueConstraint(Lower("username"), name="accounts_user_username_ci_unique"),
            models.UniqueConstraint(Lower("email"), name="accounts_user_email_ci_unique"),
        ]
