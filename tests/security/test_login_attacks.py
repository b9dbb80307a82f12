"""Attacks on logins: password oracles beside the throttled login, and throttles each process counts on its own."""
import shutil
import subprocess
from concurrent.futures import ThreadPoolExecutor

import pytest
import requests

from tests.support.client import PASSWORD, assert_error
from tests.security.operators import OPERATOR_PASSWORD, admin_login, basic, create_operator
from tests.support.stack import Stack, free_port

LIMIT = 5  # CONDUIT_LOGIN_RATE of the throttled stacks below


def test_http_basic_on_the_tenant_api_is_not_a_password_oracle(site):
    user = site.register()
    right = {"Authorization": basic(user["username"], PASSWORD)}
    wrong = {"Authorization": basic(user["username"], "not-the-password")}
    answers = [site.get("/api/schema", headers=headers).status_code for headers in (right, wrong)]
    assert answers[0] == answers[1] == 200, answers  # Basic is not read at all: the right password changes nothing
    for headers in (right, wrong):  # and it never authenticates anyone on the tenant API
        assert_error(site.get("/api/user", headers=headers), 401, "token")


@pytest.fixture(scope="module", params=["file", pytest.param("redis", marks=pytest.mark.slow)])
def throttled(request, tmp_path_factory):
    """Several gunicorn workers behind a (simulated) proxy, a low login rate; the throttle store per param."""
    env = {"CONDUIT_LOGIN_RATE": f"{LIMIT}/min", "CONDUIT_BEHIND_PROXY": "true"}
    redis = None
    if request.param == "redis":
        if not shutil.which("redis-server"):
            pytest.skip("needs redis-server")
        port = free_port()
        redis = subprocess.Popen(["redis-server", "--port", str(port), "--save", "", "--appendonly", "no"],
                                 stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
        env["REDIS_URL"] = f"redis://127.0.0.1:{port}/0"
    stack = Stack(tmp_path_factory.mktemp(f"throttled-{request.param}"), **env)
    try:
        stack.start(workers=4)
        yield stack
    finally:
        stack.stop()
        if redis:
            redis.terminate()
            redis.wait(10)


_ips = iter(range(1, 250))


def client_ip():
    """A fresh client address per test (the proxy's X-Forwarded-For), so the tests' throttle buckets stay apart."""
    return f"10.77.0.{next(_ips)}"


def test_login_throttle_counts_across_gunicorn_workers(throttled):
    slug, ip = throttled.create_tenant(), client_ip()
    body = {"user": {"email": "ghost@example.com", "password": "a-guess-123"}}
    answers = [throttled.tenant(slug, "POST", "/api/users/login", json=body, headers={"X-Forwarded-For": ip})
               for _ in range(LIMIT + 1)]
    assert [r.status_code for r in answers] == [401] * LIMIT + [429], [r.status_code for r in answers]
    assert_error(answers[-1], 429)


def test_login_throttle_holds_under_a_concurrent_burst(throttled):
    """Many attempts at once over every worker: still exactly LIMIT get through (check-and-count is atomic)."""
    slug, ip = throttled.create_tenant(), client_ip()
    body = {"user": {"email": "ghost@example.com", "password": "a-guess-123"}}

    def attempt(_):
        return requests.post(throttled.url("/api/users/login"), json=body, timeout=60,
                             headers={"Host": f"{slug}.localhost", "X-Forwarded-For": ip}).status_code

    with ThreadPoolExecutor(16) as pool:
        codes = list(pool.map(attempt, range(12 * LIMIT)))
    assert sorted(codes) == [401] * LIMIT + [429] * (11 * LIMIT), codes


def test_admin_login_is_throttled_after_failed_operator_logins(throttled):
    name, _ = create_operator(throttled)
    ip = client_ip()
    failures = [admin_login(throttled, name, f"guess-{i}", client_ip=ip).status_code for i in range(LIMIT)]
    assert failures == [200] * LIMIT  # the form again, with an error
    assert admin_login(throttled, name, "guess-x", client_ip=ip).status_code == 429
    assert admin_login(throttled, name, OPERATOR_PASSWORD, client_ip=ip).status_code == 429  # no oracle either
    assert admin_login(throttled, name, OPERATOR_PASSWORD, client_ip=client_ip()).status_code == 302  # others log in


def test_control_api_basic_auth_is_throttled_after_failed_operator_logins(throttled):
    name, _ = create_operator(throttled)
    ip = client_ip()

    def call(password):
        return throttled.request("GET", "/api/tenants", headers={"Authorization": basic(name, password),
                                                                  "X-Forwarded-For": ip})

    assert [call(f"guess-{i}").status_code for i in range(LIMIT)] == [403] * LIMIT
    blocked = call("guess-x")
    assert_error(blocked, 429)
    assert call(OPERATOR_PASSWORD).status_code == 429  # the right password does not answer differently
    assert int(blocked.headers["Retry-After"]) > 0


def test_admin_and_control_api_share_one_count_of_failed_operator_logins(throttled):
    name, _ = create_operator(throttled)
    ip = client_ip()
    for i in range(LIMIT):
        assert admin_login(throttled, name, f"guess-{i}", client_ip=ip).status_code == 200
    answer = throttled.request("GET", "/api/tenants", headers={"Authorization": basic(name, OPERATOR_PASSWORD),
                                                                "X-Forwarded-For": ip})
    assert answer.status_code == 429


def test_successful_operator_logins_are_not_counted(throttled):
    name, _ = create_operator(throttled)
    ip = client_ip()
    for _ in range(LIMIT + 2):
        response = throttled.request("GET", "/api/tenants", headers={"Authorization": basic(name, OPERATOR_PASSWORD),
                                                                      "X-Forwarded-For": ip})
        assert response.status_code == 200, response.text
