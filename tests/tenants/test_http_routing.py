"""Host → tenant routing through a real gunicorn server."""
import time


def test_control_host_health(stack):
    r = stack.request("GET", "/api/health")
    assert r.status_code == 200
    assert r.json()["checks"]["control_db"]["ok"] is True
    assert r.json()["checks"]["tenant_db"]["skipped"]


def test_tenant_host_health_checks_its_database(stack):
    slug = stack.create_tenant()
    r = stack.tenant(slug, "GET", "/api/health")
    assert r.status_code == 200, r.text
    assert r.json()["checks"]["tenant_db"] == {"ok": True, "ms": r.json()["checks"]["tenant_db"]["ms"], "tenant": slug}


def test_unknown_tenant_is_404_json(stack):
    r = stack.tenant("nosuchsite", "GET", "/api/health")
    assert r.status_code == 404
    assert r.json() == {"errors": {"tenant": ["No Conduit site is served at this address."]}}


def test_foreign_host_is_not_served(stack):
    r = stack.request("GET", "/api/health", host="evil.example.net")
    assert r.status_code == 404


def test_nested_subdomain_is_not_a_tenant(stack):
    slug = stack.create_tenant()
    assert stack.request("GET", "/api/health", host=f"x.{slug}.localhost").status_code == 404


def test_suspend_and_resume_take_effect_within_a_second(stack):
    slug = stack.create_tenant()
    assert stack.tenant(slug, "GET", "/api/health").status_code == 200
    stack.manage("suspend_tenant", slug)
    time.sleep(1.0)
    for _ in range(4):  # every gunicorn worker must see it, whichever answers
        r = stack.tenant(slug, "GET", "/api/health")
        assert r.status_code == 503
        assert "suspended" in r.json()["errors"]["tenant"][0]
    stack.manage("resume_tenant", slug)
    time.sleep(1.0)
    for _ in range(4):
        assert stack.tenant(slug, "GET", "/api/health").status_code == 200


def test_soft_deleted_tenant_is_404(stack):
    slug = stack.create_tenant()
    stack.manage("delete_tenant", slug)
    time.sleep(1.0)
    assert stack.tenant(slug, "GET", "/api/health").status_code == 404


def test_custom_domain_reaches_tenant(stack):
    slug = stack.create_tenant(None, "--domain", "blog.example.org")
    r = stack.request("GET", "/api/health", host="blog.example.org:443")
    assert r.status_code == 200
    assert r.json()["checks"]["tenant_db"]["tenant"] == slug


def test_request_id_is_honoured_and_logged(stack):
    r = stack.request("GET", "/api/health", headers={"X-Request-ID": "abc-123"})
    assert r.headers["X-Request-ID"] == "abc-123"
    r = stack.request("GET", "/api/health")
    assert len(r.headers["X-Request-ID"]) == 32


def test_admin_and_its_static_files_are_served_without_debug(stack):
    r = stack.request("GET", "/admin/login/")
    assert r.status_code == 200 and "Django administration" in r.text
    css = stack.request("GET", "/static/admin/css/base.css")
    assert css.status_code == 200 and "text/css" in css.headers["Content-Type"]
    assert stack.tenant(stack.create_tenant(), "GET", "/admin/login/").status_code == 404  # not on tenant hosts


def test_access_log_is_one_json_line_per_request(stack):
    import json

    slug = stack.create_tenant()
    stack.tenant(slug, "GET", "/api/health", headers={"X-Request-ID": f"log-{slug}"})
    time.sleep(0.2)
    lines = [json.loads(line) for line in (stack.data_dir / "gunicorn.log").read_text().splitlines()
             if line.startswith("{")]
    entry = next(e for e in lines if e.get("request_id") == f"log-{slug}")
    assert entry["tenant"] == slug and entry["method"] == "GET" and entry["path"] == "/api/health"
    assert entry["status"] == 200 and entry["duration_ms"] >= 0 and entry["logger"] == "conduit.access"


def test_health_names_a_failure_without_leaking_its_details(stack):
    slug = stack.create_tenant()
    database = stack.data_dir / "tenants" / f"{slug}.sqlite3"
    database.write_bytes(b"not a database at all, and a /secret/path")
    r = stack.tenant(slug, "GET", "/api/health")
    assert r.status_code == 503
    body = r.json()
    assert "tenant_db" in body["failed"] and body["checks"]["tenant_db"]["ok"] is False
    assert body["checks"]["tenant_db"]["error"] == "DatabaseError"
    assert "/secret" not in r.text and str(stack.data_dir) not in r.text
