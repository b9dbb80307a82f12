"""The built Conduit Frontend on disk: safe file lookup, the cached index.html, link-preview meta tags."""
import re
import threading
from dataclasses import dataclass
from pathlib import Path

from django.utils.html import escape

from conduit.conf import conduit_settings

_TITLE = re.compile(r"<title>[^<]*</title>", re.I)
_DESCRIPTION = re.compile(r"""<meta\s+name=["']description["'][^>]*>""", re.I)
_HEAD_END = re.compile(r"</head>", re.I)


class NotBuilt(Exception):
    """CONDUIT_FRONTEND_DIR holds no index.html: the app was never built (or the build was removed)."""


def dist_dir() -> Path:
    return Path(conduit_settings.FRONTEND_DIR)


def find_file(base: Path, relative: str) -> Path | None:
    """The regular file at `base/relative`, or None; nothing outside `base` is ever returned (no traversal)."""
    if not relative or "\x00" in relative or "\\" in relative:
        return None
    base = base.resolve()
    candidate = (base / relative).resolve()
    if not candidate.is_relative_to(base) or candidate == base or not candidate.is_file():
        return None
    if any(part.startswith(".") for part in candidate.relative_to(base).parts):
        return None  # dotfiles (.gitignore, .vite/manifest.json) are build details, not the site
    return candidate


@dataclass(frozen=True)
class _Cached:
    key: tuple
    html: str


_lock = threading.Lock()
_cache: dict[str, _Cached] = {}


def index_html() -> str:
    """The text of index.html, re-read only when the file changes (a rebuild while serving is picked up)."""
    path = dist_dir() / "index.html"
    try:
        stat = path.stat()
    except (FileNotFoundError, NotADirectoryError):
        raise NotBuilt(str(path)) from None
    key = (str(path), stat.st_mtime_ns, stat.st_size, stat.st_ino)
    cached = _cache.get("index")
    if cached is None or cached.key != key:
        with _lock:
            cached = _Cached(key, path.read_text(encoding="utf-8"))
            _cache["index"] = cached
    return cached.html


@dataclass(frozen=True)
class Preview:
    """What a link preview shows; every value is plain text (escaped when rendered)."""

    title: str
    description: str
    url: str
    type: str = "website"
    site_name: str = ""
    image: str = ""
    extra: tuple[tuple[str, str], ...] = ()  # more (property, content) pairs, e.g. article:tag


def with_preview(html: str, preview: Preview) -> str:
    """index.html with its title and description replaced and Open Graph / Twitter tags added before </head>."""
    title = f"<title>{escape(preview.title)}</title>"
    description = f'<meta name="description" content="{escape(preview.description)}">'
    html = _TITLE.sub(lambda _m: title, html, count=1) if _TITLE.search(html) else _before_head_end(html, title)
    if _DESCRIPTION.search(html):
        html = _DESCRIPTION.sub(lambda _m: description, html, count=1)
    else:
        html = _before_head_end(html, description)
    properties = [("og:type", preview.type), ("og:title", preview.title), ("og:description", preview.description),
                  ("og:url", preview.url)]
    if preview.site_name:
        properties.append(("og:site_name", preview.site_name))
    if preview.image:
        properties.append(("og:image", preview.image))
    properties += list(preview.extra)
    names = [("twitter:card", "summary"), ("twitter:title", preview.title),
             ("twitter:description", preview.description)]
    if preview.image:
        names.append(("twitter:image", preview.image))
    tags = [f'<meta property="{escape(k)}" content="{escape(v)}">' for k, v in properties]
    tags += [f'<meta name="{escape(k)}" content="{escape(v)}">' for k, v in names]
    tags.append(f'<link rel="canonical" href="{escape(preview.url)}">')
    return _before_head_end(html, "\n    ".join(tags))


def _before_head_end(html: str, fragment: str) -> str:
    match = _HEAD_END.search(html)
    if match is None:
        return html
    return f"{html[:match.start()]}    {fragment}\n  {html[match.start():]}"
