"""Moved to tests/support/stack.py; this name stays only for work in flight that still imports tests.stack."""
from tests.support.stack import (  # noqa: F401
    PG_SERVER, ROOT, Stack, free_port, pg_create_database, pg_drop_databases, pg_url, unique,
)
