"""RealWorld users API: register, login, current user."""
from django.contrib.auth.validators import UnicodeUsernameValidator
from drf_spectacular.utils import extend_schema
from rest_framework import status
from rest_framework.response import Response

from accounts.selectors import user_by_credentials
from accounts.serializers import UserOut, user_out
from accounts.services import user_create, user_update
from conduit.api import AuthenticatedApi, TenantApi, validated, wrapped
from conduit.auth import token_for
from conduit.exceptions import Unauthorized
from conduit.fields import Email, HttpUrl, Input, Text
from conduit.messages import MESSAGES
from conduit.throttling import SharedRateThrottle
from tenants.context import current_tenant_slug


class LoginThrottle(SharedRateThrottle):
    """Login attempts per tenant and client address, counted across processes; the cache key carries the tenant."""

    scope = "login"

    def get_cache_key(self, request, view):
        return f"throttle:{current_tenant_slug() or '-'}:login:{self.get_ident(request)}"


USER_RESPONSE = wrapped("UserResponse", "user", UserOut())


class UserRegisterApi(TenantApi):
    """Register a new user."""

    class NewUserRequest(Input):
        class NewUser(Input):
            username = Text(max_length=150, validators=[UnicodeUsernameValidator()])
            email = Email(max_length=254)
            password = Text(max_length=128, trim_whitespace=False)

        user = NewUser()

    @extend_schema(operation_id="CreateUser", tags=["User and Authentication"], request=NewUserRequest,
                   responses={201: USER_RESPONSE})
    def post(self, request):
        data = validated(self.NewUserRequest, request.data, "user")
        user = user_create(**data)
        return Response({"user": user_out(user, token_for(user))}, status=status.HTTP_201_CREATED)


class UserLoginApi(TenantApi):
    """Log in an existing user."""

    throttle_classes = [LoginThrottle]

    class LoginUserRequest(Input):
        class LoginUser(Input):
            email = Text(max_length=254)
            password = Text(max_length=128, trim_whitespace=False)

        user = LoginUser()

    @extend_schema(operation_id="Login", tags=["User and Authentication"], request=LoginUserRequest,
                   responses={200: USER_RESPONSE})
    def post(self, request):
        data = validated(self.LoginUserRequest, request.data, "user")
        user = user_by_credentials(email=data["email"], password=data["password"])
        if user is None:
            raise Unauthorized("credentials", MESSAGES["invalid"])
        return Response({"user": user_out(user, token_for(user))})


class CurrentUserApi(AuthenticatedApi):
    """The logged-in user: get or update."""

    class UpdateUserRequest(Input):
        class UpdateUser(Input):
            username = Text(max_length=150, required=False, validators=[UnicodeUsernameValidator()])
            email = Email(max_length=254, required=False)
            password = Text(max_length=128, required=False, allow_blank=True, trim_whitespace=False,
                            help_text='a new password; "" (a settings form left empty) keeps the current one')
            bio = Text(required=False, allow_null=True, allow_blank=True, help_text='"" or null clears it (null)')
            image = HttpUrl(required=False, allow_null=True, allow_blank=True,
                            help_text='an http or https URL; "" or null clears it (null)')

        user = UpdateUser()

    @extend_schema(operation_id="GetCurrentUser", tags=["User and Authentication"], responses={200: USER_RESPONSE})
    def get(self, request):
        return Response({"user": user_out(request.user, token_for(request.user))})

    @extend_schema(operation_id="UpdateCurrentUser", tags=["User and Authentication"], request=UpdateUserRequest,
                   responses={200: USER_RESPONSE})
    def put(self, request):
        data = validated(self.UpdateUserRequest, request.data, "user")
        user = user_update(user=request.user, data=data)
        return Response({"user": user_out(user, token_for(user))})
