"""/api/docs renders in a real Chromium that can reach 127.0.0.1 only: Swagger UI comes from our own static files."""
import pytest

from tests.browser.pages import assert_rendered_offline, load_docs

pytestmark = pytest.mark.browser


def test_tenant_docs_render_offline_on_a_custom_domain(stack, browser):
    # A custom domain (not *.localhost) is where Swagger UI would call its public validator; it must not.
    slug = stack.create_tenant(None, "--domain", "docs.example.test")
    load = load_docs(browser, f"http://docs.example.test:{stack.port}/api/docs")
    assert_rendered_offline(load, ["/api/articles", "/api/articles/{slug}", "/api/users/login",
                                   "/api/profiles/{username}"])
    assert len(load.paths) >= 19, load.paths  # the RealWorld API's operations, not a fragment
    assert load.title == "RealWorld Conduit API"  # the site's API, not the control plane's
    stack.tenant(slug, "GET", "/api/health")  # the tenant is still served after the page load


def test_tenant_subdomain_docs_render_offline(stack, browser):
    slug = stack.create_tenant()
    load = load_docs(browser, f"http://{slug}.localhost:{stack.port}/api/docs")
    assert_rendered_offline(load, ["/api/articles", "/api/tags"])


def test_control_docs_render_offline(stack, browser):
    load = load_docs(browser, f"http://localhost:{stack.port}/api/docs")
    assert_rendered_offline(load, ["/api/tenants", "/api/tenants/{slug}"])
    assert load.title == "Conduit control plane API"


def test_a_failing_asset_fails_the_check(stack, browser):
    """The harness itself: with Swagger UI's bundle unreachable, nothing renders and the failure is reported."""
    slug = stack.create_tenant()
    load = load_docs(browser, f"http://{slug}.localhost:{stack.port}/api/docs", block="**/swagger-ui-bundle*.js",
                     timeout_ms=5_000)
    assert load.paths == []
    assert any("swagger-ui-bundle" in f for f in load.failed), load.failed
    with pytest.raises(AssertionError):
        assert_rendered_offline(load, ["/api/articles"])


@pytest.mark.parametrize("url", ["https://cdn.jsdelivr.net/npm/swagger-ui-dist/swagger-ui.css", "http://192.0.2.1/"])
def test_the_browser_reaches_nothing_beyond_loopback(browser, url):
    """The harness itself: public names and IP literals both fail, so a page that needs them cannot pass."""
    page = browser.new_page()
    try:
        with pytest.raises(Exception, match=r"net::ERR_(PROXY_CONNECTION_FAILED|NAME_NOT_RESOLVED)"):
            page.goto(url, timeout=10_000)
    finally:
        page.close()
