"""The one HTTP client of the tenant-API tests: a tenant of a running stack, spoken to like a RealWorld client."""
import json
import re
import time

from tests.support.stack import unique

ISO = re.compile(r"^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{3}Z$")
PASSWORD = "correct-horse-9"


def name(prefix="u"):
    return unique(prefix, 8)


class Site:
    """One tenant of a running stack, with helpers that speak the RealWorld API.

    `token`: sent with every call that does not name its own (a client made by `user()` carries its user's);
    a call passes `token=False` to send none."""

    def __init__(self, stack, slug, token=None):
        self.stack, self.slug, self.token = stack, slug, token

    def call(self, method, path, token=None, scheme="Token", headers=None, **kwargs):
        headers = dict(headers or {})
        token = self.token if token is None else token
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
        response = self.post("/api/users", body, token=False)
        assert response.status_code == 201, response.text
        return response.json()["user"]

    def user(self, username=None):
        """A client of this tenant signed in as a newly registered user (its calls send the user's token)."""
        user = self.register(username)
        client = Site(self.stack, self.slug, user["token"])
        client.username = user["username"]
        return client

    def login(self, username):
        body = {"user": {"email": f"{username}@example.com", "password": PASSWORD}}
        return self.post("/api/users/login", body, token=False)

    def article(self, token, title=None, tags=(), **extra):
        body = {"article": {"title": title or name("Title "), "description": "desc", "body": "body text",
                            "tagList": list(tags), **extra}}
        response = self.post("/api/articles", body, token)
        assert response.status_code == 201, response.text
        return response.json()["article"]

    def upload(self, data, name="file.bin", content_type="application/octet-stream", field="file", token=None):
        return self.call("POST", "/api/media", token, files={field: (name, data, content_type)})

    def key(self):
        """The tenant identity its signing key is derived from: "<id>:<slug>"."""
        return f"{self.stack.tenant_row(self.slug)['id']}:{self.slug}"


def assert_error(response, status, field=None):
    assert response.status_code == status, (response.status_code, response.text)
    body = response.json()
    assert set(body) == {"errors"} and body["errors"], body
    assert all(isinstance(v, list) and all(isinstance(m, str) for m in v) for v in body["errors"].values()), body
    if field:
        assert field in body["errors"], body
    return body["errors"]


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
