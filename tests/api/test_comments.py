"""GET/POST /api/articles/{slug}/comments, DELETE /api/articles/{slug}/comments/{id}."""
from tests.support.client import ISO, assert_error


def test_comment_lifecycle(site, alice, bob):
    article = site.article(alice["token"])
    path = f"/api/articles/{article['slug']}/comments"
    assert site.get(path).json() == {"comments": []}
    created = site.post(path, {"comment": {"body": "Thank you so much!"}}, bob["token"])
    assert created.status_code == 201
    comment = created.json()["comment"]
    assert set(comment) == {"id", "createdAt", "updatedAt", "body", "author"}
    assert isinstance(comment["id"], int) and ISO.match(comment["createdAt"])
    assert comment["author"]["username"] == bob["username"]
    second = site.post(path, {"comment": {"body": "second"}}, alice["token"]).json()["comment"]

    site.post(f"/api/profiles/{bob['username']}/follow", token=alice["token"])
    listed = site.get(path, alice["token"]).json()["comments"]
    assert [c["id"] for c in listed] == [second["id"], comment["id"]]
    assert listed[1]["author"]["following"] is True

    assert_error(site.delete(f"{path}/{comment['id']}", alice["token"]), 403, "comment")
    assert_error(site.delete(f"{path}/{comment['id']}"), 401)
    deleted = site.delete(f"{path}/{comment['id']}", bob["token"])
    assert deleted.status_code == 204 and deleted.content == b""
    assert [c["id"] for c in site.get(path).json()["comments"]] == [second["id"]]
    assert_error(site.delete(f"{path}/{comment['id']}", bob["token"]), 404, "comment")


def test_comment_errors(site, alice, bob):
    article = site.article(alice["token"])
    other = site.article(alice["token"])
    path = f"/api/articles/{article['slug']}/comments"
    assert_error(site.post(path, {"comment": {"body": "anon"}}), 401)
    assert_error(site.post(path, {"comment": {"body": ""}}, bob["token"]), 422, "body")
    assert_error(site.post(path, {"comment": {}}, bob["token"]), 422, "body")
    assert_error(site.get("/api/articles/missing-one/comments"), 404, "article")
    assert_error(site.post("/api/articles/missing-one/comments", {"comment": {"body": "x"}}, bob["token"]), 404)
    comment = site.post(path, {"comment": {"body": "x"}}, bob["token"]).json()["comment"]
    # a comment id of another article, and ids that do not fit a database integer
    assert_error(site.delete(f"/api/articles/{other['slug']}/comments/{comment['id']}", bob["token"]), 404)
    assert_error(site.delete(f"{path}/99999999999999999999999", bob["token"]), 404)
    assert_error(site.delete(f"{path}/0", bob["token"]), 404)
