"""The one error model: an ApplicationError carries its HTTP status, field, message and code; apps subclass one.

`conduit.errors` renders every one of them as `{"errors": {field: [message]}}` (DRF views and the middleware).
"""
import re

from conduit.messages import MESSAGES

SQLITE_UNIQUE = re.compile(r"UNIQUE constraint failed: (?:index '(?P<index>[^']+)'|(?P<column>[\w.]+))")


class ApplicationError(Exception):
    """A domain error the API answers as a 4xx/5xx JSON body; `field` is the error key, `message` its text.

    `str(exc)` is `detail` when given (a log line that must not reach the client), else the message.
    """

    status = 400
    code = "bad_request"
    default_message = MESSAGES["invalid"]

    def __init__(self, field: str = "body", message: str | None = None, *, status: int | None = None,
                 code: str | None = None, headers: dict | None = None, detail: str | None = None):
        self.field = field
        self.message = message if message is not None else self.default_message
        if status is not None:
            self.status = status
        if code is not None:
            self.code = code
        self.headers = headers or {}
        super().__init__(detail or self.message)

    @property
    def resource(self) -> str:  # the object named by a 404/403 is its field
        return self.field


class NotFound(ApplicationError):
    status, code, default_message = 404, "not_found", MESSAGES["not_found"]


class Forbidden(ApplicationError):
    status, code, default_message = 403, "forbidden", MESSAGES["forbidden"]


class Conflict(ApplicationError):
    status, code, default_message = 409, "conflict", MESSAGES["taken"]


class Invalid(ApplicationError):
    status, code, default_message = 422, "invalid", MESSAGES["invalid"]


class Unauthorized(ApplicationError):
    status, code, default_message = 401, "unauthorized", MESSAGES["invalid"]


class PayloadTooLarge(ApplicationError):
    status, code, default_message = 413, "too_large", MESSAGES["too_large"]


class UnsupportedMediaType(ApplicationError):
    status, code = 415, "unsupported_media_type"


class Unavailable(ApplicationError):
    status, code = 503, "unavailable"


def constraint_name(exc) -> str | None:
    """The name of the constraint an IntegrityError violated: PostgreSQL reports it (diag); SQLite names the
    unique index, or `table.column` for a column's own UNIQUE (its only form of a name)."""
    cause = exc.__cause__
    name = getattr(getattr(cause, "diag", None), "constraint_name", None)
    if name:
        return name
    match = SQLITE_UNIQUE.search(str(exc))
    return (match["index"] or match["column"]) if match else None
