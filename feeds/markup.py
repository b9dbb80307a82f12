"""An article's markdown body as sanitised HTML for feed readers: markdown-it-py renders, nh3 (ammonia) cleans.

Raw HTML in a body is allowed through the renderer (as the Conduit Frontend's `marked` does) and then cleaned by the
sanitiser's allow-list: no script, style, iframe, form or event handler survives, links carry rel="noopener
noreferrer nofollow", only http(s) and mailto URLs are kept, and relative URLs are made absolute against the
article's URL (a feed reader shows the HTML far from the site).
"""
from collections import OrderedDict
from threading import Lock

import nh3
from markdown_it import MarkdownIt

_markdown = MarkdownIt("commonmark", {"html": True}).enable(["table", "strikethrough"])
URL_SCHEMES = {"http", "https", "mailto"}
LINK_REL = "noopener noreferrer nofollow"
_CACHE_SIZE = 4096  # rendered bodies kept per process, keyed by article version and base URL
_cache: OrderedDict = OrderedDict()
_lock = Lock()


def render_html(body: str, *, base_url: str) -> str:
    """Markdown → HTML with every unsafe tag, attribute and URL removed; relative URLs resolved against base_url."""
    raw = _markdown.render(body or "")
    return nh3.clean(raw, url_schemes=URL_SCHEMES, link_rel=LINK_REL,
                     url_relative=("rewrite_with_base", base_url))


def render_cached(key: tuple, body: str, *, base_url: str) -> str:
    """render_html, remembered under `key` (it must change whenever the body or base_url does)."""
    key = (*key, base_url)
    with _lock:
        if key in _cache:
            _cache.move_to_end(key)
            return _cache[key]
    html = render_html(body, base_url=base_url)
    with _lock:
        _cache[key] = html
        if len(_cache) > _CACHE_SIZE:
            _cache.popitem(last=False)
    return html
