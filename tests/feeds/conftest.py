"""A tenant (SQLite or PostgreSQL) with published articles, a draft, a scheduled article and a second site."""
from datetime import datetime, timedelta, timezone

import pytest

from accounts.models import User
from content import services
from content.models import Article
from tenants.context import tenant_context

XSS_TITLE = '</title><script>alert("t")</script> & <b>bold</b>'
XSS_BODY = ("Hello *world*.\n\n<script>alert('b')</script>\n\n<img src=x onerror=alert(1)>\n\n"
            "[click](javascript:alert(2)) <a href=\"data:text/html,<script>alert(3)</script>\">d</a>\n\n"
            "<iframe src=\"https://evil.example\"></iframe><style>body{display:none}</style>\n\n"
            "<p onclick=\"alert(4)\" style=\"x\">para</p>\n\n![pic](/media/pic.png) [rel](other)")
T0 = datetime(2026, 1, 5, 9, 0, tzinfo=timezone.utc)


class Feeds:
    """The seeded site: its host, tenant, and the slugs that must and must not appear."""

    def __init__(self, client, tenant, host):
        self.client, self.tenant, self.host = client, tenant, host
        self.base = f"http://{host}"

    def get(self, path, **headers):
        return self.client.get(path, HTTP_HOST=self.host, **headers)

    def write(self, author="baker", **fields):
        with tenant_context(self.tenant):
            user = User.objects.get(username=author)
            return services.article_create(author=user, **{"description": "", "body": "text", **fields})


def seed(tenant):
    with tenant_context(tenant):
        baker = User.objects.create(username="baker", email="baker@example.com", bio="Bread.",
                                    image="https://cdn.example.com/baker.png")
        User.objects.create(username="reader", email="reader@example.com")
        sourdough = services.article_create(author=baker, title="Sourdough at home", description="Starter to loaf.",
                                            body="# Day one\n\nFeed the *starter*.", tags=["bread", "baking"])
        xss = services.article_create(author=baker, title=XSS_TITLE, description="<i>d</i>", body=XSS_BODY,
                                      tags=["baking"])
        draft = services.article_create(author=baker, title="Secret rye", description="", body="b", status="draft",
                                        tags=["bread"])
        # A scheduled article (issue 13): not published until the worker says so. Written as the row the
        # scheduler stores, whatever the API of the day, so this test needs no part of scheduling to exist.
        scheduled = Article.objects.create(author=baker, title="Future loaf", slug="future-loaf", body="soon",
                                           status="scheduled")
        scheduled.tags.set(draft.tags.all())
        Article.objects.filter(pk=sourdough.pk).update(published_at=T0)
        Article.objects.filter(pk=xss.pk).update(published_at=T0 + timedelta(days=1))
    return {"published": [xss.slug, sourdough.slug], "hidden": [draft.slug, "future-loaf"]}


@pytest.fixture(params=["sqlite", pytest.param("postgres", marks=pytest.mark.postgres)])
def site(request, make_tenant, client):
    kwargs = {"database_url": request.getfixturevalue("pg_tenant_url")} if request.param == "postgres" else {}
    tenant = make_tenant(name="Bakers' Corner", **kwargs)
    feeds = Feeds(client, tenant, f"{tenant.slug}.localhost")
    feeds.slugs = seed(tenant)
    feeds.tenant_kwargs = kwargs
    return feeds


@pytest.fixture
def other_site(site, make_tenant):
    """A second site on the same engine, with an article of the same author name and tag."""
    other = make_tenant(name="Other", **site.tenant_kwargs)
    with tenant_context(other):
        someone = User.objects.create(username="baker", email="b@other.example")
        article = services.article_create(author=someone, title="Other site's post", description="", body="x",
                                          tags=["bread"])
    return article.slug
