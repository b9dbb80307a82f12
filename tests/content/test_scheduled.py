"""Scheduled publishing (issue 13): validation, visibility, the worker task (exactly once), events, the lists."""
import threading
from datetime import datetime, timedelta, timezone

import pytest
from django.db import connections

from content import scheduling
from content.models import Article, ScheduleMarker
from events.models import OutboxEvent
from tenants.context import tenant_context

pytestmark = pytest.mark.django_db(transaction=True)


def future(seconds=3600):
    return (datetime.now(timezone.utc) + timedelta(seconds=seconds)).replace(microsecond=0).isoformat()


def errors(response, status=422):
    assert response.status_code == status, (response.status_code, response.content)
    return response.json()["errors"]


def make_due(info, slug):
    """What the clock does: the article's time has come (publish_at in the past)."""
    with tenant_context(info):
        Article.objects.filter(slug=slug).update(publish_at=datetime.now(timezone.utc) - timedelta(seconds=1))


def outbox(info, entity_id, entity="article"):
    with tenant_context(info):
        return list(OutboxEvent.objects.filter(entity=entity, entity_id=str(entity_id))
                    .order_by("id").values_list("type", flat=True))


@pytest.fixture
def api(make_tenant, api_for):
    return api_for(make_tenant())


def test_bad_schedules_are_422_with_a_clear_message(api):
    alice = api.user("alice")
    post = lambda **fields: api.call("POST", "/api/articles",  # noqa: E731
                                     {"article": {"title": "T", "description": "d", "body": "b", **fields}}, alice.token)
    assert errors(post(status="scheduled")) == {"publishAt": ["is required when status is scheduled"]}
    assert errors(post(status="scheduled", publishAt=future(-60))) == {"publishAt": ["must be in the future"]}
    naive = datetime.now().replace(microsecond=0).isoformat()
    for bad in (naive, "tomorrow", "2026-13-01T00:00:00Z", 1767225600, None, "0001-01-01T00:00:00+14:00", "x" * 100):
        assert "ISO 8601" in errors(post(status="scheduled", publishAt=bad))["publishAt"][0] or bad is None, bad
    assert errors(post(status="draft", publishAt=future())) == {"publishAt": ["is only allowed with status scheduled"]}
    assert errors(post(publishAt=future())) == {"publishAt": ["is only allowed with status scheduled"]}
    assert errors(post(status="later", publishAt=future()))["status"] == ["is not included in the list"]

    draft = api.article(alice.token, status="draft")
    put = lambda **fields: api.call("PUT", f"/api/articles/{draft['slug']}", {"article": fields}, alice.token)  # noqa
    assert errors(put(publishAt=future())) == {"publishAt": ["is only allowed with status scheduled"]}
    assert errors(put(status="scheduled")) == {"publishAt": ["is required when status is scheduled"]}
    assert errors(put(status="scheduled", publishAt="2020-01-01T00:00:00+00:00")) == {
        "publishAt": ["must be in the future"]}
    with tenant_context(api.info):
        assert Article.objects.get(slug=draft["slug"]).status == "draft"  # nothing applied
        assert not Article.objects.filter(status="scheduled").exists()


def test_a_scheduled_article_is_seen_only_by_its_author_and_owners(api):
    alice, bob, owner = api.user("alice"), api.user("bob"), api.user("olga", owner=True)
    when = "2031-05-04T10:30:00+02:00"
    article = api.article(alice.token, title="Coming soon", status="scheduled", publishAt=when, tagList=["soon"])
    slug = article["slug"]
    assert article["status"] == "scheduled" and article["publishAt"] == "2031-05-04T08:30:00.000Z"
    assert article["publishedAt"] is None
    published = api.article(alice.token, title="Out now", tagList=["now"])
    assert published["publishAt"] is None  # the key is always there (null unless scheduled)

    for token, status in ((None, 404), (bob.token, 404), (alice.token, 200), (owner.token, 200)):
        assert api.call("GET", f"/api/articles/{slug}", token=token).status_code == status, token
        assert api.call("GET", f"/api/articles/{slug}/comments", token=token).status_code == status, token
    detail = api.call("GET", f"/api/articles/{slug}", token=owner.token).json()["article"]
    assert detail["status"] == "scheduled" and detail["publishAt"] == "2031-05-04T08:30:00.000Z" and detail["body"]

    for token in (None, bob.token, alice.token, owner.token):  # never in any list, feed or tag cloud
        for path in ("/api/articles", "/api/articles?author=alice", "/api/articles?tag=soon"):
            slugs = [a["slug"] for a in api.call("GET", path, token=token).json()["articles"]]
            assert slug not in slugs, (path, token)
        assert api.call("GET", "/api/tags", token=token).json()["tags"] == ["now"]
    assert slug not in [a["slug"] for a in api.call("GET", "/api/user/drafts", token=alice.token).json()["articles"]]

    mine = api.call("GET", "/api/user/scheduled", token=alice.token).json()
    assert [a["slug"] for a in mine["articles"]] == [slug] and mine["articlesCount"] == 1
    assert mine["articles"][0]["publishAt"] == "2031-05-04T08:30:00.000Z" and "body" not in mine["articles"][0]
    assert api.call("GET", "/api/user/scheduled", token=bob.token).json() == {"articles": [], "articlesCount": 0}
    assert api.call("GET", "/api/user/scheduled").status_code == 401

    sooner = api.article(bob.token, title="Bob's", status="scheduled", publishAt=future(600))
    site = api.call("GET", "/api/site/scheduled", token=owner.token).json()
    assert [a["slug"] for a in site["articles"]] == [sooner["slug"], slug]  # the next due first, every author
    assert errors(api.call("GET", "/api/site/scheduled", token=bob.token), 403) == {"site": ["forbidden"]}
    assert api.call("GET", "/api/site/scheduled").status_code == 401
    assert errors(api.call("POST", f"/api/articles/{slug}/comments", {"comment": {"body": "hi"}}, bob.token), 404)


def test_the_author_reschedules_publishes_now_or_cancels(api):
    alice, bob = api.user("alice"), api.user("bob")
    slug = api.article(alice.token, status="scheduled", publishAt=future(3600))["slug"]
    path = f"/api/articles/{slug}"

    later = api.call("PUT", path, {"article": {"publishAt": "2032-01-01T00:00:00Z"}}, alice.token)
    assert later.status_code == 200 and later.json()["article"]["publishAt"] == "2032-01-01T00:00:00.000Z"
    edited = api.call("PUT", path, {"article": {"body": "new body"}}, alice.token).json()["article"]
    assert edited["status"] == "scheduled" and edited["publishAt"] == "2032-01-01T00:00:00.000Z"  # kept
    assert api.call("PUT", path, {"article": {"publishAt": future()}}, bob.token).status_code == 404  # unseen

    cancelled = api.call("PUT", path, {"article": {"status": "draft"}}, alice.token).json()["article"]
    assert cancelled["status"] == "draft" and cancelled["publishAt"] is None

    again = api.call("PUT", path, {"article": {"status": "scheduled", "publishAt": future(60)}}, alice.token)
    assert again.json()["article"]["status"] == "scheduled"
    now = api.call("PUT", path, {"article": {"status": "published"}}, alice.token).json()["article"]
    assert now["status"] == "published" and now["publishAt"] is None and now["publishedAt"]
    assert api.call("GET", path).status_code == 200
    with tenant_context(api.info):
        pk = Article.objects.get(slug=slug).pk
    assert outbox(api.info, pk) == ["article.created", "article.published"]  # drafts/schedules: nothing searchable


def test_the_task_publishes_due_articles_with_the_published_event(api):
    alice = api.user("alice")
    due = api.article(alice.token, title="Due", status="scheduled", publishAt=future(60))
    not_yet = api.article(alice.token, title="Not yet", status="scheduled", publishAt=future(3600))
    with tenant_context(api.info):
        marker = ScheduleMarker.objects.get(slug=api.info.slug)
        assert marker.next_due == datetime.fromisoformat(due["publishAt"].replace("Z", "+00:00"))
    assert scheduling.publish_due_all() == 0  # nothing due yet: the marker says when
    make_due(api.info, due["slug"])
    ScheduleMarker.objects.filter(slug=api.info.slug).update(next_due=datetime.now(timezone.utc))

    assert scheduling.publish_due_all() == 1
    with tenant_context(api.info):
        article = Article.objects.get(slug=due["slug"])
        assert article.status == "published" and article.published_at >= article.publish_at
        assert Article.objects.get(slug=not_yet["slug"]).status == "scheduled"
    assert outbox(api.info, article.pk) == ["article.created", "article.published"]
    marker = ScheduleMarker.objects.get(slug=api.info.slug)  # recomputed: the next one's time
    assert marker.next_due == datetime.fromisoformat(not_yet["publishAt"].replace("Z", "+00:00"))
    assert scheduling.publish_due_all() == 0
    shown = api.call("GET", f"/api/articles/{due['slug']}").json()["article"]
    assert shown["status"] == "published" and shown["publishAt"] and shown["publishAt"] <= shown["publishedAt"]
    assert due["slug"] in [a["slug"] for a in api.call("GET", "/api/articles").json()["articles"]]


@pytest.mark.parametrize("engine", ["sqlite", pytest.param("postgres", marks=pytest.mark.postgres), "mongo"])
def test_two_concurrent_workers_publish_each_article_exactly_once(engine, make_tenant, api_for, request):
    """SQL: SKIP LOCKED / BEGIN IMMEDIATE. MongoDB (no row locks): each due row claimed in its own transaction,
    a concurrent claimer write-conflicts and skips it (tenants.db.take_each). Fewer rows there: SecantusDB is slow."""
    url = {"postgres": "pg_tenant_url", "mongo": "mongo_tenant_url"}.get(engine)
    count = 8 if engine == "mongo" else 25
    tenants = [make_tenant(database_url=request.getfixturevalue(url)) if url else make_tenant() for _ in range(2)]
    slugs = {}
    for tenant in tenants:
        api = api_for(tenant)
        token = api.user("alice").token
        slugs[tenant.slug] = [api.article(token, title=f"Post {i}", status="scheduled", publishAt=future(60))["slug"]
                              for i in range(count)]
        with tenant_context(tenant.info()):
            Article.objects.filter(status="scheduled").update(publish_at=datetime.now(timezone.utc))
    ScheduleMarker.objects.update(next_due=datetime.now(timezone.utc))

    start, counts, failures = threading.Barrier(2), [], []

    def worker():
        try:
            start.wait()
            counts.append(scheduling.publish_due_all())
        except Exception as exc:  # pragma: no cover - reported below
            failures.append(exc)
        finally:
            connections.close_all()

    threads = [threading.Thread(target=worker) for _ in range(2)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(30)
    assert not failures and sum(counts) == 2 * count, (counts, failures)
    for tenant in tenants:
        with tenant_context(tenant.info()):
            assert set(Article.objects.values_list("status", flat=True)) == {"published"}
            events = list(OutboxEvent.objects.filter(type="article.published").values_list("entity_id", flat=True))
            assert sorted(events) == sorted(str(pk) for pk in Article.objects.values_list("pk", flat=True))
    assert set(ScheduleMarker.objects.values_list("next_due", flat=True)) == {None}


def test_a_worker_that_was_down_publishes_overdue_articles_on_start(api, monkeypatch, tmp_path):
    from events import outbox
    from events.worker import Handler, Worker

    monkeypatch.setenv("CONDUIT_TEST_EVENT_LOG", str(tmp_path / "events.jsonl"))
    # A publish that failed in an earlier test (two threads on the SQLite control DB) opens the process's breaker
    # for 5 s; --once has no dirty sweep after its tasks, so start with it closed.
    monkeypatch.setattr(outbox, "_breaker_open_until", 0.0)
    alice = api.user("alice")
    slug = api.article(alice.token, status="scheduled", publishAt=future(60))["slug"]
    make_due(api.info, slug)  # the worker was down when it came due
    Worker(once=True, handler=Handler("tests.events.handlers.record")).run()  # tasks run once first, then the drain
    with tenant_context(api.info):
        article = Article.objects.get(slug=slug)
    assert article.status == "published"
    indexed = (tmp_path / "events.jsonl").read_text()
    assert '"type": "article.published"' in indexed and f'"entity_id": "{article.pk}"' in indexed


def test_the_repair_sweep_finds_scheduled_articles_the_markers_missed(api):
    """E.g. a tenant imported from an archive, or a control DB that was down when the article was scheduled."""
    alice = api.user("alice")
    slug = api.article(alice.token, status="scheduled", publishAt=future(60))["slug"]
    make_due(api.info, slug)
    ScheduleMarker.objects.all().delete()
    assert scheduling.publish_due_all() == 0  # no marker: the tick cannot know

    publisher = scheduling.ScheduledPublisher(every=0.25, sweep_seconds=60)
    assert publisher() == 1  # a worker's first call sweeps every tenant
    with tenant_context(api.info):
        assert Article.objects.get(slug=slug).status == "published"

    later = api.article(alice.token, title="Later", status="scheduled", publishAt=future(60))["slug"]
    make_due(api.info, later)
    ScheduleMarker.objects.all().delete()
    assert publisher() == 1  # later calls sweep a slice (here: the one tenant) and publish what became due


def test_what_falls_due_before_the_next_tick_is_published_on_time(api):
    alice = api.user("alice")
    publisher = scheduling.ScheduledPublisher(every=1.0, sweep_seconds=60)
    publisher()  # the first call's full sweep
    slug = api.article(alice.token, status="scheduled", publishAt=future(60))["slug"]
    soon = datetime.now(timezone.utc) + timedelta(seconds=0.4)
    with tenant_context(api.info):
        Article.objects.filter(slug=slug).update(publish_at=soon)
    ScheduleMarker.objects.update(next_due=soon)
    assert publisher() == 1  # waited the 0.4 s within the call instead of a whole tick
    with tenant_context(api.info):
        article = Article.objects.get(slug=slug)
    assert article.status == "published" and timedelta(0) <= article.published_at - article.publish_at


def test_a_schedule_racing_the_marker_update_is_never_lost(api, monkeypatch):
    """The worker computed the tenant's next due time (nothing left) just before another article was scheduled:
    its compare-and-set must not overwrite the marker the new schedule lowered."""
    alice = api.user("alice")
    slug = api.article(alice.token, status="scheduled", publishAt=future(60))["slug"]
    make_due(api.info, slug)
    ScheduleMarker.objects.update(next_due=datetime.now(timezone.utc))
    computed, late = scheduling.next_due, {}

    def next_due_then_a_schedule_commits():
        value = computed()  # None: the due one is published, nothing else is scheduled yet
        late.update(api.article(alice.token, title="Late", status="scheduled", publishAt=future(120)))
        return value

    monkeypatch.setattr(scheduling, "next_due", next_due_then_a_schedule_commits)
    assert scheduling.publish_due_all() == 1
    monkeypatch.setattr(scheduling, "next_due", computed)
    assert ScheduleMarker.objects.get().next_due is not None  # kept low: checked again on the next tick
    assert scheduling.publish_due_all() == 0
    expected = datetime.fromisoformat(late["publishAt"].replace("Z", "+00:00"))
    assert ScheduleMarker.objects.get().next_due == expected


def test_suspended_and_moving_tenants_wait(api, actor):
    from tenants.models import Tenant

    alice = api.user("alice")
    slug = api.article(alice.token, status="scheduled", publishAt=future(60))["slug"]
    make_due(api.info, slug)
    ScheduleMarker.objects.update(next_due=datetime.now(timezone.utc))
    Tenant.objects.filter(pk=api.tenant.pk).update(read_only=True)
    assert scheduling.publish_due_all() == 0  # a move copies it now: no write may land on the source
    Tenant.objects.filter(pk=api.tenant.pk).update(read_only=False, status=Tenant.Status.SUSPENDED)
    assert scheduling.publish_due_all() == 0
    Tenant.objects.filter(pk=api.tenant.pk).update(status=Tenant.Status.ACTIVE)
    assert scheduling.publish_due_all() == 1


def test_an_author_edit_racing_the_publisher_names_the_change_right(api):
    """The author loaded the article while it was scheduled; the worker published it; the author then cancels:
    that is an unpublish (the stored status decides, not the loaded one)."""
    from content import services

    alice = api.user("alice")
    slug = api.article(alice.token, status="scheduled", publishAt=future(60))["slug"]
    with tenant_context(api.info):
        loaded = Article.objects.select_related("author").get(slug=slug)
        make_due(api.info, slug)
        assert scheduling.publish_due() == 1
        services.article_update(article=loaded, user=loaded.author, data={"status": "draft"})
        assert outbox(api.info, loaded.pk) == ["article.created", "article.published", "article.unpublished"]
