"""Host resolution: cached in-process, no control-DB query per request, changes seen within the refresh interval."""
import time

import pytest
from django.db import connections
from django.test import RequestFactory
from django.test.utils import CaptureQueriesContext

from tenants.middleware import TenantMiddleware, request_host
from tenants.registry import CONTROL, TenantRegistry, registry_changed
from tenants.services import tenant_suspend


@pytest.fixture
def fresh_registry():
    return TenantRegistry()


def test_resolution_kinds(make_tenant, fresh_registry):
    tenant = make_tenant(domains=["shop.example.com"])
    assert fresh_registry.resolve("localhost") is CONTROL
    assert fresh_registry.resolve(f"{tenant.slug}.localhost").slug == tenant.slug
    assert fresh_registry.resolve("shop.example.com").slug == tenant.slug
    assert fresh_registry.resolve("nope.localhost") is None
    assert fresh_registry.resolve(f"a.{tenant.slug}.localhost") is None
    assert fresh_registry.resolve("localhost", header_slug=tenant.slug).slug == tenant.slug


def test_steady_state_makes_no_control_db_query(make_tenant, fresh_registry, settings):
    settings.CONDUIT = {**settings.CONDUIT, "REGISTRY_REFRESH_SECONDS": 60}
    tenant = make_tenant()
    host = f"{tenant.slug}.localhost"
    fresh_registry.resolve(host)
    fresh_registry.resolve("unknown.localhost")  # misses are cached too
    with CaptureQueriesContext(connections["default"]) as queries:
        for _ in range(100):
            assert fresh_registry.resolve(host).slug == tenant.slug
            assert fresh_registry.resolve("unknown.localhost") is None
    assert len(queries) == 0


def test_change_from_another_process_is_seen_after_refresh_interval(make_tenant, fresh_registry, actor, settings):
    settings.CONDUIT = {**settings.CONDUIT, "REGISTRY_REFRESH_SECONDS": 0.2}
    tenant = make_tenant()
    host = f"{tenant.slug}.localhost"
    assert fresh_registry.resolve(host).status == "active"
    tenant_suspend(slug=tenant.slug, actor=actor)  # bumps RegistryVersion; fresh_registry is "another process"
    time.sleep(0.25)
    assert fresh_registry.resolve(host).status == "suspended"


def test_registry_version_bumps_on_every_change(make_tenant):
    from tenants.models import RegistryVersion

    before = RegistryVersion.objects.get().version if RegistryVersion.objects.exists() else 0
    make_tenant()
    registry_changed()
    assert RegistryVersion.objects.get().version >= before + 2


@pytest.mark.parametrize("header,expected", [
    ("Demo.LocalHost:8000", "demo.localhost"), ("demo.localhost.", "demo.localhost"),
    ("[::1]:8000", "[::1]"), ("", ""),
])
def test_request_host_normalisation(header, expected):
    request = RequestFactory().get("/", HTTP_HOST=header) if header else RequestFactory().get("/")
    if not header:
        request.META.pop("HTTP_HOST", None)
        request.META["SERVER_NAME"] = ""
    assert request_host(request) == expected


def test_forwarded_host_ignored_unless_behind_proxy(make_tenant, settings):
    tenant = make_tenant()
    request = RequestFactory().get("/", HTTP_HOST="localhost", HTTP_X_FORWARDED_HOST=f"{tenant.slug}.localhost")
    assert request_host(request) == "localhost"
    settings.USE_X_FORWARDED_HOST = True
    assert request_host(request) == f"{tenant.slug}.localhost"


def test_tenant_header_only_when_enabled(make_tenant, settings):
    tenant = make_tenant()
    seen = []
    middleware = TenantMiddleware(lambda request: seen.append(request.tenant) or __import__("django").http.HttpResponse())
    request = RequestFactory().get("/api/health", HTTP_HOST="localhost", HTTP_X_TENANT=tenant.slug)
    middleware(request)
    settings.CONDUIT = {**settings.CONDUIT, "TENANT_HEADER_ENABLED": True}
    middleware(RequestFactory().get("/api/health", HTTP_HOST="localhost", HTTP_X_TENANT=tenant.slug))
    assert seen[0] is None and seen[1].slug == tenant.slug


def test_read_only_tenant_refuses_writes_with_retry_after(make_tenant):
    from tenants.models import Tenant

    tenant = make_tenant()
    Tenant.objects.filter(pk=tenant.pk).update(read_only=True)
    registry_changed()
    middleware = TenantMiddleware(lambda request: __import__("django").http.HttpResponse("ok"))
    host = f"{tenant.slug}.localhost"
    assert middleware(RequestFactory().get("/api/tags", HTTP_HOST=host)).status_code == 200
    response = middleware(RequestFactory().post("/api/articles", HTTP_HOST=host))
    assert response.status_code == 503 and response["Retry-After"] == "30"


def test_a_lookup_racing_a_registry_change_does_not_cache_its_stale_answer(transactional_db, make_tenant, actor, settings):
    """A lookup that read the old state while another thread saw the change must not write it back."""
    import threading

    settings.CONDUIT = {**settings.CONDUIT, "REGISTRY_REFRESH_SECONDS": 60}
    tenant = make_tenant()
    registry = TenantRegistry()
    host = f"{tenant.slug}.localhost"
    registry.resolve("warm.localhost")  # records the current version
    read_done, change_done = threading.Event(), threading.Event()
    real_lookup = registry._lookup

    def slow_lookup(*args):
        result = real_lookup(*args)  # reads "active"
        read_done.set()
        change_done.wait(5)
        return result

    registry._lookup = slow_lookup
    answers = []
    reader = threading.Thread(target=lambda: answers.append(registry.resolve(host)))
    reader.start()
    read_done.wait(5)
    registry._lookup = real_lookup
    tenant_suspend(slug=tenant.slug, actor=actor)  # bumps the version
    registry._checked_at = 0.0  # this thread's next poll is due: it sees the new version and clears
    registry._refresh()
    change_done.set()
    reader.join(5)
    assert answers[0].status == "active"  # the racing request itself saw the old state...
    assert registry.resolve(host).status == "suspended"  # ...but did not poison the cache
