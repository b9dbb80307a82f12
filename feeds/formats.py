"""The documents: Atom 1.0 (RFC 4287), JSON Feed 1.1, sitemaps.org 0.9 urlset / sitemapindex, robots.txt.

Every text that goes into XML passes through `_xml_text`: XML 1.0 cannot carry most control characters at all, so
they are dropped (escaping alone would still give a document no parser accepts).
"""
import json
import re
import uuid
from dataclasses import dataclass, field
from datetime import datetime, timezone
from urllib.parse import quote
from xml.etree import ElementTree as ET
from xml.sax.saxutils import escape

ATOM_NS = "http://www.w3.org/2005/Atom"
XML_NS = "http://www.w3.org/XML/1998/namespace"
SITEMAP_NS = "http://www.sitemaps.org/schemas/sitemap/0.9"
JSON_FEED_VERSION = "https://jsonfeed.org/version/1.1"
ATOM_TYPE = "application/atom+xml; charset=utf-8"
JSON_FEED_TYPE = "application/feed+json; charset=utf-8"
XML_TYPE = "application/xml; charset=utf-8"
TEXT_TYPE = "text/plain; charset=utf-8"
GENERATOR = "Conduit"
EPOCH = datetime(1970, 1, 1, tzinfo=timezone.utc)
_NOT_XML = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\ud800-\udfff\ufffe\uffff]")
ET.register_namespace("", ATOM_NS)


def _xml_text(value) -> str:
    return _NOT_XML.sub("", str(value or ""))


def rfc3339(when: datetime) -> str:
    return when.astimezone(timezone.utc).strftime("%Y-%m-%dT%H:%M:%SZ")


def stable_id(*parts) -> str:
    """A permanent id (atom:id, JSON Feed id) that survives slug and domain changes: a UUID of the tenant and object."""
    return f"urn:uuid:{uuid.uuid5(uuid.NAMESPACE_URL, 'conduit:' + ':'.join(map(str, parts)))}"


def path_part(value: str) -> str:
    return quote(value, safe="")


@dataclass
class Item:
    id: str
    url: str
    title: str
    summary: str
    html: str
    published: datetime
    updated: datetime
    author: str
    author_url: str
    author_image: str = ""
    tags: list[str] = field(default_factory=list)


@dataclass
class Feed:
    id: str
    title: str
    description: str
    language: str
    home_url: str  # the HTML page the feed is of
    atom_url: str
    json_url: str
    author: str
    author_url: str
    logo: str
    tag_url: str  # prefix of a tag's page: <tag_url><tag>
    items: list[Item]

    @property
    def updated(self) -> datetime:
        return max((i.updated for i in self.items), default=EPOCH)


def _sub(parent, tag, text=None, **attributes):
    element = ET.SubElement(parent, f"{{{ATOM_NS}}}{tag}", {k: _xml_text(v) for k, v in attributes.items()})
    if text is not None:
        element.text = _xml_text(text)
    return element


def _person(parent, name, uri):
    author = _sub(parent, "author")
    _sub(author, "name", name)
    _sub(author, "uri", uri)


def atom(feed: Feed) -> bytes:
    root = ET.Element(f"{{{ATOM_NS}}}feed")
    if feed.language:
        root.set(f"{{{XML_NS}}}lang", _xml_text(feed.language))
    _sub(root, "id", feed.id)
    _sub(root, "title", feed.title, type="text")
    if feed.description:
        _sub(root, "subtitle", feed.description, type="text")
    _sub(root, "updated", rfc3339(feed.updated))
    _sub(root, "link", rel="self", type="application/atom+xml", href=feed.atom_url)
    _sub(root, "link", rel="alternate", type="text/html", href=feed.home_url)
    _sub(root, "link", rel="alternate", type="application/feed+json", href=feed.json_url)
    _person(root, feed.author, feed.author_url)
    _sub(root, "generator", GENERATOR)
    if feed.logo:
        _sub(root, "logo", feed.logo)
    for item in feed.items:
        entry = _sub(root, "entry")
        _sub(entry, "id", item.id)
        _sub(entry, "title", item.title, type="text")
        _sub(entry, "link", rel="alternate", type="text/html", href=item.url)
        _sub(entry, "published", rfc3339(item.published))
        _sub(entry, "updated", rfc3339(item.updated))
        _person(entry, item.author, item.author_url)
        for name in item.tags:
            _sub(entry, "category", term=name, scheme=feed.tag_url, label=name)
        if item.summary:
            _sub(entry, "summary", item.summary, type="text")
        content = _sub(entry, "content", item.html, type="html")
        content.set(f"{{{XML_NS}}}base", _xml_text(item.url))
    return ET.tostring(root, encoding="utf-8", xml_declaration=True) + b"\n"


def json_feed(feed: Feed) -> bytes:
    def author(name, url, avatar=""):
        return {"name": name, "url": url, **({"avatar": avatar} if avatar else {})}

    document = {
        "version": JSON_FEED_VERSION,
        "title": feed.title,
        "home_page_url": feed.home_url,
        "feed_url": feed.json_url,
        **({"description": feed.description} if feed.description else {}),
        **({"icon": feed.logo} if feed.logo else {}),
        **({"language": feed.language} if feed.language else {}),
        "authors": [author(feed.author, feed.author_url)],
        "items": [
            {
                "id": item.id,
                "url": item.url,
                "title": item.title,
                "content_html": item.html,
                **({"summary": item.summary} if item.summary else {}),
                "date_published": rfc3339(item.published),
                "date_modified": rfc3339(item.updated),
                "authors": [author(item.author, item.author_url, item.author_image or "")],
                "tags": item.tags,
            }
            for item in feed.items
        ],
    }
    return json.dumps(document, ensure_ascii=False, separators=(",", ":")).encode() + b"\n"


_SITEMAP_HEAD = '<?xml version="1.0" encoding="UTF-8"?>\n'


def _lastmod(when) -> str:
    return f"<lastmod>{rfc3339(when)}</lastmod>" if when else ""


def urlset(urls) -> bytes:
    """A sitemaps.org <urlset> of (absolute URL, lastmod or None) pairs."""
    parts = [_SITEMAP_HEAD, f'<urlset xmlns="{SITEMAP_NS}">\n']
    parts += [f"<url><loc>{escape(loc)}</loc>{_lastmod(lastmod)}</url>\n" for loc, lastmod in urls]
    parts.append("</urlset>\n")
    return "".join(parts).encode()


def sitemapindex(sitemaps) -> bytes:
    """A sitemaps.org <sitemapindex> of (absolute sitemap URL, lastmod or None) pairs."""
    parts = [_SITEMAP_HEAD, f'<sitemapindex xmlns="{SITEMAP_NS}">\n']
    parts += [f"<sitemap><loc>{escape(loc)}</loc>{_lastmod(lastmod)}</sitemap>\n" for loc, lastmod in sitemaps]
    parts.append("</sitemapindex>\n")
    return "".join(parts).encode()


# Crawlers get the public pages; the API (JSON for the app), private app pages and search result pages are not for
# an index (search pages are an endless URL space). Feeds and the sitemap are at the root, so they stay crawlable.
ROBOTS_DISALLOW = ("/api/", "/editor", "/settings", "/login", "/register", "/search")


def robots(sitemap_url: str) -> bytes:
    lines = ["User-agent: *", *(f"Disallow: {path}" for path in ROBOTS_DISALLOW), "Allow: /", "",
             f"Sitemap: {sitemap_url}", ""]
    return "\n".join(lines).encode()
