"""The RealWorld tenant API: one API class per operation, on a shared `TenantApi` base."""
from django.conf import settings
from django.core.exceptions import ValidationError as DjangoValidationError
from rest_framework import exceptions, status
from rest_framework.permissions import AllowAny, IsAuthenticated
from rest_framework.views import APIView

from conduit.auth import TenantJWTAuthentication
from conduit.errors import error_response
from content.selectors import NotFound
from content.services import Conflict, Forbidden


class PayloadTooLarge(exceptions.APIException):
    status_code = status.HTTP_413_REQUEST_ENTITY_TOO_LARGE
    default_detail = "is too large"


class TenantApi(APIView):
    """Base of every tenant API view: token auth, no CSRF, and domain errors as RealWorld 4xx JSON."""

    authentication_classes = [TenantJWTAuthentication]
    permission_classes = [AllowAny]
    throttle_classes = []

    def initial(self, request, *args, **kwargs):
        length = request.META.get("CONTENT_LENGTH") or 0
        try:
            too_big = int(length) > settings.DATA_UPLOAD_MAX_MEMORY_SIZE
        except ValueError:
            too_big = True
        if too_big:
            raise PayloadTooLarge({"body": ["is too large"]})
        super().initial(request, *args, **kwargs)

    def handle_exception(self, exc):
        if isinstance(exc, NotFound):
            return error_response(status.HTTP_404_NOT_FOUND, exc.resource, "not found")
        if isinstance(exc, Forbidden):
            return error_response(status.HTTP_403_FORBIDDEN, exc.resource, "forbidden")
        if isinstance(exc, Conflict):
            return error_response(status.HTTP_409_CONFLICT, exc.field, exc.message)
        if isinstance(exc, DjangoValidationError):
            exc = exceptions.ValidationError(exc.message_dict if hasattr(exc, "error_dict") else {"body": exc.messages})
        if isinstance(exc, exceptions.NotAuthenticated):
            response = error_response(status.HTTP_401_UNAUTHORIZED, "token", "is missing")
            response["WWW-Authenticate"] = self.get_authenticate_header(self.request)
            return response
        return super().handle_exception(exc)


class AuthenticatedApi(TenantApi):
    permission_classes = [IsAuthenticated]
