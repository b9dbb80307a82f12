"""The staff control API and the admin for moves and exports, through the real gunicorn stack."""
import io
import json
import re
import tarfile
import time
import uuid

import pytest
import requests

from tests.support.populated import PopulatedSite

PASSWORD = "operator-pass-1"


@pytest.fixture(scope="module")
def operator(stack):
    name = f"op{uuid.uuid4().hex[:6]}"
    stack.manage("shell", "-c", f"from accounts.models import User; "
                 f"User.objects.create_superuser('{name}', '{name}@example.com', '{PASSWORD}')")
    return (name, PASSWORD)


def control(stack, method, path, auth=None, **kwargs):
    return stack.session.request(method, stack.url(path), headers={"Host": "localhost"}, auth=auth, timeout=60,
                                 **kwargs)


def wait_done(stack, slug, auth, seconds=120):
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        body = control(stack, "GET", f"/api/tenants/{slug}/move", auth).json()
        if body["status"] in ("done", "failed"):
            return body
        time.sleep(0.3)
    raise AssertionError(f"move of {slug} did not finish: {body}")


@pytest.mark.postgres
def test_move_through_the_control_api_reports_progress_and_audits(stack, operator, pg_target):
    site = PopulatedSite(stack, stack.create_tenant()).populate(articles=2)
    before = site.snapshot()
    target = pg_target()
    response = control(stack, "POST", f"/api/tenants/{site.slug}/move", operator, json={"database_url": target})
    assert response.status_code == 202, response.text
    assert response.json()["status"] in ("pending", "running") and response.json()["target"] == target

    body = wait_done(stack, site.slug, operator)
    assert body["status"] == "done", body
    assert body["step"] == "writable" and body["progress"]["rows_copied"] > 0
    assert body["progress"]["read_only_seconds"] > 0 and "writable again" in body["progress"]["message"]
    assert stack.tenant_row(site.slug)["database"] == target
    time.sleep(1.0)
    assert site.snapshot() == before

    audit = control(stack, "GET", f"/api/tenants/audit?target={site.slug}", operator).json()
    move = next(a for a in audit if a["action"] == "tenant.move")
    assert move["actor"] == operator[0] and move["detail"]["from"].startswith("sqlite:///")
    assert move["detail"]["to"] == target and move["source_ip"] == "127.0.0.1"


def test_move_api_errors_are_4xx_json(stack, operator):
    slug = stack.create_tenant()
    cases = [
        ({"database_url": "mysql://nope/x"}, 422, "database_url"),
        ({}, 422, "database_url"),
        ({"database_url": stack.tenant_row(slug)["database"]}, 409, "database_url"),
    ]
    for body, code, field in cases:
        response = control(stack, "POST", f"/api/tenants/{slug}/move", operator, json=body)
        assert response.status_code == code and field in response.json()["errors"], response.text
    assert control(stack, "GET", f"/api/tenants/{slug}/move", operator).status_code == 404
    assert control(stack, "POST", "/api/tenants/nosuch/move", operator, json={"database_url": "sqlite:///x"}
                   ).status_code == 404
    assert control(stack, "GET", f"/api/tenants/{slug}/move").status_code in (401, 403)
    assert control(stack, "GET", f"/api/tenants/{slug}/export").status_code in (401, 403)


def test_export_download_is_a_verified_archive(stack, operator):
    site = PopulatedSite(stack, stack.create_tenant()).populate(articles=1)
    response = control(stack, "GET", f"/api/tenants/{site.slug}/export?media=true", operator)
    assert response.status_code == 200
    assert response.headers["Content-Type"] == "application/gzip"
    assert f'filename="{site.slug}-' in response.headers["Content-Disposition"]
    with tarfile.open(fileobj=io.BytesIO(response.content)) as tar:
        manifest = json.load(tar.extractfile("manifest.json"))
    assert manifest["tables"]["content_article"]["rows"] == 1 and len(manifest["media"]) == 1
    audit = control(stack, "GET", f"/api/tenants/audit?target={site.slug}", operator).json()
    assert any(a["action"] == "tenant.export" for a in audit)


@pytest.mark.postgres
def test_admin_starts_a_move_and_shows_its_outcome(stack, operator, pg_target):
    slug, target = stack.create_tenant(), pg_target()
    session, host = requests.Session(), {"Host": "localhost"}
    session.get(stack.url("/admin/login/"), headers=host)
    response = session.post(stack.url("/admin/login/"), headers=host, data={
        "csrfmiddlewaretoken": session.cookies["csrftoken"], "username": operator[0], "password": operator[1],
        "next": "/admin/"})
    assert response.status_code == 200
    listing = session.get(stack.url(f"/admin/tenants/tenant/?q={slug}"), headers=host).text
    tenant_id = re.search(r"/admin/tenants/tenant/(\d+)/change/", listing).group(1)

    def add(target_url):
        return session.post(stack.url("/admin/tenants/tenantmove/add/"), headers=host, data={
            "csrfmiddlewaretoken": session.cookies["csrftoken"], "tenant": tenant_id, "target_url": target_url})

    refused = add("mysql://x/y")
    assert refused.status_code == 200 and "unsupported tenant database URL" in refused.text
    assert add(target).status_code == 200  # redirected to the move's list
    assert wait_done(stack, slug, operator)["status"] == "done"
    page = session.get(stack.url(f"/admin/tenants/tenant/{tenant_id}/change/"), headers=host).text
    assert "done" in page and "writable again" in page and "Move to another database" in page
    assert stack.tenant_row(slug)["database"] == target
