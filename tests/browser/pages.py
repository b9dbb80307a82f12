"""What a page did in the test browser: load a Swagger UI page and check it rendered from our own files."""
from dataclasses import dataclass, field
from urllib.parse import urlsplit


@dataclass
class PageLoad:
    """What a page did: its operations, every request it made, and the ones that failed or left the site."""

    title: str = ""
    paths: list = field(default_factory=list)
    requests: list = field(default_factory=list)
    failed: list = field(default_factory=list)
    foreign: list = field(default_factory=list)
    console_errors: list = field(default_factory=list)
    headers: dict = field(default_factory=dict)  # response headers by URL


def load_docs(browser, url, *, block=None, timeout_ms=30_000, ignore_https_errors=False) -> PageLoad:
    """Open a Swagger UI page and collect the API paths it renders (one per `.opblock`) and its traffic.

    `block`: a URL glob whose requests are aborted (to prove a failing asset shows up in the result)."""
    site = urlsplit(url).netloc
    result = PageLoad()
    context = browser.new_context(ignore_https_errors=ignore_https_errors)
    page = context.new_page()
    page.on("request", lambda r: (result.requests.append(r.url),
                                  urlsplit(r.url).netloc != site and not r.url.startswith("data:")
                                  and result.foreign.append(r.url)))
    page.on("requestfailed", lambda r: result.failed.append(f"{r.url} ({r.failure})"))
    page.on("response", lambda r: (result.headers.__setitem__(r.url, r.headers),
                                   r.status >= 400 and result.failed.append(f"{r.url} ({r.status})")))
    page.on("console", lambda m: m.type == "error" and result.console_errors.append(m.text))
    if block:
        page.route(block, lambda route: route.abort("internetdisconnected"))
    try:
        page.goto(url, wait_until="load", timeout=timeout_ms)
        try:
            page.wait_for_selector(".opblock .opblock-summary-path", timeout=timeout_ms)
        except Exception:  # nothing rendered: the caller sees empty paths and the failed requests
            pass
        page.wait_for_load_state("networkidle", timeout=timeout_ms)
        result.title = page.title()
        result.paths = page.eval_on_selector_all(".opblock .opblock-summary-path",
                                                 "nodes => nodes.map(n => n.dataset.path)")
    finally:
        context.close()
    return result


def assert_rendered_offline(load: PageLoad, must_show):
    """Swagger UI rendered these operations from our own static files, and nothing failed or left the site."""
    assert load.failed == [], load.failed
    assert load.foreign == [], f"the page reached beyond the site: {load.foreign}"
    assert set(must_show) <= set(load.paths), load.paths
    assert any("/static/drf_spectacular_sidecar/swagger-ui-dist/swagger-ui-bundle" in u for u in load.requests)
