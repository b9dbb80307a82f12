"""GET /api/user/drafts: the author's own drafts (the frontend's profile "My Drafts" tab), nobody else's."""
from tests.support.client import assert_error


def test_user_drafts_lists_only_the_callers_drafts(site, alice, bob):
    first = site.article(alice["token"], title="Draft one", status="draft")
    second = site.article(alice["token"], title="Draft two", status="draft")
    site.article(alice["token"], title="Published one")
    site.article(bob["token"], title="Bob's draft", status="draft")

    answer = site.get("/api/user/drafts", alice["token"])
    assert answer.status_code == 200
    body = answer.json()
    slugs = [a["slug"] for a in body["articles"]]
    assert slugs[:2] == [second["slug"], first["slug"]]  # newest first
    assert all(a["status"] == "draft" and a["author"]["username"] == alice["username"] for a in body["articles"])
    assert body["articlesCount"] == len(slugs) >= 2
    assert "body" not in body["articles"][0]

    paged = site.get("/api/user/drafts?limit=1&offset=1", alice["token"]).json()
    assert [a["slug"] for a in paged["articles"]] == [slugs[1]] and paged["articlesCount"] == body["articlesCount"]

    bobs = site.get("/api/user/drafts", bob["token"]).json()["articles"]
    assert {a["author"]["username"] for a in bobs} == {bob["username"]}

    site.put(f"/api/articles/{first['slug']}", {"article": {"status": "published"}}, alice["token"])
    after = [a["slug"] for a in site.get("/api/user/drafts", alice["token"]).json()["articles"]]
    assert first["slug"] not in after and second["slug"] in after


def test_user_drafts_needs_a_token_and_valid_paging(site, alice):
    assert_error(site.get("/api/user/drafts"), 401, "token")
    assert_error(site.get("/api/user/drafts?limit=0", alice["token"]), 422, "limit")
    assert_error(site.get("/api/user/drafts?offset=x", alice["token"]), 422, "offset")
