"""The Conduit Frontend on tenant hosts: assets, dist-root files, index.html for client routes, /api untouched."""
import gzip
from pathlib import Path

import pytest

from tests.frontend.build import AVATAR, INDEX, SCRIPT

pytestmark = pytest.mark.django_db(transaction=True)
ROOT = Path(__file__).resolve().parents[2]
CLIENT_ROUTES = ["/", "/login", "/register", "/settings", "/editor", "/editor/some-slug", "/article/unknown-slug",
                 "/profile/nobody", "/profile/nobody/favorites", "/profile/nobody/drafts/", "/tag/bread",
                 "/search?q=bread&page=2", "/?page=3", "/index.html"]
UNKNOWN_ROUTES = ["/deep/unknown/route", "/assets", "/admin/", "/admin/login/", "/wp-login.php", "/article/a/b",
                  "/profile/nobody/other"]


@pytest.mark.parametrize("path", CLIENT_ROUTES)
def test_every_client_route_answers_index_html_uncached(client, frontend, host, path):
    response = client.get(path, HTTP_HOST=host)
    assert response.status_code == 200
    assert response.content.decode() == INDEX
    assert response["Content-Type"] == "text/html; charset=utf-8"
    assert response["Cache-Control"] == "no-cache"
    assert "script-src 'self';" in response["Content-Security-Policy"]  # no inline or injected scripts run


@pytest.mark.parametrize("path", UNKNOWN_ROUTES)
def test_a_path_the_app_does_not_route_is_the_page_with_a_404(client, frontend, host, path):
    response = client.get(path, HTTP_HOST=host)
    assert response.status_code == 404
    assert response.content.decode() == INDEX  # the app renders its own "not found" view
    assert response["Cache-Control"] == "no-cache"


def test_the_page_policy_is_the_same_behind_nginx(client, frontend, host):
    from spa.views import CONTENT_SECURITY_POLICY

    nginx = (ROOT / "deploy" / "nginx" / "snippets" / "conduit-frontend.conf").read_text()
    assert nginx.count(f'add_header Content-Security-Policy "{CONTENT_SECURITY_POLICY}";') == 2
    assert client.get("/", HTTP_HOST=host)["Content-Security-Policy"] == CONTENT_SECURITY_POLICY


def test_hashed_assets_are_immutable_for_a_year(client, frontend, host):
    response = client.get("/assets/index-3f2a1b9c.js", HTTP_HOST=host)
    assert response.status_code == 200 and response.content.decode() == SCRIPT
    assert response["Cache-Control"] == "public, max-age=31536000, immutable"
    assert response["Content-Type"].startswith("text/javascript")
    css = client.get("/assets/index-77aa01ff.css", HTTP_HOST=host)
    assert css.status_code == 200 and css["Content-Type"].startswith("text/css")


def test_assets_are_gzipped_for_clients_that_accept_it_and_revalidate_by_etag(client, frontend, host):
    response = client.get("/assets/index-3f2a1b9c.js", HTTP_HOST=host, HTTP_ACCEPT_ENCODING="gzip, br")
    assert response["Content-Encoding"] == "gzip" and "Accept-Encoding" in response["Vary"]
    assert gzip.decompress(response.content).decode() == SCRIPT and len(response.content) < len(SCRIPT) / 4
    again = client.get("/assets/index-3f2a1b9c.js", HTTP_HOST=host, HTTP_IF_NONE_MATCH=response["ETag"])
    assert again.status_code == 304 and again.content == b""


def test_a_missing_asset_is_a_404_never_index_html(client, frontend, host):
    response = client.get("/assets/index-00000000.js", HTTP_HOST=host)
    assert response.status_code == 404 and response.json() == {"errors": {"body": ["Not found."]}}


@pytest.mark.parametrize("path", ["/assets/../index.html", "/assets/%2e%2e/%2e%2e/secret.txt",
                                  "/assets/..%2f..%2fsecret.txt", "/assets/%2e%2e%5c..%5csecret.txt",
                                  "/assets//etc/passwd", "/assets/%00", "/assets/../.vite/manifest.json",
                                  "/assets/.env"])
def test_no_path_escapes_the_assets_directory(client, frontend, host, path):
    response = client.get(path, HTTP_HOST=host)
    assert response.status_code == 404, path
    assert b"outside the build" not in response.content and b"<html" not in response.content


def test_dist_root_files_are_served_and_revalidated(client, frontend, host):
    response = client.get("/default-avatar.svg", HTTP_HOST=host)
    assert response.status_code == 200 and response.content.decode() == AVATAR
    assert response["Content-Type"].startswith("image/svg+xml") and response["Cache-Control"] == "no-cache"


@pytest.mark.parametrize("path", ["/.vite/manifest.json", "/.env", "/..%2fsecret.txt", "/%2e%2e/secret.txt"])
def test_build_internals_and_files_outside_the_build_are_not_served(client, frontend, host, path):
    response = client.get(path, HTTP_HOST=host)
    assert b"outside the build" not in response.content and b"build-detail" not in response.content
    assert response.status_code == 404 and response.content.decode() == INDEX


def test_the_api_is_untouched(client, frontend, host):
    assert client.get("/api/tags", HTTP_HOST=host).json() == {"tags": []}
    for path in ("/api/nothing-here", "/api", "/api/articles/unknown-slug"):
        response = client.get(path, HTTP_HOST=host)
        assert response.status_code == 404 and response["Content-Type"] == "application/json", path


def test_unmatched_static_paths_stay_404(client, frontend, host):
    assert client.get("/static/missing.css", HTTP_HOST=host).status_code == 404


def test_the_control_host_is_unchanged(client, frontend):
    for path in ("/", "/login", "/assets/index-3f2a1b9c.js", "/default-avatar.svg"):
        response = client.get(path, HTTP_HOST="localhost")
        assert response.status_code == 404 and response["Content-Type"] == "application/json", path


def test_writes_to_a_page_are_a_clear_405(client, frontend, host):
    for method in (client.post, client.put, client.delete):
        response = method("/login", HTTP_HOST=host)
        assert response.status_code == 405 and response["Allow"] == "GET, HEAD"
        assert "Method not allowed" in response.json()["errors"]["body"][0]
    assert client.post("/assets/index-3f2a1b9c.js", HTTP_HOST=host).status_code == 405


def test_head_of_a_client_route(client, frontend, host):
    response = client.head("/article/anything", HTTP_HOST=host)
    assert response.status_code == 200 and response["Cache-Control"] == "no-cache"


@pytest.mark.parametrize("path", ["/", "/article/some-slug", "/assets/index-3f2a1b9c.js", "/default-avatar.svg"])
def test_no_build_answers_a_clear_503_page(client, settings, tmp_path, host, path):
    settings.CONDUIT = {**settings.CONDUIT, "FRONTEND_DIR": tmp_path / "never-built"}
    response = client.get(path, HTTP_HOST=host)
    assert response.status_code == 503 and response["Content-Type"] == "text/html; charset=utf-8"
    assert "The Conduit app is not built" in response.content.decode() and "make run" in response.content.decode()
    assert response["Cache-Control"] == "no-store"
    assert client.get("/api/tags", HTTP_HOST=host).status_code == 200


def test_a_rebuild_is_picked_up_without_a_restart(client, frontend, host):
    assert client.get("/", HTTP_HOST=host).content.decode() == INDEX
    rebuilt = INDEX.replace("index-3f2a1b9c.js", "index-0badc0de.js")
    (frontend / "index.html").write_text(rebuilt + "\n")
    assert client.get("/", HTTP_HOST=host).content.decode() == rebuilt + "\n"
