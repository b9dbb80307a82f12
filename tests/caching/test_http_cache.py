"""HTTP caching of the public tenant API, in process (pytest-django, the real middleware chain and file cache):
validators and 304s without database work, Cache-Control and Vary, and nothing cached ever crossing tenants, users,
drafts or a suspended tenant."""
import time

import pytest
from django.db import connections
from django.test.utils import CaptureQueriesContext
from django.utils.http import http_date

from accounts.models import User
from conduit.auth import token_for
from content import services
from httpcache import version
from tenants.context import tenant_context
from tenants.services import tenant_suspend


@pytest.fixture
def site(make_tenant):
    tenant = make_tenant()
    with tenant_context(tenant) as info:
        author = User.objects.create(username="author", email="author@x.io")
        reader = User.objects.create(username="reader", email="reader@x.io")
        article = services.article_create(author=author, title="Hello caches", description="d", body="b",
                                          tags=["edge", "speed"])
        return info, article.slug, token_for(author), token_for(reader)


def get(client, info, path, token=None, **headers):
    if token:
        headers["HTTP_AUTHORIZATION"] = f"Token {token}"
    return client.get(path, HTTP_HOST=f"{info.slug}.localhost", **headers)


def queries(client, info, path, **kwargs):
    with CaptureQueriesContext(connections[info.alias]) as captured:
        response = get(client, info, path, **kwargs)
    return response, len(captured)


PUBLIC = ["/api/articles?limit=20", "/api/articles/{slug}", "/api/articles/{slug}/comments", "/api/tags",
          "/api/profiles/author"]


@pytest.mark.django_db(transaction=True)
def test_anonymous_reads_are_public_validated_and_served_without_the_database(client, site):
    info, slug, _, _ = site
    for path in (p.format(slug=slug) for p in PUBLIC):
        first, _ = queries(client, info, path)
        assert first.status_code == 200, (path, first.content)
        assert first["X-Conduit-Cache"] == "miss"
        assert first["Cache-Control"].startswith("public, max-age=") and "stale-while-revalidate=" in first["Cache-Control"]
        assert {"Accept-Encoding", "Authorization", "Host"} <= {v.strip() for v in first["Vary"].split(",")}
        assert f"tenant:{info.slug}" in first["Surrogate-Key"].split() and f"tenant:{info.slug}" in first["Cache-Tag"]
        etag = first["ETag"]
        assert etag.startswith('"') and not etag.startswith("W/")

        again, count = queries(client, info, path)
        assert again["X-Conduit-Cache"] == "hit" and count == 0 and again.content == first.content
        not_modified, count = queries(client, info, path, HTTP_IF_NONE_MATCH=etag)
        assert not_modified.status_code == 304 and count == 0 and not_modified.content == b""
        assert not_modified["ETag"] == etag and not_modified["Cache-Control"] == first["Cache-Control"]
        assert get(client, info, path, HTTP_IF_NONE_MATCH='"other"').status_code == 200

    detail = get(client, info, f"/api/articles/{slug}")
    keys = detail["Surrogate-Key"].split()
    assert {f"article:{info.slug}/{slug}", f"profile:{info.slug}/author", f"tag:{info.slug}/edge"} <= set(keys)
    assert f"articles:{info.slug}" in get(client, info, "/api/tags")["Surrogate-Key"].split()


@pytest.mark.django_db(transaction=True)
def test_if_modified_since_once_the_versions_second_is_over(client, site):
    info, slug, _, _ = site
    path = f"/api/articles/{slug}"
    at = time.time()
    version.bump(info.slug)  # this second: no Last-Modified (a write later in the same second could not be told)
    fresh = get(client, info, path)
    if int(time.time()) == int(at):
        assert "Last-Modified" not in fresh
    changed = version.bump(info.slug, at=time.time() - 10)
    answer = get(client, info, path)
    assert answer["Last-Modified"] == http_date(int(changed.changed_at))
    response, count = queries(client, info, path, HTTP_IF_MODIFIED_SINCE=answer["Last-Modified"])
    assert response.status_code == 304 and count == 0
    assert get(client, info, path, HTTP_IF_MODIFIED_SINCE=http_date(int(changed.changed_at) - 1)).status_code == 200
    # If-None-Match decides when both are sent
    assert get(client, info, path, HTTP_IF_MODIFIED_SINCE=answer["Last-Modified"],
               HTTP_IF_NONE_MATCH='"stale"').status_code == 200
    # a path that is not there is never 304, whatever the date
    assert get(client, info, "/api/articles/nope", HTTP_IF_MODIFIED_SINCE=answer["Last-Modified"]).status_code == 404


@pytest.mark.django_db(transaction=True)
def test_a_write_is_seen_by_the_next_anonymous_read(client, site):
    info, slug, author_token, _ = site
    before = get(client, info, "/api/articles")
    assert get(client, info, "/api/articles")["X-Conduit-Cache"] == "hit"
    body = {"article": {"title": "Second one", "description": "d", "body": "b", "tagList": ["fresh"]}}
    created = client.post("/api/articles", body, content_type="application/json", HTTP_HOST=f"{info.slug}.localhost",
                          HTTP_AUTHORIZATION=f"Token {author_token}")
    assert created.status_code == 201
    after = get(client, info, "/api/articles")
    assert after["X-Conduit-Cache"] == "miss" and after.json()["articlesCount"] == before.json()["articlesCount"] + 1
    assert get(client, info, "/api/articles", HTTP_IF_NONE_MATCH=before["ETag"]).status_code == 200
    assert "fresh" in get(client, info, "/api/tags").json()["tags"]

    # a write outside any request (the worker, a command) bumps the version when it commits
    with tenant_context(info):
        author = User.objects.get(username="author")
        services.article_create(author=author, title="Third one", description="d", body="b", tags=[])
    assert get(client, info, "/api/articles").json()["articlesCount"] == before.json()["articlesCount"] + 2


@pytest.mark.django_db(transaction=True)
def test_authenticated_answers_are_private_and_never_shared(client, site):
    info, slug, _, reader_token = site
    path = f"/api/articles/{slug}"
    anonymous = get(client, info, path)  # warms the shared cache
    favorited = client.post(f"{path}/favorite", HTTP_HOST=f"{info.slug}.localhost",
                            HTTP_AUTHORIZATION=f"Token {reader_token}")
    assert favorited.status_code == 200 and favorited.json()["article"]["favorited"] is True

    mine = get(client, info, path, token=reader_token)
    assert mine.json()["article"]["favorited"] is True
    assert mine["Cache-Control"] == "private, no-cache" and "Authorization" in mine["Vary"]
    assert mine["X-Conduit-Cache"] == "bypass" and "Surrogate-Key" not in mine
    again = get(client, info, path, token=reader_token, HTTP_IF_NONE_MATCH=mine["ETag"])
    assert again.status_code == 304
    for _ in range(2):  # the reader's answer never reaches an anonymous client, cached or not
        public = get(client, info, path)
        assert public.json()["article"]["favorited"] is False and public["ETag"] != mine["ETag"]
    assert anonymous["ETag"] != public["ETag"]  # the favorite was a write: a new version
    # another user's token gets its own answer, not the reader's
    other = get(client, info, path, token=token_for_user(info, "author"))
    assert other.json()["article"]["favorited"] is False


def token_for_user(info, username):
    with tenant_context(info):
        return token_for(User.objects.get(username=username))


@pytest.mark.django_db(transaction=True)
def test_a_draft_is_never_cached_for_anyone_else(client, site):
    info, _, author_token, reader_token = site
    with tenant_context(info):
        draft = services.article_create(author=User.objects.get(username="author"), title="Secret draft",
                                        description="d", body="b", tags=[], status="draft")
    path = f"/api/articles/{draft.slug}"
    for _ in range(2):
        assert get(client, info, path, token=author_token).status_code == 200
        assert get(client, info, path).status_code == 404
        assert get(client, info, path, token=reader_token).status_code == 404
    assert draft.slug not in {a["slug"] for a in get(client, info, "/api/articles").json()["articles"]}


@pytest.mark.django_db(transaction=True)
def test_nothing_crosses_tenants(client, site, make_tenant):
    info, slug, _, _ = site
    other = make_tenant()
    with tenant_context(other):
        User.objects.create(username="author", email="someone-else@x.io", bio="tenant B's author")
    for path in (f"/api/articles/{slug}", "/api/articles", "/api/tags", "/api/profiles/author"):
        mine = get(client, info, path)
        assert get(client, info, path)["X-Conduit-Cache"] == "hit"
        theirs = client.get(path, HTTP_HOST=f"{other.slug}.localhost")
        assert theirs.content != mine.content, path
        assert theirs.get("ETag") != mine["ETag"]
        assert client.get(path, HTTP_HOST=f"{other.slug}.localhost", HTTP_IF_NONE_MATCH=mine["ETag"]).status_code != 304
    assert client.get(f"/api/articles/{slug}", HTTP_HOST=f"{other.slug}.localhost").status_code == 404


@pytest.mark.django_db(transaction=True)
def test_a_suspended_tenant_is_503_even_when_cached(client, site, actor):
    info, slug, _, _ = site
    path = f"/api/articles/{slug}"
    etag = get(client, info, path)["ETag"]
    assert get(client, info, path)["X-Conduit-Cache"] == "hit"
    tenant_suspend(slug=info.slug, actor=actor)
    for headers in ({}, {"HTTP_IF_NONE_MATCH": etag}):
        response = get(client, info, path, **headers)
        assert response.status_code == 503 and "X-Conduit-Cache" not in response and "ETag" not in response


@pytest.mark.django_db(transaction=True)
def test_a_domain_moved_to_another_tenant_serves_the_new_tenants_answers(client, site, make_tenant):
    from tenants.models import Domain, Tenant

    info, slug, _, _ = site
    other = make_tenant()
    domain = Domain.objects.create(tenant=Tenant.objects.get(slug=info.slug), domain="blog.example.org")
    path = f"/api/articles/{slug}"
    assert client.get(path, HTTP_HOST="blog.example.org").status_code == 200
    assert client.get(path, HTTP_HOST="blog.example.org")["X-Conduit-Cache"] == "hit"
    domain.tenant = Tenant.objects.get(slug=other.slug)
    domain.save()
    assert client.get(path, HTTP_HOST="blog.example.org").status_code == 404


@pytest.mark.django_db(transaction=True)
def test_a_hit_replays_the_headers_of_its_answer_cors_per_origin(client, settings, site):
    info, slug, _, _ = site
    settings.CORS_ALLOWED_ORIGINS = ["https://app.example.com"]
    path = f"/api/articles/{slug}"
    allowed = {"HTTP_ORIGIN": "https://app.example.com"}
    first = get(client, info, path, **allowed)
    hit = get(client, info, path, **allowed)
    assert hit["X-Conduit-Cache"] == "hit" and hit["Access-Control-Allow-Origin"] == "https://app.example.com"
    assert hit["X-Content-Type-Options"] == "nosniff" and hit["Content-Type"] == first["Content-Type"]
    assert "origin" in hit["Vary"].lower()
    other = get(client, info, path, HTTP_ORIGIN="https://evil.example.net")
    assert other["X-Conduit-Cache"] == "miss" and "Access-Control-Allow-Origin" not in other
    assert get(client, info, path, HTTP_ORIGIN="https://evil.example.net")["X-Conduit-Cache"] == "hit"
    assert "Access-Control-Allow-Origin" not in get(client, info, path, HTTP_ORIGIN="https://evil.example.net")
    revalidated = get(client, info, path, HTTP_IF_NONE_MATCH=hit["ETag"], **allowed)
    assert revalidated.status_code == 304 and revalidated["Access-Control-Allow-Origin"] == "https://app.example.com"
    assert "Content-Type" not in revalidated
