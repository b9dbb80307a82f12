"""The compose profile: nginx serves the Swagger UI assets from the static volume; /api/docs renders offline."""
import shutil
import tempfile
from pathlib import Path

import pytest
import requests

from tests.browser.pages import assert_rendered_offline, load_docs
from tests.support.nginx import render, running
from tests.support.stack import Stack, free_port

pytestmark = [
    pytest.mark.browser,
    pytest.mark.skipif(not (shutil.which("nginx") and shutil.which("openssl")),
                       reason="needs nginx and openssl (scripts/validate-deploy.sh installs them)"),
]


@pytest.fixture(scope="module")
def edge(tmp_path_factory):
    """gunicorn behind the shipped nginx config, with the collected static files copied to the volume nginx serves."""
    app = Stack(tmp_path_factory.mktemp("docs-edge"), CONDUIT_BEHIND_PROXY="true", FORWARDED_ALLOW_IPS="127.0.0.1")
    app.start(workers=1)
    tmp = Path(tempfile.mkdtemp(prefix="conduit-docs-nginx-"))  # outside pytest's private tree: nginx workers read it
    tmp.chmod(0o755)
    https_port = free_port()

    def answers():
        try:
            requests.get(f"https://127.0.0.1:{https_port}/", verify=False, timeout=2)
            return True
        except requests.RequestException:
            return False

    try:
        render(tmp, app.port, free_port(), https_port)
        shutil.copytree(app.data_dir / "static", tmp / "static")  # what deploy/entrypoint.sh does (CONDUIT_STATIC_EXPORT)
        with running(tmp, answers):
            yield {"app": app, "https": https_port, "static": tmp / "static"}
    finally:
        app.stop()
        shutil.rmtree(tmp, ignore_errors=True)


def test_docs_through_nginx_render_offline_with_assets_from_the_volume(edge, browser):
    slug = edge["app"].create_tenant()
    load = load_docs(browser, f"https://{slug}.localhost:{edge['https']}/api/docs", ignore_https_errors=True)
    assert_rendered_offline(load, ["/api/articles", "/api/user"])
    bundle = next(u for u in load.requests if "swagger-ui-bundle" in u)
    # nginx's own header for the volume (`expires 30d`), not WhiteNoise's year-long one: served without Django
    assert load.headers[bundle].get("cache-control") == "max-age=2592000", load.headers[bundle]
    assert (edge["static"] / bundle.split("/static/", 1)[1]).is_file()
