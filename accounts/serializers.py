"""The user's own representation (register, login, current user): a plain dict, and its schema."""
from rest_framework import serializers


def user_out(user, token: str) -> dict:
    """`bio` and `image` are null when unset (RealWorld), never ""."""
    return {"email": user.email, "token": token, "username": user.username, "bio": user.bio or None,
            "image": user.image or None}


class UserOut(serializers.Serializer):
    email = serializers.CharField()
    token = serializers.CharField()
    username = serializers.CharField()
    bio = serializers.CharField(allow_null=True)
    image = serializers.CharField(allow_null=True)
