"""Bad input of every kind gets a 4xx in the RealWorld error shape, never a 500."""
import json

import pytest

from tests.support.client import assert_error


@pytest.fixture
def writer(site):
    return site.register()


def raw(site, method, path, data, token=None, content_type="application/json"):
    return site.call(method, path, token, headers={"Content-Type": content_type}, data=data)


@pytest.mark.parametrize("data", [b"{bad json", b"", b"[]", b'"text"', b"null", b"123", b'{"user": "x"}',
                                  b'{"user": []}', b"\xff\xfe\x00"])
def test_malformed_bodies_are_422(site, data):
    assert_error(raw(site, "POST", "/api/users", data), 422)


def test_wrong_types_are_422(site, writer):
    token = writer["token"]
    assert_error(site.post("/api/users", {"user": {"username": 5, "email": ["a@b.io"], "password": {}}}), 422)
    assert_error(site.post("/api/articles", {"article": {"title": {"x": 1}, "description": "d", "body": "b"}}, token),
                 422, "title")
    assert_error(site.post("/api/articles", {"article": {"title": "t", "description": "d", "body": "b",
                                                         "tagList": [1, {"a": 2}]}}, token), 422, "tagList")
    assert_error(site.put("/api/user", {"user": {"email": 42}}, token), 422, "email")


def test_form_encoded_body_is_415(site):
    response = raw(site, "POST", "/api/users", "user=x", content_type="application/x-www-form-urlencoded")
    assert_error(response, 415)


def test_huge_body_is_413(site, writer):
    body = b'{"article": {"title": "t", "description": "d", "body": "' + b"x" * 3_000_000 + b'"}}'
    assert_error(raw(site, "POST", "/api/articles", body, writer["token"]), 413, "body")
    assert_error(site.post("/api/articles", {"article": {"title": "t" * 300, "description": "d", "body": "b"}},
                           writer["token"]), 422, "title")


@pytest.mark.parametrize("text", ["nul\x00byte", "lone \ud800 surrogate"])
def test_unstorable_strings_are_422(site, writer, text):
    data = json.dumps({"article": {"title": text, "description": "d", "body": "b"}})
    assert_error(raw(site, "POST", "/api/articles", data, writer["token"]), 422, "title")


def test_unicode_titles_and_tags(site, writer):
    for title in ("Ünïcödé — ok", "日本語のタイトル", "🚀🔥", "   spaced   ", "../../etc/passwd", "a/b?c#d"):
        article = site.article(writer["token"], title=title, tags=["日本", "🚀"])
        fetched = site.get(f"/api/articles/{article['slug']}")
        assert fetched.status_code == 200, (title, article["slug"])
        assert fetched.json()["article"]["title"] == title.strip()
        assert "/" not in article["slug"]


@pytest.mark.parametrize("path", [
    "/api/articles?tag=%00", "/api/articles?author=%00x", "/api/articles/%00", "/api/profiles/%00",
    "/api/articles/%F0%28%8C%BC", "/api/articles/x%00/comments", "/api/profiles/" + "x" * 3000,
])
def test_odd_paths_and_queries_are_4xx(site, path):
    response = site.get(path)
    assert 400 <= response.status_code < 500, (path, response.status_code, response.text)
    assert "errors" in response.json()


def test_unknown_route_is_json_404(site):
    assert_error(site.get("/api/nothing-here"), 404)
    assert_error(site.get("/api/articles/"), 404)  # no trailing slashes


def test_wrong_method_is_405(site):
    assert_error(site.call("PATCH", "/api/articles"), 405)
