"""CORS from the environment: a RealWorld frontend on another origin can call the tenant API with a token."""
import pytest


@pytest.fixture
def tenant_host(make_tenant):
    return f"{make_tenant().slug}.localhost"


@pytest.mark.django_db(transaction=True)
def test_preflight_and_response_for_an_allowed_origin(client, settings, tenant_host):
    settings.CORS_ALLOWED_ORIGINS = ["https://app.example.com"]
    preflight = client.options("/api/articles", HTTP_HOST=tenant_host, HTTP_ORIGIN="https://app.example.com",
                               HTTP_ACCESS_CONTROL_REQUEST_METHOD="POST",
                               HTTP_ACCESS_CONTROL_REQUEST_HEADERS="authorization, content-type")
    assert preflight.status_code == 200
    assert preflight["Access-Control-Allow-Origin"] == "https://app.example.com"
    assert "authorization" in preflight["Access-Control-Allow-Headers"]
    response = client.get("/api/tags", HTTP_HOST=tenant_host, HTTP_ORIGIN="https://app.example.com")
    assert response.status_code == 200 and response["Access-Control-Allow-Origin"] == "https://app.example.com"


@pytest.mark.django_db(transaction=True)
def test_other_origins_get_no_cors_headers(client, settings, tenant_host):
    settings.CORS_ALLOWED_ORIGINS = ["https://app.example.com"]
    response = client.get("/api/tags", HTTP_HOST=tenant_host, HTTP_ORIGIN="https://evil.example.net")
    assert response.status_code == 200 and "Access-Control-Allow-Origin" not in response


@pytest.mark.django_db(transaction=True)
def test_allow_all_origins(client, settings, tenant_host):
    settings.CORS_ALLOW_ALL_ORIGINS = True
    response = client.get("/api/tags", HTTP_HOST=tenant_host, HTTP_ORIGIN="http://localhost:4200")
    assert response["Access-Control-Allow-Origin"] in ("*", "http://localhost:4200")


@pytest.mark.django_db(transaction=True)
def test_token_writes_need_no_csrf_token(client, tenant_host):
    client.handler.enforce_csrf_checks = True
    response = client.post("/api/users", {"user": {"username": "csrf", "email": "c@x.io", "password": "long-enough-1"}},
                           content_type="application/json", HTTP_HOST=tenant_host)
    assert response.status_code == 201
