"""Add tenant in the admin of a real gunicorn on the PostgreSQL profile (control and tenant databases on PostgreSQL)."""
import re
import uuid

import pytest
import requests

pytestmark = pytest.mark.postgres
PASSWORD = "operator-pw-123456"


def admin_session(stack):
    name = f"op{uuid.uuid4().hex[:6]}"
    stack.manage("shell", "-c", f"from accounts.models import User; "
                 f"User.objects.create_superuser('{name}', '{name}@example.com', '{PASSWORD}')")
    session, host = requests.Session(), {"Host": "localhost"}
    session.get(stack.url("/admin/login/"), headers=host, timeout=30)
    response = session.post(stack.url("/admin/login/"), headers=host, timeout=30, data={
        "csrfmiddlewaretoken": session.cookies["csrftoken"], "username": name, "password": PASSWORD,
        "next": "/admin/"})
    assert response.status_code == 200 and "Log out" in response.text
    return name, session


def test_admin_adds_a_postgres_tenant_over_http(pg_stack):
    name, session = admin_session(pg_stack)

    def add(slug, domains=""):
        return session.post(pg_stack.url("/admin/tenants/tenant/add/"), headers={"Host": "localhost"}, timeout=60,
                            data={"csrfmiddlewaretoken": session.cookies["csrftoken"], "slug": slug, "name": "",
                                  "domains": domains, "database_url": ""})

    slug = f"a{uuid.uuid4().hex[:8]}"
    created = add(slug, "pg-admin.example")
    assert created.status_code == 200 and created.url.endswith("/admin/tenants/tenant/"), created.text[-2000:]
    assert f"{slug}" in created.text  # the admin's "was added successfully" message names it
    assert pg_stack.tenant(slug, "GET", "/api/tags").json() == {"tags": []}  # served by every worker at once
    assert pg_stack.request("GET", "/api/tags", host="pg-admin.example").status_code == 200

    for refused, message in [(slug, f"a tenant with slug &#x27;{slug}&#x27; already exists"),
                             ("metrics", "slug &#x27;metrics&#x27; is reserved")]:
        page = add(refused)
        assert page.status_code == 200 and message in page.text, page.text[-3000:]

    audit = pg_stack.manage("shell", "-c", "from tenants.models import AuditLog; "
                            f"a = AuditLog.objects.get(action='tenant.create', target='{slug}'); "
                            "print(a.actor, a.source_ip, a.detail['database'])").stdout.splitlines()[-1].split()
    assert audit[:2] == [name, "127.0.0.1"] and audit[2].startswith("postgres://")
    tenant_id = re.search(rf'href="/admin/tenants/tenant/(\d+)/change/[^"]*">{slug}<', created.text).group(1)
    port = pg_stack.port  # as a browser sends it: the links keep the port the operator reached the admin on
    page = session.get(pg_stack.url(f"/admin/tenants/tenant/{tenant_id}/change/"),
                       headers={"Host": f"localhost:{port}"}).text
    assert f'href="http://{slug}.localhost:{port}/"' in page and f'href="http://pg-admin.example:{port}/"' in page
