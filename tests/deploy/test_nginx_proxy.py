"""The shipped nginx configuration in front of a real gunicorn: TLS, host routing, header hygiene, body limits."""
import json
import os
import shutil
import subprocess
import tempfile
from pathlib import Path

import pytest

from tests.media import samples
from tests.support.nginx import render, running, self_signed
from tests.support.stack import Stack, free_port

FRONTEND_INDEX = ('<!doctype html><html><head><title>Conduit</title><meta name="description" content="Conduit">'
                  '<script type="module" src="/assets/index-3f2a1b9c.js"></script></head><body></body></html>\n')
FRONTEND_SCRIPT = "export const conduit = 1;\n" * 200
pytestmark = pytest.mark.skipif(not (shutil.which("nginx") and shutil.which("curl") and shutil.which("openssl")),
                                reason="needs nginx, curl and openssl (scripts/validate-deploy.sh installs them)")


def frontend_build(root):
    """A stand-in for frontend/dist: index.html, one hashed asset, one root file."""
    (root / "assets").mkdir(parents=True)
    (root / "index.html").write_text(FRONTEND_INDEX)
    (root / "assets" / "index-3f2a1b9c.js").write_text(FRONTEND_SCRIPT)
    (root / "default-avatar.svg").write_text('<svg xmlns="http://www.w3.org/2000/svg"/>\n')
    for path in (root, *root.rglob("*")):
        path.chmod(0o755 if path.is_dir() else 0o644)


@pytest.fixture(scope="module")
def proxied(tmp_path_factory):
    """A gunicorn-served Conduit told it sits behind a proxy, and the shipped nginx config in front of it."""
    # nginx workers run unprivileged: they buffer request bodies, load SNI-picked certificates and read the frontend
    # bundle under this prefix, so it lies outside pytest's private temp tree.
    tmp = Path(tempfile.mkdtemp(prefix="conduit-nginx-"))
    tmp.chmod(0o755)
    frontend_build(tmp / "frontend")  # what the web container exports to the volume nginx serves
    app = Stack(tmp_path_factory.mktemp("proxied"), CONDUIT_BEHIND_PROXY="true", FORWARDED_ALLOW_IPS="127.0.0.1",
                CONDUIT_FRONTEND_DIR=tmp / "frontend")
    app.start(workers=1)
    http_port, https_port = free_port(), free_port()
    try:
        render(tmp, app.port, http_port, https_port)
        health = ["curl", "-s", "-o", "/dev/null", f"http://127.0.0.1:{http_port}/nginx-health"]
        with running(tmp, lambda: subprocess.run(health).returncode == 0):
            yield {"app": app, "http": http_port, "https": https_port, "dir": tmp}
    finally:
        app.stop()
        shutil.rmtree(tmp, ignore_errors=True)


def curl(proxied, host, path, *args, scheme="https"):
    """One request through nginx with the right SNI and Host: (status, lowercased headers, body), or None if it failed."""
    port = proxied[scheme]
    result = subprocess.run(
        ["curl", "-sk", "-D", "-", "--max-time", "30", "--resolve", f"{host}:{port}:127.0.0.1",
         f"{scheme}://{host}:{port}{path}", *args], capture_output=True)
    if result.returncode:
        return None
    head, _, body = result.stdout.partition(b"\r\n\r\n")
    while head.startswith(b"HTTP/1.1 100"):
        head, _, body = body.partition(b"\r\n\r\n")
    lines = head.decode().split("\r\n")
    headers = {k.lower(): v.strip() for k, _, v in (line.partition(":") for line in lines[1:])}
    return int(lines[0].split()[1]), headers, body


def test_control_plane_over_tls_with_request_id_passthrough(proxied):
    status, headers, body = curl(proxied, "localhost", "/api/health", "-H", "X-Request-ID: deploy-test-0001")
    assert status == 200 and json.loads(body)["status"] == "ok"
    assert headers["x-request-id"] == "deploy-test-0001"
    assert "max-age=31536000" in headers["strict-transport-security"]


def test_malformed_request_id_is_replaced_by_nginx(proxied):
    _, headers, _ = curl(proxied, "localhost", "/api/health", "-H", "X-Request-ID: <script>")
    assert len(headers["x-request-id"]) == 32 and int(headers["x-request-id"], 16) >= 0


def test_tenant_routing_ignores_spoofed_forwarding_headers(proxied):
    app = proxied["app"]
    mine, other = app.create_tenant(), app.create_tenant()
    status, _, body = curl(proxied, f"{mine}.localhost", "/api/health",
                           "-H", f"X-Forwarded-Host: {other}.localhost", "-H", "X-Forwarded-Ssl: off")
    assert status == 200, body
    assert json.loads(body)["checks"]["tenant_db"]["tenant"] == mine


def test_login_throttle_cannot_be_dodged_with_invented_forwarded_for(proxied):
    slug = proxied["app"].create_tenant()
    body = json.dumps({"user": {"email": "nobody@example.com", "password": "wrong-password"}})
    statuses = [
        curl(proxied, f"{slug}.localhost", "/api/users/login", "-X", "POST", "--data", body,
             "-H", "Content-Type: application/json", "-H", f"X-Forwarded-For: 10.9.8.{i}")[0]
        for i in range(21)  # CONDUIT_LOGIN_RATE: 20/min per tenant and client address
    ]
    assert 429 not in statuses[:20] and statuses[20] == 429, statuses


def test_custom_domain_gets_its_certificate_by_sni(proxied):
    app = proxied["app"]
    slug = app.create_tenant(None, "--domain", "blog.example.test")
    domains = proxied["dir"] / "certs" / "domains"
    self_signed(domains, "blog.example.test")
    (domains / "blog.example.test.key").chmod(0o644)  # read by a worker process at handshake time, not the master
    status, _, body = curl(proxied, "blog.example.test", "/api/health")
    assert status == 200 and json.loads(body)["checks"]["tenant_db"]["tenant"] == slug
    assert curl(proxied, "nowhere.example.test", "/api/health") is None  # no certificate: the handshake fails


def test_plain_http_redirects_to_https_keeping_host_and_path(proxied):
    status, headers, _ = curl(proxied, "acme.localhost", "/api/articles?limit=5", scheme="http")
    assert status == 308 and headers["location"] == "https://acme.localhost/api/articles?limit=5"


def test_body_limit_is_small_except_on_media(proxied, tmp_path):
    big = tmp_path / "big.bin"
    big.write_bytes(os.urandom(3 * 1024**2))
    status, _, _ = curl(proxied, "localhost", "/api/tenants", "-X", "POST", "--data-binary", f"@{big}",
                        "-H", "Content-Type: application/json")
    assert status == 413
    slug = proxied["app"].create_tenant()
    status, _, body = curl(proxied, f"{slug}.localhost", "/api/media", "-X", "POST", "-F", f"file=@{big}")
    assert status not in (413, 502, 504) and status < 500, body  # reached Django, which judges the upload


def test_django_sees_https_and_the_public_host_behind_nginx(proxied, tmp_path):
    slug = proxied["app"].create_tenant()
    user = {"user": {"username": "proxied", "email": "proxied@example.com", "password": "a-long-password"}}
    status, _, body = curl(proxied, f"{slug}.localhost", "/api/users", "-X", "POST", "--data", json.dumps(user),
                           "-H", "Content-Type: application/json")
    assert status == 201, body
    token = json.loads(body)["user"]["token"]
    image = tmp_path / "dot.png"
    image.write_bytes(samples.png())
    status, _, body = curl(proxied, f"{slug}.localhost", "/api/media", "-X", "POST", "-F", f"file=@{image};type=image/png",
                           "-H", f"Authorization: Token {token}", "-H", "X-Forwarded-Proto: http")
    assert status == 201, body
    assert json.loads(body)["media"]["url"].startswith(f"https://{slug}.localhost/")  # built by Django


def test_static_files_are_gzipped(proxied):
    status, headers, _ = curl(proxied, "localhost", "/static/admin/css/base.css", "-H", "Accept-Encoding: gzip")
    assert status == 200 and headers.get("content-encoding") == "gzip"


def test_tenant_hosts_get_the_frontend_from_nginx_with_cache_headers(proxied):
    slug = proxied["app"].create_tenant()
    for path in ("/", "/login", "/editor/some-slug", "/profile/someone/favorites", "/search?q=x"):
        status, headers, body = curl(proxied, f"{slug}.localhost", path)
        assert status == 200 and body.decode() == FRONTEND_INDEX, path
        assert headers["cache-control"] == "no-cache" and "max-age=31536000" in headers["strict-transport-security"]
        assert "x-request-id" not in headers, f"{path} reached Django; nginx serves the page itself"
        assert "script-src 'self';" in headers["content-security-policy"]
    status, headers, body = curl(proxied, f"{slug}.localhost", "/assets/index-3f2a1b9c.js", "-H", "Accept-Encoding: gzip")
    assert status == 200 and headers["cache-control"] == "public, max-age=31536000, immutable"
    assert headers["content-encoding"] == "gzip" and headers["x-content-type-options"] == "nosniff"
    status, headers, _ = curl(proxied, f"{slug}.localhost", "/assets/index-00000000.js")
    assert status == 404 and "immutable" not in headers.get("cache-control", "")
    status, headers, body = curl(proxied, f"{slug}.localhost", "/default-avatar.svg")
    assert status == 200 and body.startswith(b"<svg") and headers["cache-control"] == "no-cache"


def test_tenant_api_and_link_previews_go_to_django(proxied):
    app = proxied["app"]
    slug = app.create_tenant()
    status, headers, body = curl(proxied, f"{slug}.localhost", "/api/tags")
    assert status == 200 and json.loads(body) == {"tags": []} and "x-request-id" in headers
    user = {"user": {"username": "previewer", "email": "previewer@example.com", "password": "a-long-password"}}
    token = app.tenant(slug, "POST", "/api/users", json=user).json()["user"]["token"]
    article = {"article": {"title": "Shared <b>link</b>", "description": "Seen on social sites", "body": "b"}}
    made = app.tenant(slug, "POST", "/api/articles", json=article, headers={"Authorization": f"Token {token}"})
    status, headers, body = curl(proxied, f"{slug}.localhost", f"/article/{made.json()['article']['slug']}")
    page = body.decode()
    assert status == 200 and "x-request-id" in headers  # Django filled the tags in
    assert '<meta property="og:title" content="Shared &lt;b&gt;link&lt;/b&gt; — ' in page
    assert f'<meta property="og:url" content="https://{slug}.localhost/article/' in page  # the public URL, via the proxy
    status, _, body = curl(proxied, f"{slug}.localhost", "/profile/previewer")
    assert status == 200 and '<meta property="og:type" content="profile">' in body.decode()


def test_the_control_host_still_goes_to_django_only(proxied):
    status, headers, body = curl(proxied, "localhost", "/")
    assert status == 404 and json.loads(body) == {"errors": {"body": ["Not found."]}}
    status, _, _ = curl(proxied, "localhost", "/assets/index-3f2a1b9c.js")
    assert status == 404
