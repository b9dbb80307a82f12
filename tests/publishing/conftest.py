"""In-process clients of a tenant's site API (Django's test client, the tenant named by its Host), per backend."""
import json
import uuid

import pytest

PASSWORD = "correct-horse-9"


class SiteClient:
    """One tenant, spoken to through the full middleware stack without a server; `token` signs the calls."""

    def __init__(self, client, tenant, token=None, username=None):
        self.client, self.tenant, self.token, self.username = client, tenant, token, username
        self.host = f"{tenant.slug}.localhost"

    def call(self, method, path, body=None, token=None):
        token = self.token if token is None else token
        headers = {"HTTP_HOST": self.host}
        if token:
            headers["HTTP_AUTHORIZATION"] = f"Token {token}"
        kwargs = {"data": json.dumps(body), "content_type": "application/json"} if body is not None else {}
        return getattr(self.client, method.lower())(path, **kwargs, **headers)

    def get(self, path, **kw):
        return self.call("GET", path, **kw)

    def put(self, path, body=None, **kw):
        return self.call("PUT", path, body, **kw)

    def post(self, path, body=None, **kw):
        return self.call("POST", path, body, **kw)

    def delete(self, path, **kw):
        return self.call("DELETE", path, **kw)

    def user(self, username=None, email=None):
        """A client signed in as a newly registered user of this tenant (registered through the API)."""
        username = username or f"u{uuid.uuid4().hex[:8]}"
        body = {"user": {"username": username, "email": email or f"{username}@example.com", "password": PASSWORD}}
        response = self.call("POST", "/api/users", body, token=False)
        assert response.status_code == 201, response.content
        return SiteClient(self.client, self.tenant, response.json()["user"]["token"], username)


@pytest.fixture(params=["sqlite", pytest.param("postgres", marks=pytest.mark.postgres)])
def backend(request):
    return {"database_url": request.getfixturevalue("pg_tenant_url")} if request.param == "postgres" else {}


@pytest.fixture
def site(transactional_db, client, make_tenant, backend):
    """A tenant (SQLite or PostgreSQL) named "Bakers' Corner" whose first owner is boss@example.com."""
    tenant = make_tenant(name="Bakers' Corner", owner_email="boss@example.com", **backend)
    return SiteClient(client, tenant)


@pytest.fixture
def owner(site):
    return site.user("boss", "Boss@Example.com")  # the owner email applies whatever its case
