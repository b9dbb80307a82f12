"""Tenants are isolated: users, tokens (by claim and by key), articles, and hosts."""
import json
import time

import jwt
import pytest

from conduit.auth import key_ring, tenant_backend
from tests.api.conftest import PASSWORD, Site, assert_error, name


def site_key(site):
    """The tenant identity its signing key is derived from: "<id>:<slug>"."""
    rows = json.loads(site.stack.manage("list_tenants", "--format", "json").stdout)
    return f"{next(r['id'] for r in rows if r['slug'] == site.slug)}:{site.slug}"


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


def test_forged_tenant_claim_fails_on_the_key(site, other):
    token = site.register()["token"]
    kid = jwt.get_unverified_header(token)["kid"]
    payload = jwt.decode(token, options={"verify_signature": False})
    payload["tenant"] = other.slug
    forged = tenant_backend(kid, key_ring()[kid], site_key(site)).encode(payload)  # claim B, signed with A's key
    assert_error(other.get("/api/user", forged), 401, "token")
    resigned = tenant_backend(kid, key_ring()[kid], site_key(site)).encode(dict(payload, tenant=site.slug))
    assert site.get("/api/user", resigned).status_code == 200  # the same key with the right claim works


def test_unknown_key_id_is_rejected(site):
    token = site.register()["token"]
    payload = jwt.decode(token, options={"verify_signature": False})
    kid = jwt.get_unverified_header(token)["kid"]
    derived = tenant_backend(kid, key_ring()[kid], site_key(site)).signing_key
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
