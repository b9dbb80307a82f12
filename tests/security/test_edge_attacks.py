"""Attacks through the shipped nginx in front of gunicorn (deploy/nginx): what the edge lets through."""
import shutil

import pytest

from tests.deploy.test_nginx_proxy import curl, proxied  # noqa: F401 (the shipped nginx config before a real gunicorn)

pytestmark = pytest.mark.skipif(not (shutil.which("nginx") and shutil.which("curl") and shutil.which("openssl")),
                                reason="needs nginx, curl and openssl (scripts/validate-deploy.sh installs them)")


def test_metrics_through_nginx_without_credentials(proxied):
    for host in ("localhost", f"{proxied['app'].create_tenant()}.localhost"):
        status, _, body = curl(proxied, host, "/metrics")
        assert status == 401 and b"# TYPE conduit" not in body, (host, status, body[:200])


def test_metrics_through_nginx_with_credentials_reach_django(proxied):
    """The edge only stops requests without credentials; Django decides on the rest (here: a loopback client, as
    nginx reports it, with no token configured, so the scrape is allowed; a remote one would get Django's 401)."""
    status, _, body = curl(proxied, "localhost", "/metrics", "-H", "Authorization: Bearer guess")
    assert status == 200 and b"# TYPE conduit" in body
