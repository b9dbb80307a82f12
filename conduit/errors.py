"""Every error as JSON in the RealWorld shape: {"errors": {"<field>": ["<message>"]}}."""
from django.http import JsonResponse
from rest_framework import exceptions, status
from rest_framework.response import Response
from rest_framework.views import exception_handler as drf_exception_handler

from conduit.exceptions import ApplicationError
from conduit.messages import MESSAGES


def _flatten(detail, field="body"):
    if isinstance(detail, dict):
        out = {}
        for key, value in detail.items():
            key = "body" if key in ("non_field_errors", "detail") else key
            for sub_key, messages in _flatten(value, key).items():
                out.setdefault(sub_key, []).extend(messages)
        return out
    if isinstance(detail, list):
        messages = []
        for item in detail:
            flat = _flatten(item, field)
            messages.extend(m for values in flat.values() for m in values)
        return {field: messages}
    return {field: [str(detail)]}


_retryable = []  # predicates: is this exception a conflict the client may simply retry? (registered by lower layers)


def register_retryable(predicate):
    """Count exceptions matching `predicate` as "busy, retry" (503 with Retry-After) rather than server errors: e.g.
    tenants.db registers MongoDB's transient transaction errors that outlived its retries, or hit a write that has
    none (a concurrent write of the same document)."""
    _retryable.append(predicate)
    return predicate


def exception_handler(exc, context):
    """The one DRF exception handler: ApplicationErrors by their status, DRF's own errors flattened to the shape."""
    if isinstance(exc, ApplicationError):
        return error_response(exc.status, exc.field, exc.message, **exc.headers)
    if any(predicate(exc) for predicate in _retryable):
        return error_response(503, "body", MESSAGES["busy"], Retry_After="1")
    response = drf_exception_handler(exc, context)
    if response is None:
        return None
    if isinstance(exc, exceptions.ValidationError) and response.status_code == status.HTTP_400_BAD_REQUEST:
        response.status_code = status.HTTP_422_UNPROCESSABLE_ENTITY
    if isinstance(exc, exceptions.ParseError):
        response.status_code = status.HTTP_422_UNPROCESSABLE_ENTITY
    response.data = {"errors": _flatten(response.data)}
    return response


def error_body(field, message) -> dict:
    return {"errors": {field: [message]}}


def error_response(status_code, field, message, **headers):
    """A DRF response in the shape; header names may use `_` for `-` (Retry_After)."""
    return _with_headers(Response(error_body(field, message), status=status_code), headers)


def error_json(exc: ApplicationError):
    """The same rendering outside DRF (middleware): a plain JsonResponse."""
    return _with_headers(JsonResponse(error_body(exc.field, exc.message), status=exc.status), exc.headers)


def _with_headers(response, headers):
    for name, value in headers.items():
        response[name.replace("_", "-")] = value
    return response


def json_404(request, exception=None):
    return JsonResponse({"errors": {"body": [MESSAGES["route_not_found"]]}}, status=404)


def json_500(request):
    return JsonResponse({"errors": {"body": [MESSAGES["server_error"]]}}, status=500)


def json_400(request, exception=None):
    return JsonResponse({"errors": {"body": [MESSAGES["bad_request"]]}}, status=400)


def json_403(request, exception=None):
    return JsonResponse({"errors": {"body": [MESSAGES["route_forbidden"]]}}, status=403)
