"""The scale-out database profile end to end: control DB and tenant DBs on PostgreSQL, through gunicorn."""
import time

import psycopg
import pytest

from tests.support.stack import PG_SERVER

pytestmark = pytest.mark.postgres


def test_tenant_lifecycle_on_postgres(pg_stack):
    slug = pg_stack.create_tenant()
    r = pg_stack.tenant(slug, "GET", "/api/health")
    assert r.status_code == 200, r.text
    dbname = pg_stack.env["CONDUIT_TENANT_DATABASE_URL"].rsplit("/", 1)[1].replace("{slug}", slug)
    with psycopg.connect(f"{PG_SERVER}/{dbname}") as conn:  # a real database per tenant, cloned and migrated
        tables = {r[0] for r in conn.execute("SELECT tablename FROM pg_tables WHERE schemaname = 'public'")}
    assert {"content_article", "accounts_user", "django_migrations"} <= tables
    assert "tenants_tenant" not in tables  # control tables never land in a tenant database
    control = pg_stack.env["DATABASE_URL"]
    with psycopg.connect(control) as conn:
        assert conn.execute("SELECT status FROM tenants_tenant WHERE slug = %s", [slug]).fetchone() == ("active",)
    pg_stack.manage("suspend_tenant", slug)
    time.sleep(1.0)
    assert pg_stack.tenant(slug, "GET", "/api/health").status_code == 503
    pg_stack.manage("delete_tenant", slug, "--purge", "--yes")
    with psycopg.connect(f"{PG_SERVER}/postgres") as conn:
        assert conn.execute("SELECT 1 FROM pg_database WHERE datname = %s", [dbname]).fetchone() is None
    assert "0 to migrate" in pg_stack.manage("migrate_tenants").stderr
