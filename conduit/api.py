"""The tenant-API base every feature's views stand on: token auth, JSON bodies, request limits, query helpers."""
from django.conf import settings
from django.contrib.auth.models import AnonymousUser
from django.core.exceptions import ValidationError as DjangoValidationError
from drf_spectacular.utils import OpenApiParameter, inline_serializer
from rest_framework import exceptions, status
from rest_framework.permissions import AllowAny, IsAuthenticated
from rest_framework.views import APIView

from conduit.auth import INVALID_TOKEN_CHALLENGE, InvalidTokenFailed, TenantJWTAuthentication
from conduit.errors import error_response
from conduit.exceptions import PayloadTooLarge
from conduit.messages import MESSAGES
from conduit.parsers import JSONParser


class TenantApi(APIView):
    """Base of every tenant API view: token auth, JSON bodies, no CSRF, errors as RealWorld 4xx JSON.

    A presented token that fails verification (garbage, bad signature, retired key, expired, another site's, user
    gone) is a 401 where the view needs a user; where it does not, the request is answered as if it carried no
    token, with `WWW-Authenticate: Token error="invalid_token"` telling the client to refresh or log out.
    Domain errors (`conduit.exceptions.ApplicationError`) are rendered by `conduit.errors.exception_handler`.
    """

    authentication_classes = [TenantJWTAuthentication]
    permission_classes = [AllowAny]
    parser_classes = [JSONParser]
    throttle_classes = []

    def initial(self, request, *args, **kwargs):
        length = request.META.get("CONTENT_LENGTH") or 0
        try:
            too_big = int(length) > settings.DATA_UPLOAD_MAX_MEMORY_SIZE
        except ValueError:
            too_big = True
        if too_big:
            raise PayloadTooLarge("body")
        super().initial(request, *args, **kwargs)

    def perform_authentication(self, request):
        try:
            request.user
        except InvalidTokenFailed:
            if not self._anonymous_allowed(request):
                raise
            request.user, request.auth = AnonymousUser(), None  # exactly what no token gives
            request.invalid_token = True

    def _anonymous_allowed(self, request):
        """Would this request pass the view's permissions with no user? (Permissions decide, not each view.)"""
        request.user, request.auth = AnonymousUser(), None
        return all(permission.has_permission(request, self) for permission in self.get_permissions())

    def finalize_response(self, request, response, *args, **kwargs):
        response = super().finalize_response(request, response, *args, **kwargs)
        if getattr(request, "invalid_token", False):
            response["WWW-Authenticate"] = INVALID_TOKEN_CHALLENGE
        return response

    def handle_exception(self, exc):
        if isinstance(exc, DjangoValidationError):
            exc = exceptions.ValidationError(exc.message_dict if hasattr(exc, "error_dict") else {"body": exc.messages})
        if isinstance(exc, InvalidTokenFailed):  # the view needs a user (see perform_authentication)
            response = super().handle_exception(exc)
            response["WWW-Authenticate"] = f'{self.get_authenticate_header(self.request)}, error="invalid_token"'
            return response
        if isinstance(exc, exceptions.NotAuthenticated):
            response = error_response(status.HTTP_401_UNAUTHORIZED, "token", MESSAGES["token_missing"])
            response["WWW-Authenticate"] = self.get_authenticate_header(self.request)
            return response
        return super().handle_exception(exc)


class AuthenticatedApi(TenantApi):
    permission_classes = [IsAuthenticated]


def validated(serializer_class, data, key=None):
    """Validate `data` (or `data[key]` of a RealWorld-wrapped body) and return the clean values."""
    serializer = serializer_class(data=data)
    serializer.is_valid(raise_exception=True)
    return serializer.validated_data[key] if key else serializer.validated_data


def wrapped(name, key, inner):
    """The schema of a RealWorld-wrapped response body, e.g. `{"user": {...}}`."""
    return inline_serializer(name=name, fields={key: inner})


def query_int(params, name, default, low, high):
    """An integer query parameter in [low, high] (a serializer per request costs more than the query it guards)."""
    raw = params.get(name)
    if raw in (None, ""):
        return default
    try:
        value = int(raw)
    except ValueError:
        raise exceptions.ValidationError({name: [MESSAGES["not_an_integer"]]}) from None
    if not low <= value <= high:
        raise exceptions.ValidationError({name: [MESSAGES["between"].format(low=low, high=high)]})
    return value


def query_text(params, name):
    value = params.get(name, "")
    if len(value) > 200 or "\x00" in value:
        raise exceptions.ValidationError({name: [MESSAGES["invalid"]]})
    return value or None


def page(params):
    return {"limit": query_int(params, "limit", 20, 1, 1000), "offset": query_int(params, "offset", 0, 0, 2**31)}


PAGE_PARAMS = [OpenApiParameter("limit", int, default=20), OpenApiParameter("offset", int, default=0)]
