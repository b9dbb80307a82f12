"""SQLite tenants under concurrent writers from several processes: WAL + busy timeout + IMMEDIATE, never 'locked'."""
import multiprocessing

from django.db import connections

from content.models import Tag
from tenants.context import tenant_context
from tenants.db import tenant_atomic


def _writer(args):
    slug, worker, count = args
    connections.close_all()
    errors = 0
    with tenant_context(slug):
        for i in range(count):
            try:
                with tenant_atomic():  # read-then-write: the pattern that deadlocks without IMMEDIATE
                    existing = Tag.objects.filter(name__startswith=f"w{worker}-").count()
                    Tag.objects.create(name=f"w{worker}-{i}-{existing}")
            except Exception:
                errors += 1
    connections.close_all()
    return errors


def test_concurrent_writer_processes_never_hit_database_is_locked(make_tenant, transactional_db):
    tenant = make_tenant()
    connections.close_all()
    with multiprocessing.get_context("fork").Pool(4) as pool:
        errors = pool.map(_writer, [(tenant.slug, w, 60) for w in range(4)])
    assert errors == [0, 0, 0, 0]
    with tenant_context(tenant):
        assert Tag.objects.count() == 240
