"""sitemap.xml (valid against the sitemaps.org schema; an index of /sitemap-<n>.xml pages past
CONDUIT_SITEMAP_PAGE_SIZE URLs) and robots.txt: the site's published article pages on its primary domain."""
from pathlib import Path

import pytest
from lxml import etree

from content.models import Article
from tenants.context import tenant_context

pytestmark = pytest.mark.django_db(transaction=True)
NS = {"s": "http://www.sitemaps.org/schemas/sitemap/0.9"}
SCHEMA = etree.XMLSchema(etree.parse(str(Path(__file__).with_name("sitemaps.xsd"))))


def valid(response, root_tag):
    assert response.status_code == 200, response.content
    assert response["Content-Type"] == "application/xml; charset=utf-8"
    assert response["Cache-Control"] == "public, max-age=300"
    document = etree.fromstring(response.content)
    SCHEMA.assertValid(document)
    assert document.tag == f"{{{NS['s']}}}{root_tag}"
    return document


def locs(document):
    return document.xpath("//s:loc/text()", namespaces=NS)


def test_sitemap_lists_published_articles(site):
    document = valid(site.get("/sitemap.xml"), "urlset")
    assert locs(document)[0] == f"{site.base}/"  # the home page, then the articles in the order they were written
    assert locs(document)[1:] == [f"{site.base}/article/{slug}" for slug in reversed(site.slugs["published"])]
    lastmods = document.xpath("//s:lastmod/text()", namespaces=NS)
    assert len(lastmods) == 3 and all(value.endswith("Z") for value in lastmods)
    assert valid(site.get("/sitemap-1.xml"), "urlset") is not None  # the one page, by its number too
    assert site.get("/sitemap-2.xml").status_code == 404


def test_sitemap_splits_into_an_index(site, settings):
    settings.CONDUIT = {**settings.CONDUIT, "SITEMAP_PAGE_SIZE": 2}
    for i in range(3):
        site.write(title=f"Loaf {i}")
    index = valid(site.get("/sitemap.xml"), "sitemapindex")  # the home page and 5 articles, 2 URLs a page
    pages = locs(index)
    assert pages == [f"{site.base}/sitemap-{n}.xml" for n in (1, 2, 3)]
    assert len(index.xpath("//s:sitemap/s:lastmod", namespaces=NS)) == 3
    urls = []
    for n in (1, 2, 3):
        page = valid(site.get(f"/sitemap-{n}.xml"), "urlset")
        assert len(locs(page)) == 2
        urls += locs(page)
    assert urls.pop(0) == f"{site.base}/"
    with tenant_context(site.tenant):
        published = Article.objects.filter(status="published").values_list("slug", flat=True)
        assert sorted(urls) == sorted(f"{site.base}/article/{slug}" for slug in published) and len(urls) == 5
    for bad in ("/sitemap-0.xml", "/sitemap-4.xml"):
        response = site.get(bad)
        assert response.status_code == 404 and response.json() == {"errors": {"sitemap": ["not found"]}}


def test_sitemap_conditional_get_follows_changes(site):
    first = site.get("/sitemap.xml")
    assert site.get("/sitemap.xml", HTTP_IF_NONE_MATCH=first["ETag"]).status_code == 304
    assert site.get("/sitemap.xml", HTTP_IF_MODIFIED_SINCE=first["Last-Modified"]).status_code == 304
    with tenant_context(site.tenant):  # unpublished (moderation, or the author): gone from the sitemap
        Article.objects.filter(slug=site.slugs["published"][0]).update(status="draft")
    for headers in ({"HTTP_IF_NONE_MATCH": first["ETag"]}, {"HTTP_IF_MODIFIED_SINCE": first["Last-Modified"]}):
        response = site.get("/sitemap.xml", **headers)
        assert response.status_code == 200
        assert locs(valid(response, "urlset"))[1:] == [f"{site.base}/article/{site.slugs['published'][1]}"]


def test_an_empty_site_has_a_valid_sitemap(make_tenant, client):
    host = f"{make_tenant().slug}.localhost"
    response = client.get("/sitemap.xml", HTTP_HOST=host)
    assert locs(valid(response, "urlset")) == [f"http://{host}/"]  # the schema wants one <url> at least


def test_robots_txt(site):
    response = site.get("/robots.txt")
    assert response.status_code == 200 and response["Content-Type"] == "text/plain; charset=utf-8"
    lines = response.content.decode().splitlines()
    assert lines[0] == "User-agent: *"
    assert "Disallow: /api/" in lines and "Disallow: /editor" in lines
    assert f"Sitemap: {site.base}/sitemap.xml" in lines
    assert site.get("/robots.txt", HTTP_IF_NONE_MATCH=response["ETag"]).status_code == 304
