"""Owner moderation (issue 13) and the comment outbox events."""
import pytest

from accounts.audit import audit_list
from content.models import Article, Comment
from events.models import OutboxEvent
from tenants.context import tenant_context

pytestmark = pytest.mark.django_db(transaction=True)


@pytest.fixture
def api(make_tenant, api_for):
    return api_for(make_tenant())


def events(info, entity):
    with tenant_context(info):
        return list(OutboxEvent.objects.filter(entity=entity).order_by("id").values_list("type", "entity_id"))


def audit(info):
    with tenant_context(info):
        return [(e.actor, e.action, e.target, e.detail) for e in audit_list()]


def test_comments_write_created_and_deleted_events_in_their_transaction(api):
    alice, bob = api.user("alice"), api.user("bob")
    slug = api.article(alice.token)["slug"]
    first = api.call("POST", f"/api/articles/{slug}/comments", {"comment": {"body": "one"}}, bob.token).json()
    second = api.call("POST", f"/api/articles/{slug}/comments", {"comment": {"body": "two"}}, bob.token).json()
    first_id, second_id = str(first["comment"]["id"]), str(second["comment"]["id"])
    assert events(api.info, "comment") == [("comment.created", first_id), ("comment.created", second_id)]

    assert api.call("DELETE", f"/api/articles/{slug}/comments/{first_id}", token=bob.token).status_code == 204
    assert events(api.info, "comment")[-1] == ("comment.deleted", first_id)

    with tenant_context(api.info):
        article_id = str(Article.objects.get(slug=slug).pk)
    assert api.call("DELETE", f"/api/articles/{slug}", token=alice.token).status_code == 204
    assert events(api.info, "comment") == [  # the article's deletion covers its comments: no event per comment
        ("comment.created", first_id), ("comment.created", second_id), ("comment.deleted", first_id)]
    assert events(api.info, "article")[-1] == ("article.deleted", article_id)
    with tenant_context(api.info):
        assert not OutboxEvent.objects.filter(published_at__isnull=True).exists()  # published after commit


def test_owners_remove_any_comment_audited_others_get_403(api):
    alice, bob, carol = api.user("alice"), api.user("bob"), api.user("carol")
    owner = api.user("olga", owner=True)
    slug = api.article(alice.token)["slug"]
    comment = api.call("POST", f"/api/articles/{slug}/comments", {"comment": {"body": "spam spam"}}, bob.token)
    path = f"/api/articles/{slug}/comments/{comment.json()['comment']['id']}"

    for intruder in (alice, carol):  # the article's author is no moderator; nor is anyone else
        refused = api.call("DELETE", path, token=intruder.token)
        assert refused.status_code == 403 and refused.json() == {"errors": {"comment": ["forbidden"]}}
    assert api.call("DELETE", path).status_code == 401
    assert audit(api.info) == []

    assert api.call("DELETE", path, token=owner.token).status_code == 204
    with tenant_context(api.info):
        assert not Comment.objects.exists()
    [(actor, action, target, detail)] = audit(api.info)
    assert (actor, action, target) == ("olga", "comment.remove", f"comment:{comment.json()['comment']['id']}")
    assert detail == {"article": slug, "author": "bob", "body": "spam spam"}
    assert events(api.info, "comment")[-1][0] == "comment.deleted"


def test_owners_unpublish_any_article_audited_others_get_403(api):
    alice, bob = api.user("alice"), api.user("bob")
    owner = api.user("olga", owner=True)
    slug = api.article(alice.token, title="Off topic")["slug"]
    path = f"/api/articles/{slug}"

    refused = api.call("PUT", path, {"article": {"status": "draft"}}, bob.token)
    assert refused.status_code == 403 and refused.json() == {"errors": {"article": ["forbidden"]}}
    for edit in ({"title": "Owned"}, {"status": "draft", "body": "rewritten"}, {"status": "published"}):
        assert api.call("PUT", path, {"article": edit}, owner.token).status_code == 403, edit  # only unpublish
    assert api.call("DELETE", path, token=owner.token).status_code == 403  # moderation is not deletion

    answer = api.call("PUT", path, {"article": {"status": "draft"}}, owner.token)
    assert answer.status_code == 200 and answer.json()["article"]["status"] == "draft"
    assert api.call("GET", path).status_code == 404 and api.call("GET", path, token=owner.token).status_code == 200
    assert slug not in [a["slug"] for a in api.call("GET", "/api/articles").json()["articles"]]
    with tenant_context(api.info):
        article_id = str(Article.objects.get(slug=slug).pk)
    assert events(api.info, "article")[-1] == ("article.unpublished", article_id)
    assert audit(api.info) == [("olga", "article.unpublish", f"article:{slug}",
                                {"from": "published", "author": "alice", "title": "Off topic"})]
    assert api.call("PUT", path, {"article": {"status": "draft"}}, owner.token).status_code == 200
    assert len(audit(api.info)) == 1  # already a draft: nothing done, nothing audited

    scheduled = api.article(alice.token, title="Soon", status="scheduled", publishAt="2031-01-01T00:00:00Z")
    cancelled = api.call("PUT", f"/api/articles/{scheduled['slug']}", {"article": {"status": "draft"}}, owner.token)
    assert cancelled.json()["article"]["status"] == "draft" and cancelled.json()["article"]["publishAt"] is None
    assert audit(api.info)[0][1:3] == ("article.unpublish", f"article:{scheduled['slug']}")
    assert audit(api.info)[0][3]["from"] == "scheduled"
