"""Link previews: /article/<slug> and /profile/<username> carry their title, description and OG/Twitter tags."""
import html
import re

import pytest

from accounts.models import User
from content import services
from tenants.context import tenant_context
from tests.frontend.build import INDEX

pytestmark = pytest.mark.django_db(transaction=True)
XSS = '</title><script>alert("pwned")</script><img src=x onerror=alert(1)> & "quotes"'


def meta(page, attribute, key):
    """Every content= of <meta {attribute}="{key}">, unescaped (the page must hold them escaped)."""
    found = re.findall(rf'<meta {attribute}="{re.escape(key)}" content="([^"]*)">', page)
    return [html.unescape(value) for value in found]


def title(page):
    (value,) = re.findall(r"<title>([^<]*)</title>", page)
    return html.unescape(value)


@pytest.fixture(params=["sqlite", pytest.param("postgres", marks=pytest.mark.postgres)])
def site(request, make_tenant, frontend):
    """A tenant on SQLite or PostgreSQL with a writer, a published article (with tags), and a draft."""
    kwargs = {"database_url": request.getfixturevalue("pg_tenant_url")} if request.param == "postgres" else {}
    tenant = make_tenant(name="Bakers' Corner", **kwargs)
    with tenant_context(tenant):
        writer = User.objects.create(username="baker", email="baker@example.com", bio="I bake <b>bread</b> daily.",
                                     image="https://cdn.example.com/baker.png")
        article = services.article_create(author=writer, title="Sourdough at home", description="Starter to loaf.",
                                          body="# Day one\n\nFeed the *starter*.", tags=["bread", "baking"])
        draft = services.article_create(author=writer, title="Secret rye", description="Not yet.", body="b",
                                        status="draft")
    return {"host": f"{tenant.slug}.localhost", "tenant": tenant, "article": article, "draft": draft}


def test_a_published_article_has_its_preview(client, site):
    slug = site["article"].slug
    response = client.get(f"/article/{slug}", HTTP_HOST=site["host"])
    page = response.content.decode()
    assert response.status_code == 200 and response["Cache-Control"] == "no-cache"
    assert title(page) == "Sourdough at home — Bakers' Corner"
    assert page.count("<title>") == 1 and page.count('name="description"') == 1
    assert meta(page, "name", "description") == ["Starter to loaf."]
    assert meta(page, "property", "og:title") == ["Sourdough at home — Bakers' Corner"]
    assert meta(page, "property", "og:description") == ["Starter to loaf."]
    assert meta(page, "property", "og:type") == ["article"]
    assert meta(page, "property", "og:url") == [f"http://{site['host']}/article/{slug}"]
    assert meta(page, "property", "og:site_name") == ["Bakers' Corner"]
    assert meta(page, "property", "og:image") == ["https://cdn.example.com/baker.png"]
    assert meta(page, "property", "article:tag") == ["baking", "bread"]
    assert meta(page, "property", "article:author") == ["baker"]
    assert meta(page, "name", "twitter:card") == ["summary"]
    assert meta(page, "name", "twitter:title") == ["Sourdough at home — Bakers' Corner"]
    assert page.index('property="og:title"') < page.index("</head>")
    assert '<script type="module" crossorigin src="/assets/index-3f2a1b9c.js"></script>' in page  # the app still loads


def test_without_a_description_the_body_gives_plain_text(client, site):
    with tenant_context(site["tenant"]):
        writer = User.objects.get(username="baker")
        article = services.article_create(author=writer, title="Rye", description="", body="## Rye\n\n**Dense** " * 40)
    page = client.get(f"/article/{article.slug}", HTTP_HOST=site["host"]).content.decode()
    (description,) = meta(page, "name", "description")
    assert description.startswith("Rye Dense Rye Dense") and description.endswith("…") and len(description) == 200


def test_drafts_and_unknown_slugs_get_the_plain_page(client, site):
    for path in (f"/article/{site['draft'].slug}", "/article/no-such-article", "/article/%00", "/profile/nobody"):
        response = client.get(path, HTTP_HOST=site["host"])
        assert response.status_code == 200 and response.content.decode() == INDEX, path


def test_a_profile_has_its_preview(client, site):
    page = client.get("/profile/baker", HTTP_HOST=site["host"]).content.decode()
    assert title(page) == "baker — Bakers' Corner"
    assert meta(page, "name", "description") == ["I bake <b>bread</b> daily."]  # text, shown as typed
    assert meta(page, "property", "og:type") == ["profile"]
    assert meta(page, "property", "profile:username") == ["baker"]
    assert meta(page, "property", "og:image") == ["https://cdn.example.com/baker.png"]
    assert "<b>" not in page and "&lt;b&gt;bread&lt;/b&gt;" in page


def test_a_preview_on_one_tenant_shows_nothing_of_another(client, site, make_tenant):
    other = f"{make_tenant().slug}.localhost"
    for path in (f"/article/{site['article'].slug}", "/profile/baker"):
        assert client.get(path, HTTP_HOST=other).content.decode() == INDEX


def test_script_in_a_title_comes_out_escaped(client, site):
    with tenant_context(site["tenant"]):
        writer = User.objects.create(username="mallory", email="m@example.com", bio=XSS,
                                     image="javascript:alert(1)")
        article = services.article_create(author=writer, title=XSS, description=XSS, body="b", tags=['"><svg>'])
    for path in (f"/article/{article.slug}", "/profile/mallory"):
        page = client.get(path, HTTP_HOST=site["host"]).content.decode()
        head = page[: page.index("</head>")]
        assert "<script>alert" not in page and "<img" not in page and "<svg>" not in page, path
        assert head.count("<script") == 1 and head.count("</title>") == 1, path  # only the app's own script
        assert "javascript:" not in page and 'property="og:image"' not in page, path  # no non-http(s) image
        assert meta(page, "property", "og:description") == [XSS], path
    page = client.get(f"/article/{article.slug}", HTTP_HOST=site["host"]).content.decode()
    assert title(page) == f"{XSS} — Bakers' Corner"
    assert meta(page, "property", "og:title") == [f"{XSS} — Bakers' Corner"]
    assert meta(page, "property", "article:tag") == ['"><svg>']
