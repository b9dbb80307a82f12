"""Reads of the RealWorld domain in the current tenant's database."""


class NotFound(Exception):
    """A looked-up object does not exist (or is not visible); `resource` names it for the error body."""

    def __init__(self, resource: str):
        super().__init__(f"{resource} not found")
        self.resource = resource
