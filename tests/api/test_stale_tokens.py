"""A token that fails verification is no token on a public read (anonymous answer + invalid_token), 401 on a write.

Every forged token below carries the reader's own user id, and the reader has favourited, followed and commented:
an implementation that trusted any part of a bad token would answer `favorited: true` / `following: true`, and the
byte-for-byte comparison with the no-token answer would fail.
"""
import base64
import json
import time
import uuid

import jwt
import pytest

from conduit.auth import key_ring, tenant_backend
from tests.support.client import Site, assert_error, auth_log, name

CHALLENGE = 'Token error="invalid_token"'
# kind of bad token → the reason the server logs for it (at DEBUG, with the request id; never in the response)
KINDS = {
    "garbage": "malformed",
    "bad_signature": "bad_signature",
    "retired_key": "unknown_kid",
    "expired": "expired",
    "other_tenant": "bad_signature",  # another site's key: the signature fails before the claim is even read
    "deleted_user": "unknown_user",
}


def resign(site, token, key=None, kid=None, **claims):
    """The token's payload (changed by `claims`), signed with the site's key, or with `key` under `kid`."""
    payload = {**jwt.decode(token, options={"verify_signature": False}), **claims}
    kid = kid or jwt.get_unverified_header(token)["kid"]
    if key is None:
        return tenant_backend(kid, key_ring()[kid], site.key()).encode(payload)
    return jwt.encode(payload, key, algorithm="HS256", headers={"kid": kid})


@pytest.fixture(scope="module")
def world(site):
    """An author with a published article and a draft; a reader who favourited, followed and commented."""
    author, reader = site.register(), site.register()
    article = site.article(author["token"], tags=["stale"])
    draft = site.article(author["token"], status="draft")
    assert site.post(f"/api/articles/{article['slug']}/favorite", token=reader["token"]).status_code == 200
    assert site.post(f"/api/profiles/{author['username']}/follow", token=reader["token"]).status_code == 200
    comments = f"/api/articles/{article['slug']}/comments"
    assert site.post(comments, {"comment": {"body": "first"}}, reader["token"]).status_code == 201

    ghost = site.register()  # a user whose token outlives them
    site.stack.manage("tenant_command", site.slug, "shell", "-c", (  # the row only: it owns nothing
        "from accounts.models import User; "  # spike 14: ORM (no cascade, no signals), any engine
        f"User.objects.filter(username='{ghost['username']}')._raw_delete(User.objects.db)"))
    other = Site(site.stack, site.stack.create_tenant())
    now = int(time.time())
    tokens = {
        "garbage": "garbage-" + uuid.uuid4().hex,
        "bad_signature": reader["token"][:-4] + ("AAAA" if not reader["token"].endswith("AAAA") else "BBBB"),
        "retired_key": resign(site, reader["token"], key="a-key-no-longer-in-the-ring-0123456789", kid="retired"),
        "expired": resign(site, reader["token"], exp=now - 60, iat=now - 3600),
        "other_tenant": other.register()["token"],
        "deleted_user": ghost["token"],
    }
    reads = ["/api/articles", "/api/articles?tag=stale", f"/api/articles/{article['slug']}", "/api/tags",
             f"/api/profiles/{author['username']}", comments, f"/api/articles/{draft['slug']}",
             "/api/search?q=dragon&mode=text"]  # text: hybrid answers move as the embedder adds vectors
    return {"author": author, "reader": reader, "article": article, "draft": draft, "tokens": tokens,
            "reads": reads}


def test_the_reader_token_changes_the_answer(site, world):
    """The baseline that makes the other tests meaningful: with the real token, the answers are not anonymous."""
    token, article = world["reader"]["token"], world["article"]
    mine = site.get(f"/api/articles/{article['slug']}", token).json()["article"]
    assert mine["favorited"] is True and mine["author"]["following"] is True
    assert site.get(f"/api/articles/{article['slug']}").json()["article"]["favorited"] is False
    assert site.get(f"/api/articles/{world['draft']['slug']}", world["author"]["token"]).status_code == 200


@pytest.mark.parametrize("kind", list(KINDS))
def test_a_bad_token_on_a_public_read_is_the_anonymous_answer(site, world, kind):
    token = world["tokens"][kind]
    for path in world["reads"]:
        anonymous = site.get(path)
        request_id = f"stale-{kind}-{uuid.uuid4().hex[:8]}"
        stale = site.get(path, token, headers={"X-Request-ID": request_id})
        assert (stale.status_code, stale.content) == (anonymous.status_code, anonymous.content), (kind, path)
        assert stale.headers.get("WWW-Authenticate") == CHALLENGE, (kind, path)
        assert "WWW-Authenticate" not in anonymous.headers
        assert auth_log(site.stack, request_id)["reason"] == KINDS[kind], (kind, path)
    assert site.get("/api/articles", token).json()["articles"][0]["favorited"] is False
    assert site.get(f"/api/articles/{world['draft']['slug']}", token).status_code == 404


@pytest.mark.parametrize("kind", list(KINDS))
def test_a_bad_token_on_a_write_or_a_private_read_is_401(site, world, kind):
    token, slug = world["tokens"][kind], world["article"]["slug"]
    author = world["author"]["username"]
    for method, path, body in [
        ("GET", "/api/user", None),
        ("PUT", "/api/user", {"user": {"bio": "pwned"}}),
        ("GET", "/api/articles/feed", None),
        ("POST", "/api/articles", {"article": {"title": "t", "description": "d", "body": "b"}}),
        ("POST", f"/api/articles/{slug}/favorite", None),
        ("POST", f"/api/articles/{slug}/comments", {"comment": {"body": "x"}}),
        ("POST", f"/api/profiles/{author}/follow", None),
        ("GET", "/api/media", None),
    ]:
        response = site.call(method, path, token, json=body)
        assert assert_error(response, 401) == {"token": ["is invalid"]}, (kind, method, path)
        assert response.headers["WWW-Authenticate"] == 'Token realm="api", error="invalid_token"'
    assert site.get(f"/api/articles/{slug}").json()["article"]["favoritesCount"] == 1  # nothing was written


def test_a_malformed_authorization_header_is_treated_like_a_bad_token(site, world):
    anonymous = site.get("/api/tags")
    stale = site.get("/api/tags", headers={"Authorization": "Token"})
    assert (stale.status_code, stale.content, stale.headers["WWW-Authenticate"]) == (200, anonymous.content, CHALLENGE)
    assert_error(site.get("/api/user", headers={"Authorization": "Token a b"}), 401, "token")


def test_a_token_with_an_odd_header_is_a_bad_token_not_a_server_error(site, world):
    def part(value):
        return base64.urlsafe_b64encode(json.dumps(value).encode()).rstrip(b"=").decode()

    payload = jwt.decode(world["reader"]["token"], options={"verify_signature": False})
    anonymous = site.get("/api/tags")
    for header in ({"alg": "HS256", "kid": ["k0"]}, {"alg": "HS256", "kid": {"a": 1}}, {"alg": "none", "kid": "k0"}):
        token = f"{part(header)}.{part(payload)}.{part('sig')}"
        stale = site.get("/api/tags", token)
        assert (stale.status_code, stale.content, stale.headers["WWW-Authenticate"]) == (200, anonymous.content,
                                                                                        CHALLENGE), header
        assert assert_error(site.get("/api/user", token), 401) == {"token": ["is invalid"]}, header


def test_login_with_a_stale_token_still_logs_in(site, world):
    reader = world["reader"]
    response = site.post("/api/users/login", {"user": {"email": reader["email"], "password": "correct-horse-9"}},
                         world["tokens"]["expired"])
    assert response.status_code == 200 and response.json()["user"]["username"] == reader["username"]
    assert response.headers["WWW-Authenticate"] == CHALLENGE


def test_a_valid_token_gets_no_challenge(site, world):
    response = site.get("/api/articles", world["reader"]["token"])
    assert response.status_code == 200 and "WWW-Authenticate" not in response.headers


@pytest.mark.slow
def test_tokens_of_a_retired_key_after_a_real_rotation(tmp_path):
    """Rotation for real: a token signed by the old key works while the key is in the ring, and is anonymous on a
    public read (401 on a write) once the key is retired and the server restarted with the new ring."""
    from tests.support.stack import Stack

    stack = Stack(tmp_path, CONDUIT_JWT_KEYS="old:first-secret-0123456789-abcdefghij")
    stack.start(workers=1)
    try:
        site = Site(stack, stack.create_tenant())
        reader = site.register(name())
        old = reader["token"]
        assert jwt.get_unverified_header(old)["kid"] == "old"
        site.article(old)
        stack.stop()
        stack.env["CONDUIT_JWT_KEYS"] = "new:second-secret-0123456789-abcdefghij,old:first-secret-0123456789-abcdefghij"
        stack.start(workers=1)
        assert site.get("/api/user", old).status_code == 200  # rotated, not yet retired: still valid
        stack.stop()
        stack.env["CONDUIT_JWT_KEYS"] = "new:second-secret-0123456789-abcdefghij"
        stack.start(workers=1)
        anonymous = site.get("/api/articles")
        request_id = f"retired-{uuid.uuid4().hex[:8]}"
        stale = site.get("/api/articles", old, headers={"X-Request-ID": request_id})
        assert (stale.status_code, stale.content) == (200, anonymous.content)
        assert stale.headers["WWW-Authenticate"] == CHALLENGE
        assert auth_log(stack, request_id)["reason"] == "unknown_kid"
        assert_error(site.post("/api/articles", {"article": {"title": "t", "description": "d", "body": "b"}}, old),
                     401, "token")
    finally:
        stack.stop()
