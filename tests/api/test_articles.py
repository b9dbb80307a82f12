"""Articles: list, feed, create, get, update, delete, favorite; tags."""
from tests.support.client import ISO, assert_error, name

ARTICLE_KEYS = {"slug", "title", "description", "body", "tagList", "createdAt", "updatedAt", "favorited",
                "favoritesCount", "author", "status", "publishedAt", "publishAt"}


def test_create_article(site, alice):
    new = {"title": "How to train your dragon", "description": "Ever wonder", "body": "You have to believe",
           "tagList": ["z", "dragons", "z"]}
    response = site.post("/api/articles", {"article": new}, alice["token"])
    assert response.status_code == 201
    article = response.json()["article"]
    assert set(article) == ARTICLE_KEYS
    assert article["slug"].startswith("how-to-train-your-dragon")
    assert article["tagList"] == ["dragons", "z"]
    assert ISO.match(article["createdAt"]) and ISO.match(article["updatedAt"]) and ISO.match(article["publishedAt"])
    assert (article["favorited"], article["favoritesCount"], article["status"]) == (False, 0, "published")
    assert article["author"] == {"username": alice["username"], "bio": None, "image": None, "following": False}
    assert site.get(f"/api/articles/{article['slug']}").json()["article"]["body"] == "You have to believe"


def test_same_title_twice_gives_two_slugs(site, alice):
    first = site.article(alice["token"], title="Same Title")
    second = site.article(alice["token"], title="Same Title")
    assert first["slug"] != second["slug"]
    assert site.get(f"/api/articles/{second['slug']}").status_code == 200


def test_create_validation(site, alice):
    token = alice["token"]
    assert_error(site.post("/api/articles", {"article": {"description": "d", "body": "b"}}, token), 422, "title")
    assert_error(site.post("/api/articles", {"article": {"title": "", "description": "d", "body": "b"}}, token),
                 422, "title")
    assert_error(site.post("/api/articles", {"article": {"title": "t", "description": "d", "body": "b",
                                                         "tagList": "notalist"}}, token), 422, "tagList")
    assert_error(site.post("/api/articles", {"article": {"title": "t", "description": "d", "body": "b",
                                                         "status": "secret"}}, token), 422, "status")
    assert_error(site.post("/api/articles", {"article": {"title": "t", "description": "d", "body": "b"}}), 401)


def test_list_newest_first_with_filters_and_paging(site, alice, bob):
    tag = name("tag")
    made = [site.article(alice["token"], tags=[tag, "common"]) for _ in range(3)]
    other = site.article(bob["token"], tags=[tag])
    site.post(f"/api/articles/{made[0]['slug']}/favorite", token=bob["token"])

    listing = site.get(f"/api/articles?tag={tag}").json()
    assert listing["articlesCount"] == 4
    assert [a["slug"] for a in listing["articles"]] == [other["slug"], *[m["slug"] for m in reversed(made)]]
    assert all("body" not in a for a in listing["articles"])
    assert set(listing["articles"][0]) == ARTICLE_KEYS - {"body"}

    page = site.get(f"/api/articles?tag={tag}&limit=2&offset=1").json()
    assert page["articlesCount"] == 4 and [a["slug"] for a in page["articles"]] == [made[2]["slug"], made[1]["slug"]]
    assert site.get(f"/api/articles?tag={tag}&offset=10").json() == {"articles": [], "articlesCount": 4}

    by_author = site.get(f"/api/articles?author={bob['username']}").json()
    assert [a["slug"] for a in by_author["articles"]] == [other["slug"]]
    favorited = site.get(f"/api/articles?favorited={bob['username']}", bob["token"]).json()
    assert [a["slug"] for a in favorited["articles"]] == [made[0]["slug"]]
    assert favorited["articles"][0]["favorited"] is True and favorited["articles"][0]["favoritesCount"] == 1
    assert site.get("/api/articles?author=nobody-at-all").json() == {"articles": [], "articlesCount": 0}


def test_list_rejects_bad_paging(site):
    for query in ("limit=0", "limit=abc", "offset=-1", "limit=100000", "offset=99999999999999999999"):
        assert_error(site.get(f"/api/articles?{query}"), 422)


def test_feed(site, alice, bob):
    assert_error(site.get("/api/articles/feed"), 401, "token")
    assert site.get("/api/articles/feed", alice["token"]).json() == {"articles": [], "articlesCount": 0}
    article = site.article(bob["token"])
    site.article(bob["token"], status="draft")
    site.post(f"/api/profiles/{bob['username']}/follow", token=alice["token"])
    feed = site.get("/api/articles/feed", alice["token"]).json()
    assert feed["articlesCount"] == 1 and feed["articles"][0]["slug"] == article["slug"]
    assert feed["articles"][0]["author"]["following"] is True


def test_get_update_delete(site, alice, bob):
    article = site.article(alice["token"], tags=["one"])
    path = f"/api/articles/{article['slug']}"
    assert_error(site.get("/api/articles/no-such-article"), 404, "article")
    assert_error(site.put(path, {"article": {"body": "hacked"}}, bob["token"]), 403, "article")
    assert_error(site.put(path, {"article": {"body": "anon"}}), 401)
    assert_error(site.delete(path, bob["token"]), 403, "article")

    updated = site.put(path, {"article": {"title": "A brand new title", "body": "new body", "tagList": ["two"]}},
                       alice["token"])
    assert updated.status_code == 200
    body = updated.json()["article"]
    assert body["slug"].startswith("a-brand-new-title") and body["body"] == "new body" and body["tagList"] == ["two"]
    assert body["updatedAt"] >= body["createdAt"] and body["description"] == "desc"
    assert_error(site.get(path), 404)
    new_path = f"/api/articles/{body['slug']}"
    assert_error(site.put(new_path, {"article": {"title": ""}}, alice["token"]), 422, "title")

    deleted = site.delete(new_path, alice["token"])
    assert deleted.status_code == 204 and deleted.content == b""
    assert_error(site.get(new_path), 404, "article")
    assert_error(site.delete(new_path, alice["token"]), 404)


def test_drafts_are_private_to_their_author(site, alice, bob):
    tag = name("draft")
    draft = site.article(alice["token"], tags=[tag], status="draft")
    assert draft["status"] == "draft" and draft["publishedAt"] is None
    path = f"/api/articles/{draft['slug']}"
    assert site.get(path, alice["token"]).status_code == 200
    assert_error(site.get(path), 404)
    assert_error(site.get(path, bob["token"]), 404)
    assert site.get(f"/api/articles?tag={tag}", alice["token"]).json()["articlesCount"] == 0
    assert tag not in site.get("/api/tags").json()["tags"]

    published = site.put(path, {"article": {"status": "published"}}, alice["token"]).json()["article"]
    assert published["status"] == "published" and ISO.match(published["publishedAt"])
    assert site.get(path, bob["token"]).status_code == 200
    assert site.get(f"/api/articles?tag={tag}").json()["articlesCount"] == 1
    assert tag in site.get("/api/tags").json()["tags"]


def test_favorite_and_unfavorite(site, alice, bob):
    article = site.article(alice["token"])
    path = f"/api/articles/{article['slug']}/favorite"
    assert_error(site.post(path), 401)
    assert_error(site.post("/api/articles/missing-one/favorite", token=bob["token"]), 404, "article")
    first = site.post(path, token=bob["token"])
    assert first.status_code == 200
    assert (first.json()["article"]["favorited"], first.json()["article"]["favoritesCount"]) == (True, 1)
    assert first.json()["article"]["updatedAt"] == article["updatedAt"]
    assert site.post(path, token=bob["token"]).json()["article"]["favoritesCount"] == 1  # idempotent
    assert site.post(path, token=alice["token"]).json()["article"]["favoritesCount"] == 2
    seen = site.get(f"/api/articles/{article['slug']}", bob["token"]).json()["article"]
    assert (seen["favorited"], seen["favoritesCount"]) == (True, 2)
    undone = site.delete(path, token=bob["token"]).json()["article"]
    assert (undone["favorited"], undone["favoritesCount"]) == (False, 1)


def test_tags(site, alice):
    tag = name("Tag ü ")
    site.article(alice["token"], tags=[tag])
    response = site.get("/api/tags")
    assert response.status_code == 200
    tags = response.json()["tags"]
    assert tag in tags and tags == sorted(tags) and len(tags) == len(set(tags))
