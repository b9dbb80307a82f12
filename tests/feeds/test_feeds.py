"""Atom and JSON feeds of a site, a tag and a profile: parsed back by feedparser (no bozo), RFC 4287's required
elements, sanitised HTML, only published articles of this site, and conditional GET (304s) that never hides a change."""
import json
import uuid
from datetime import datetime
from xml.etree import ElementTree as ET

import feedparser
import pytest

from content.models import Article
from publishing.models import SiteSettings
from tenants.context import tenant_context
from tests.feeds.conftest import XSS_TITLE

pytestmark = pytest.mark.django_db(transaction=True)
A = "{http://www.w3.org/2005/Atom}"


def parsed(response):
    assert response.status_code == 200, response.content
    feed = feedparser.parse(response.content, response_headers={"content-type": response["Content-Type"]})
    assert not feed.bozo, feed.get("bozo_exception")
    return feed


def atom_tree(response):
    return ET.fromstring(response.content)


def assert_rfc4287(root):
    """The MUSTs of RFC 4287 section 4.1 that a generator can get wrong."""
    assert root.tag == f"{A}feed"
    for name in ("id", "title", "updated"):
        assert len(root.findall(f"{A}{name}")) == 1, name
    entries = root.findall(f"{A}entry")
    assert root.findall(f"{A}author") or all(e.findall(f"{A}author") for e in entries)
    assert [link.get("href") for link in root.findall(f"{A}link") if link.get("rel") == "self"]
    for entry in entries:
        for name in ("id", "title", "updated"):
            assert len(entry.findall(f"{A}{name}")) == 1, name
        assert entry.find(f"{A}content") is not None or any(
            link.get("rel", "alternate") == "alternate" for link in entry.findall(f"{A}link"))
        for when in entry.findall(f"{A}updated") + entry.findall(f"{A}published"):
            datetime.strptime(when.text, "%Y-%m-%dT%H:%M:%SZ")


def test_site_atom_feed(site):
    response = site.get("/feed.xml")
    assert response["Content-Type"] == "application/atom+xml; charset=utf-8"
    assert response["Cache-Control"] == "public, max-age=300"
    feed = parsed(response)
    assert_rfc4287(atom_tree(response))
    assert feed.version == "atom10" and feed.feed.title == "Bakers' Corner"
    assert feed.feed.links[0].href == f"{site.base}/feed.xml"
    slugs = [e.link.rsplit("/", 1)[1] for e in feed.entries]
    assert slugs == site.slugs["published"]  # newest publication first; no draft, no scheduled, no other site
    sourdough = feed.entries[1]
    assert sourdough.title == "Sourdough at home"
    assert sourdough.link == f"{site.base}/article/{site.slugs['published'][1]}"
    assert sourdough.author == "baker"
    assert sorted(t.term for t in sourdough.tags) == ["baking", "bread"]
    assert sourdough.published == "2026-01-05T09:00:00Z"
    assert sourdough.updated_parsed and sourdough.summary == "Starter to loaf."
    assert sourdough.content[0].type == "text/html"
    assert "<h1>Day one</h1>" in sourdough.content[0].value and "<em>starter</em>" in sourdough.content[0].value
    assert sourdough.id.startswith("urn:uuid:")


def test_entry_ids_survive_a_new_title(site):
    before = parsed(site.get("/feed.xml")).entries[1]
    with tenant_context(site.tenant):
        article = Article.objects.get(slug=site.slugs["published"][1])
        from content import services

        services.article_update(article=article, user=article.author, data={"title": "Sourdough, revised"})
    after = parsed(site.get("/feed.xml")).entries[1]
    assert after.link != before.link and after.title == "Sourdough, revised"
    assert after.id == before.id  # readers do not show the renamed article twice


def test_json_feed(site):
    response = site.get("/feed.json")
    assert response.status_code == 200 and response["Content-Type"] == "application/feed+json; charset=utf-8"
    document = json.loads(response.content)
    assert document["version"] == "https://jsonfeed.org/version/1.1"
    assert document["title"] == "Bakers' Corner"
    assert document["feed_url"] == f"{site.base}/feed.json" and document["home_page_url"] == f"{site.base}/"
    items = document["items"]
    assert [i["url"].rsplit("/", 1)[1] for i in items] == site.slugs["published"]
    assert all(i["id"] and i["content_html"] and i["date_published"] and i["authors"] for i in items)
    assert items[1]["tags"] == ["baking", "bread"]
    assert items[1]["authors"] == [{"name": "baker", "url": f"{site.base}/profile/baker",
                                    "avatar": "https://cdn.example.com/baker.png"}]
    assert_json_feed_11(document)


def assert_json_feed_11(document):
    """The MUSTs of JSON Feed 1.1 (feedparser 6.0 reads no JSON Feed): version, title, items with a string id and
    content; URLs and dates where given are absolute and RFC 3339."""
    assert document["version"] == "https://jsonfeed.org/version/1.1" and isinstance(document["title"], str)
    assert isinstance(document["items"], list)
    for item in document["items"]:
        assert isinstance(item["id"], str) and item["id"]
        assert isinstance(item.get("content_html") or item.get("content_text"), str)
        assert item["url"].startswith(("http://", "https://"))
        for key in ("date_published", "date_modified"):
            datetime.strptime(item[key], "%Y-%m-%dT%H:%M:%SZ")
        assert all(isinstance(tag, str) for tag in item.get("tags", []))


def test_script_in_title_and_body_is_inert(site):
    for path in ("/feed.xml", "/tag/baking/feed.xml", "/profile/baker/feed.xml"):
        root = atom_tree(site.get(path))
        entry = next(e for e in root.findall(f"{A}entry") if "alert" in e.find(f"{A}title").text)
        title = entry.find(f"{A}title")
        assert title.get("type") == "text" and title.text == XSS_TITLE  # text, never markup
        html = entry.find(f"{A}content").text
        for bad in ("<script", "alert('b')", "onerror", "onclick", '="javascript:', '="data:', "<iframe", "<style",
                    "style="):
            assert bad not in html, (bad, html)
        assert "<em>world</em>" in html and "<p>para</p>" in html
        assert f'src="{site.base}/media/pic.png"' in html  # relative URLs made absolute for readers elsewhere
        assert f'href="{site.base}/article/other"' in html  # relative to the article's own URL
        assert 'rel="noopener noreferrer nofollow"' in html
    item = next(i for i in json.loads(site.get("/feed.json").content)["items"] if "alert" in i["title"])
    assert item["title"] == XSS_TITLE
    assert "<script" not in item["content_html"] and "onerror" not in item["content_html"]


def test_control_characters_do_not_break_the_xml(site):
    site.write(title="Bell\x07 and\x0b tab", body="nul-free \x01\x1f text", tags=["odd\x08tag"])
    feed = parsed(site.get("/feed.xml"))
    assert feed.entries[0].title == "Bell and tab"
    assert json.loads(site.get("/feed.json").content)["items"][0]["title"] == "Bell\x07 and\x0b tab"  # JSON can


def test_tag_feed(site):
    feed = parsed(site.get("/tag/bread/feed.xml"))
    assert [e.link.rsplit("/", 1)[1] for e in feed.entries] == [site.slugs["published"][1]]  # not the draft's
    assert feed.feed.title == "#bread — Bakers' Corner"
    assert feed.feed.links[0].href == f"{site.base}/tag/bread/feed.xml"
    baking = parsed(site.get("/tag/baking/feed.xml"))
    assert [e.link.rsplit("/", 1)[1] for e in baking.entries] == site.slugs["published"]
    assert json.loads(site.get("/tag/bread/feed.json").content)["items"][0]["title"] == "Sourdough at home"


def test_unknown_tag_and_profile_are_404(site):
    for path, field in (("/tag/nope/feed.xml", "tag"), ("/profile/nobody/feed.xml", "profile"),
                        ("/profile/nobody/feed.json", "profile"), ("/tag/nul%00x/feed.xml", "tag")):
        response = site.get(path)
        assert response.status_code == 404, path
        assert response.json() == {"errors": {field: ["not found"]}}


def test_profile_feed(site):
    feed = parsed(site.get("/profile/baker/feed.xml"))
    assert [e.link.rsplit("/", 1)[1] for e in feed.entries] == site.slugs["published"]
    assert feed.feed.title == "baker — Bakers' Corner" and feed.feed.subtitle == "Bread."
    assert feed.feed.author == "baker"
    site.write(author="reader", title="Reader writes")
    reader = parsed(site.get("/profile/reader/feed.xml"))
    assert [e.title for e in reader.entries] == ["Reader writes"]


def test_a_profile_without_articles_has_a_valid_empty_feed(site):
    response = site.get("/profile/reader/feed.xml")
    feed = parsed(response)
    assert feed.entries == [] and feed.feed.author == "reader"
    assert_rfc4287(atom_tree(response))


def test_only_this_sites_published_articles(site, other_site):
    documents = [site.get(p).content.decode() for p in
                 ("/feed.xml", "/feed.json", "/tag/bread/feed.xml", "/profile/baker/feed.xml", "/sitemap.xml")]
    for hidden in site.slugs["hidden"] + [other_site]:
        assert all(hidden not in d for d in documents), hidden
    assert all("Secret rye" not in d and "Future loaf" not in d and "Other site" not in d for d in documents)


def test_conditional_get(site):
    first = site.get("/feed.xml")
    etag, modified = first["ETag"], first["Last-Modified"]
    assert etag.startswith('"') and not etag.startswith("W/")  # strong
    not_modified = site.get("/feed.xml", HTTP_IF_NONE_MATCH=etag)
    assert not_modified.status_code == 304 and not_modified.content == b""
    assert not_modified["ETag"] == etag and not_modified["Cache-Control"] == "public, max-age=300"
    assert site.get("/feed.xml", HTTP_IF_MODIFIED_SINCE=modified).status_code == 304
    assert site.get("/feed.xml", HTTP_IF_NONE_MATCH='"other"').status_code == 200
    assert site.client.head("/feed.xml", HTTP_HOST=site.host, HTTP_IF_NONE_MATCH=etag).status_code == 304
    json_etag = site.get("/feed.json")["ETag"]
    assert json_etag != etag and site.get("/feed.json", HTTP_IF_NONE_MATCH=json_etag).status_code == 304

    site.write(title="Fresh bake")  # a new article: a new document
    changed = site.get("/feed.xml", HTTP_IF_NONE_MATCH=etag)
    assert changed.status_code == 200 and changed["ETag"] != etag
    assert parsed(changed).entries[0].title == "Fresh bake"


def test_a_deletion_is_never_answered_304(site):
    """Deleting the older article lowers no updated_at: Last-Modified must still move forward."""
    first = site.get("/feed.xml")
    with tenant_context(site.tenant):
        Article.objects.filter(slug=site.slugs["published"][1]).delete()
    for headers in ({"HTTP_IF_NONE_MATCH": first["ETag"]}, {"HTTP_IF_MODIFIED_SINCE": first["Last-Modified"]}):
        response = site.get("/feed.xml", **headers)
        assert response.status_code == 200, headers
        assert len(parsed(response).entries) == 1
    again = site.get("/feed.xml")
    assert again["Last-Modified"] != first["Last-Modified"]
    assert site.get("/feed.xml", HTTP_IF_MODIFIED_SINCE=again["Last-Modified"]).status_code == 304


def test_feeds_answer_get_and_head_only(site):
    response = site.client.post("/feed.xml", HTTP_HOST=site.host)
    assert response.status_code == 405 and response["Allow"] == "GET, HEAD"
    assert "Method not allowed" in response.json()["errors"]["body"][0]


@pytest.mark.parametrize("scheme", ["", "https"])
def test_links_use_the_primary_domain(make_tenant, client, settings, scheme):
    settings.CONDUIT = {**settings.CONDUIT, "SITE_URL_SCHEME": scheme}
    tenant = make_tenant(domains=["blog.example.com", "old.example.com"])
    from tests.feeds.conftest import seed

    slugs = seed(tenant)
    response = client.get("/feed.xml", HTTP_HOST=f"{tenant.slug}.localhost")  # asked on the platform host
    expected = f"{scheme or 'http'}://blog.example.com"
    feed = parsed(response)
    assert feed.entries[0].link == f"{expected}/article/{slugs['published'][0]}"
    assert feed.feed.links[0].href == f"{expected}/feed.xml"
    robots = client.get("/robots.txt", HTTP_HOST="old.example.com").content.decode()
    assert f"Sitemap: {expected}/sitemap.xml" in robots


def test_the_site_settings_name_the_feed(site):
    before = site.get("/feed.xml")
    with tenant_context(site.tenant):
        SiteSettings.objects.update_or_create(pk=SiteSettings.SINGLETON_ID, defaults={
            "title": "The Bakery", "description": "Bread, <b>daily</b>.", "language": "fr-CA",
            "logo": uuid.uuid4(),  # an image deleted since: no logo rather than a broken one
        })
    response = site.get("/feed.xml", HTTP_IF_NONE_MATCH=before["ETag"])
    assert response.status_code == 200 and response["ETag"] != before["ETag"]
    feed = parsed(response)
    assert feed.feed.title == "The Bakery" and feed.feed.subtitle == "Bread, <b>daily</b>."
    assert feed.feed.language == "fr-CA" and "logo" not in feed.feed
    assert parsed(site.get("/tag/bread/feed.xml")).feed.title == "#bread — The Bakery"
    document = json.loads(site.get("/feed.json").content)
    assert (document["title"], document["description"], document["language"]) == (
        "The Bakery", "Bread, <b>daily</b>.", "fr-CA")
