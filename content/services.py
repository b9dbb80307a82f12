"""Writes of the RealWorld domain: each inside tenant_atomic(), saving through the ORM so signals fire."""


class Forbidden(Exception):
    """The user may not change this object; `resource` names it for the error body."""

    def __init__(self, resource: str):
        super().__init__(f"{resource} forbidden")
        self.resource = resource


class Conflict(Exception):
    """A unique value is already taken."""

    def __init__(self, field: str, message: str = "has already been taken"):
        super().__init__(f"{field} {message}")
        self.field = field
        self.message = message
