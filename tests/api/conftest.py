"""A Conduit site per database backend (SQLite, PostgreSQL), driven through real HTTP."""
import json
import re
import time
import uuid

import pytest

ISO = re.compile(r"^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{3}Z$")
PASSWORD = "correct-horse-9"


def name(prefix="u"):
    return f"{prefix}{uuid.uuid4().hex[:8]}"


class Site:
    """One tenant of a running stack, with helpers that speak the RealWorld API."""

    def __init__(self, stack, slug):
        self.stack, self.slug = stack, slug

    def call(self, method, path, token=None, scheme="Token", headers=None, **kwargs):
        headers = dict(headers or {})
        if token:
            headers["Authorization"] = f"{scheme} {token}"
        return self.stack.tenant(self.slug, method, path, headers=headers, **kwargs)

    def get(self, path, token=None, **kw):
        return self.call("GET", path, token, **kw)

    def post(self, path, json=None, token=None, **kw):
        return self.call("POST", path, token, json=json, **kw)

    def put(self, path, json=None, token=None, **kw):
        return self.call("PUT", path, token, json=json, **kw)

    def delete(self, path, token=None, **kw):
        return self.call("DELETE", path, token, **kw)

    def register(self, username=None, email=None):
        username = username or name()
        body = {"user": {"username": username, "email": email or f"{username}@example.com", "password": PASSWORD}}
        response = self.post("/api/users", body)
        assert response.status_code == 201, response.text
        return response.json()["user"]

    def article(self, token, title=None, tags=(), **extra):
        body = {"article": {"title": title or name("Title "), "description": "desc", "body": "body text",
                            "tagList": list(tags), **extra}}
        response = self.post("/api/articles", body, token)
        assert response.status_code == 201, response.text
        return response.json()["article"]


@pytest.fixture(scope="session", params=["sqlite", pytest.param("postgres", marks=pytest.mark.postgres)])
def site(request):
    """A fresh tenant on the SQLite stack or on the PostgreSQL stack (shared by the tests of a session)."""
    stack = request.getfixturevalue("stack" if request.param == "sqlite" else "pg_stack")
    return Site(stack, stack.create_tenant())


@pytest.fixture
def alice(site):
    return site.register()


@pytest.fixture
def bob(site):
    return site.register()


def assert_error(response, status, field=None):
    assert response.status_code == status, (response.status_code, response.text)
    body = response.json()
    assert set(body) == {"errors"} and body["errors"], body
    assert all(isinstance(v, list) and all(isinstance(m, str) for m in v) for v in body["errors"].values()), body
    if field:
        assert field in body["errors"], body
    return body["errors"]


def site_key(site):
    """The tenant identity its signing key is derived from: "<id>:<slug>"."""
    rows = json.loads(site.stack.manage("list_tenants", "--format", "json").stdout)
    return f"{next(r['id'] for r in rows if r['slug'] == site.slug)}:{site.slug}"


def auth_log(stack, request_id, timeout=5.0):
    """The conduit.auth log entry of one request (found by its X-Request-ID) in the stack's gunicorn log."""
    deadline = time.monotonic() + timeout
    while True:
        for line in (stack.data_dir / "gunicorn.log").read_text().splitlines():
            if line.startswith("{") and f'"{request_id}"' in line:
                entry = json.loads(line)
                if entry.get("logger") == "conduit.auth" and entry.get("request_id") == request_id:
                    return entry
        if time.monotonic() > deadline:
            raise AssertionError(f"no conduit.auth log line for request {request_id}")
        time.sleep(0.1)
