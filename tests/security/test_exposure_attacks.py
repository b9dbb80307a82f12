"""Attacks that read what a visitor should not see: the platform's metrics, other tenants' numbers, sessions."""
import time

import pytest

from tests.support.client import Site
from tests.security.operators import OPERATOR_PASSWORD, admin_login, create_operator
from tests.support.stack import Stack

METRICS_TOKEN = "scrape-token-0123456789"


@pytest.fixture(scope="module")
def guarded(tmp_path_factory):
    """A stack behind a (simulated) proxy with a metrics token configured."""
    stack = Stack(tmp_path_factory.mktemp("guarded"), CONDUIT_BEHIND_PROXY="true", CONDUIT_METRICS_TOKEN=METRICS_TOKEN)
    stack.start(workers=1)
    yield stack
    stack.stop()


@pytest.fixture(scope="module")
def proxied(tmp_path_factory):
    """A stack behind a (simulated) proxy, no metrics token: only loopback clients may scrape."""
    stack = Stack(tmp_path_factory.mktemp("proxied"), CONDUIT_BEHIND_PROXY="true")
    stack.start(workers=1)
    yield stack
    stack.stop()


def scrape(stack, **headers):
    return stack.request("GET", "/metrics", headers=headers)


def test_metrics_without_the_token_are_refused(guarded):
    assert scrape(guarded).status_code == 401
    assert scrape(guarded, Authorization="Bearer wrong-token").status_code == 401
    assert scrape(guarded, Authorization=f"Basic {METRICS_TOKEN}").status_code == 401
    assert scrape(guarded, **{"X-Forwarded-For": "127.0.0.1"}).status_code == 401  # loopback is no pass with a token
    answer = scrape(guarded, Authorization=f"Bearer {METRICS_TOKEN}")
    assert answer.status_code == 200 and "conduit_workers" in answer.text


def test_metrics_for_a_staff_session_without_the_token(guarded):
    name, _ = create_operator(guarded)
    login = admin_login(guarded, name, OPERATOR_PASSWORD, client_ip="10.66.0.1")
    assert login.status_code == 302
    answer = login.session.get(guarded.url("/metrics"), headers={"Host": "localhost"}, timeout=30)
    assert answer.status_code == 200 and "conduit_workers" in answer.text


def test_metrics_for_a_logged_in_non_staff_user_are_refused(db):
    from django.test import Client

    from accounts.models import User

    client = Client(HTTP_HOST="localhost", REMOTE_ADDR="203.0.113.7")
    client.force_login(User.objects.create_user("plain", "plain@example.com", OPERATOR_PASSWORD))
    assert client.get("/metrics").status_code == 401
    client.force_login(User.objects.create_superuser("chief", "chief@example.com", OPERATOR_PASSWORD))
    assert client.get("/metrics").status_code == 200


def test_metrics_from_a_remote_client_without_a_token_configured(proxied):
    assert scrape(proxied, **{"X-Forwarded-For": "203.0.113.9"}).status_code == 401
    assert scrape(proxied, **{"X-Forwarded-For": "::ffff:203.0.113.9"}).status_code == 401
    assert scrape(proxied, **{"X-Forwarded-For": "127.0.0.1"}).status_code == 200  # a loopback scraper still may


def test_metrics_are_not_served_on_a_tenant_host(stack):
    slug = stack.create_tenant()
    answer = stack.tenant(slug, "GET", "/metrics")
    assert "# TYPE conduit" not in answer.text and "openmetrics" not in answer.headers.get("Content-Type", "")


def numbers(body, path=()):
    """Every numeric leaf of a health body except timings: what a tenant learns from it."""
    if isinstance(body, dict):
        return {k: v for key, value in body.items() if key != "ms" for k, v in numbers(value, (*path, key)).items()}
    if isinstance(body, (int, float)) and not isinstance(body, bool):
        return {path: body}
    return {}


def test_tenant_health_does_not_leak_platform_wide_numbers(site):
    before = site.get("/api/health").json()
    other = Site(site.stack, site.stack.create_tenant())
    token = other.register()["token"]
    for _ in range(3):
        other.article(token)
    time.sleep(0.5)
    after = site.get("/api/health").json()
    assert numbers(after) == numbers(before), (before, after)  # another tenant's writes change nothing here
    assert "log_size" not in after["checks"]["event_bus"] and "tenants_open" not in after["checks"]["search"]


def test_operator_session_cookie_sent_to_a_tenant_host_is_ignored(stack):
    name, pk = create_operator(stack)
    login = admin_login(stack, name, OPERATOR_PASSWORD)
    assert login.status_code == 302, login.text[:300]
    site = Site(stack, stack.create_tenant())
    for _ in range(pk):  # a tenant user with the operator's id: the session's user id resolves in this database
        site.register()
    cookie = {"Cookie": f"sessionid={login.session.cookies['sessionid']}"}
    for path in ("/api/schema", "/api/docs", "/api/user", "/api/articles"):
        answer = site.get(path, headers=cookie)
        assert "sessionid" not in answer.headers.get("Set-Cookie", ""), (path, answer.headers)
    admin = login.session.get(stack.url("/admin/"), headers={"Host": "localhost"}, allow_redirects=False, timeout=30)
    assert admin.status_code == 200  # still logged in: the tenant host neither resolved nor deleted the session


def test_session_middleware_does_not_load_sessions_on_tenant_hosts(db, make_tenant):
    from django.test import Client

    from accounts.models import User

    operator = User.objects.create_superuser("opx", "opx@example.com", OPERATOR_PASSWORD)
    client = Client()
    client.force_login(operator)
    tenant = make_tenant()
    response = client.get("/api/health", HTTP_HOST=f"{tenant.slug}.localhost")
    assert response.status_code == 200
    assert response.wsgi_request.session.session_key is None  # the control database's session was never read
    assert response.wsgi_request.user.is_anonymous
