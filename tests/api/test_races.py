"""Concurrent get_or_create writes (favorite, follow, a new tag) through gunicorn: never a 500, one row each.

On MongoDB the loser of such a race write-conflicts (its whole transaction is aborted) and is run again by
tenants.db.tenant_transaction; on SQL the unique constraints and locks settle it as before."""
import threading

from tests.support.client import name


def test_concurrent_favorites_follows_and_new_tags_are_never_500(site):
    alice, bob = site.user(), site.user()
    slug = site.article(alice.token)["slug"]
    tag = name("tag")
    calls = [
        lambda: bob.post(f"/api/articles/{slug}/favorite"),
        lambda: bob.post(f"/api/articles/{slug}/favorite"),
        lambda: alice.post(f"/api/articles/{slug}/favorite"),  # both users at once: one article document
        lambda: bob.post(f"/api/profiles/{alice.username}/follow"),
        lambda: bob.post(f"/api/profiles/{alice.username}/follow"),
        *[lambda: alice.post("/api/articles", {"article": {"title": name("Title "), "description": "d",
                                                             "body": "b", "tagList": [tag]}}) for _ in range(2)],
    ]
    start, statuses = threading.Barrier(len(calls)), []

    def run(call):
        start.wait(10)
        response = call()
        statuses.append((response.status_code, response.text[:200]))

    threads = [threading.Thread(target=run, args=(call,)) for call in calls]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(60)
    assert len(statuses) == len(calls) and all(status in (200, 201) for status, _ in statuses), statuses
    assert site.get(f"/api/articles/{slug}").json()["article"]["favoritesCount"] == 2
    assert bob.get(f"/api/profiles/{alice.username}").json()["profile"]["following"] is True
    assert site.get("/api/tags").json()["tags"].count(tag) == 1
