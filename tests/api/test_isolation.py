"""Tenants are isolated: users, tokens (by claim and by key), articles, and hosts."""
import time

import jwt
import pytest

from conduit.auth import key_ring, tenant_backend
from tests.support.client import PASSWORD, Site, assert_error, auth_log, name


@pytest.fixture
def other(site):
    return Site(site.stack, site.stack.create_tenant())


def test_same_username_on_two_tenants(site, other):
    username = name()
    first, second = site.register(username), other.register(username)
    assert first["username"] == second["username"]
    login = other.post("/api/users/login", {"user": {"email": second["email"], "password": PASSWORD}})
    assert login.status_code == 200


def test_token_from_one_tenant_is_rejected_on_another(site, other):
    username = name()
    mine, theirs = site.register(username), other.register(username)  # same user id is likely too
    assert site.get("/api/user", mine["token"]).status_code == 200
    assert_error(other.get("/api/user", mine["token"]), 401, "token")
    assert_error(site.get("/api/user", theirs["token"]), 401, "token")


def test_forged_tenant_claim_fails_on_the_key(site):
    """Claim B signed with A's key, for a user id that exists on B: only the per-tenant key can refuse it."""
    a, b = Site(site.stack, site.stack.create_tenant()), Site(site.stack, site.stack.create_tenant())
    token, theirs = a.register()["token"], b.register()["token"]  # the first user of each fresh site
    payload = jwt.decode(token, options={"verify_signature": False})
    assert payload["user_id"] == jwt.decode(theirs, options={"verify_signature": False})["user_id"]
    kid = jwt.get_unverified_header(token)["kid"]
    forged = tenant_backend(kid, key_ring()[kid], a.key()).encode(dict(payload, tenant=b.slug))
    request_id = f"forged-{b.slug}"
    assert assert_error(b.get("/api/user", forged, headers={"X-Request-ID": request_id}), 401) == {
        "token": ["is invalid"]}  # the response does not say why ...
    assert auth_log(site.stack, request_id)["reason"] == "bad_signature"  # ... the log does
    genuine = tenant_backend(kid, key_ring()[kid], b.key()).encode(dict(payload, tenant=b.slug))
    assert b.get("/api/user", genuine).status_code == 200  # B's key with the same claims: that user exists on B
    resigned = tenant_backend(kid, key_ring()[kid], a.key()).encode(dict(payload, tenant=a.slug))
    assert a.get("/api/user", resigned).status_code == 200  # A's key with A's claim works on A


def test_unknown_user_and_bad_signature_are_told_apart_in_the_log_only(site):
    fresh = Site(site.stack, site.stack.create_tenant())
    token = fresh.register()["token"]
    kid = jwt.get_unverified_header(token)["kid"]
    payload = jwt.decode(token, options={"verify_signature": False})
    nobody = tenant_backend(kid, key_ring()[kid], fresh.key()).encode(dict(payload, user_id="999999"))
    tampered = token[:-4] + ("AAAA" if not token.endswith("AAAA") else "BBBB")
    answers = {}
    for reason, bad in (("unknown_user", nobody), ("bad_signature", tampered)):
        request_id = f"{reason}-{fresh.slug}"
        response = fresh.get("/api/user", bad, headers={"X-Request-ID": request_id})
        answers[reason] = (response.status_code, response.content, response.headers["WWW-Authenticate"])
        assert auth_log(site.stack, request_id)["reason"] == reason
    assert answers["unknown_user"] == answers["bad_signature"]


def test_unknown_key_id_is_rejected(site):
    token = site.register()["token"]
    payload = jwt.decode(token, options={"verify_signature": False})
    kid = jwt.get_unverified_header(token)["kid"]
    derived = tenant_backend(kid, key_ring()[kid], site.key()).signing_key
    unknown = jwt.encode(payload, derived, algorithm="HS256", headers={"kid": "retired-key"})
    assert_error(site.get("/api/user", unknown), 401, "token")
    no_kid = jwt.encode(payload, derived, algorithm="HS256")
    assert_error(site.get("/api/user", no_kid), 401, "token")
    none_alg = jwt.encode(payload, None, algorithm="none", headers={"kid": kid})
    assert_error(site.get("/api/user", none_alg), 401, "token")


def test_token_does_not_survive_a_purge_and_re_creation_of_its_site(site):
    slug = site.stack.create_tenant()
    old = Site(site.stack, slug)
    token = old.register()["token"]  # user id 1 of the first site
    site.stack.manage("delete_tenant", slug, "--purge", "--yes")
    site.stack.manage("create_tenant", slug)
    time.sleep(1.0)
    reborn = Site(site.stack, slug)
    reborn.register()  # user id 1 again, a different person
    assert_error(reborn.get("/api/user", token), 401, "token")


def test_article_slug_of_one_tenant_is_not_found_on_another(site, other):
    article = site.article(site.register()["token"])
    assert site.get(f"/api/articles/{article['slug']}").status_code == 200
    assert_error(other.get(f"/api/articles/{article['slug']}"), 404, "article")
    assert other.get("/api/articles").json() == {"articles": [], "articlesCount": 0}


def test_unknown_and_spoofed_hosts(site):
    stack = site.stack
    assert_error(stack.request("GET", "/api/articles", host="no-such-site.localhost"), 404, "tenant")
    # X-Forwarded-Host is ignored unless CONDUIT_BEHIND_PROXY: the Host header decides
    spoofed = stack.request("GET", "/api/articles", host="localhost",
                            headers={"X-Forwarded-Host": f"{site.slug}.localhost"})
    assert spoofed.status_code == 404 and "articles" not in spoofed.json()
    unknown = stack.request("GET", "/api/tags", host="no-such-site.localhost",
                            headers={"X-Forwarded-Host": f"{site.slug}.localhost"})
    assert_error(unknown, 404, "tenant")
    assert site.get("/api/tags", headers={"X-Forwarded-Host": "no-such-site.localhost"}).status_code == 200
