"""The current RealWorld spec where Conduit used to deviate: null bio/image, "can't be blank", http(s) image URLs."""
import json

import pytest

from tests.support.client import PASSWORD, Site, assert_error, name
from tests.media import samples

BLANK = ["can't be blank"]


def test_a_new_user_has_null_bio_and_image_everywhere(site):
    author = site.register()
    assert (author["bio"], author["image"]) == (None, None)  # POST /users
    login = site.post("/api/users/login", {"user": {"email": author["email"], "password": PASSWORD}}).json()["user"]
    current = site.get("/api/user", author["token"]).json()["user"]
    profile = site.get(f"/api/profiles/{author['username']}").json()["profile"]
    article = site.article(author["token"], tags=["nulls"])  # POST /articles
    listed = site.get("/api/articles?tag=nulls").json()["articles"][0]  # the SQL fast path
    detail = site.get(f"/api/articles/{article['slug']}").json()["article"]
    comments = f"/api/articles/{article['slug']}/comments"
    comment = site.post(comments, {"comment": {"body": "hi"}}, author["token"]).json()["comment"]
    listed_comment = site.get(comments).json()["comments"][0]
    for where, shape in [("login", login), ("user", current), ("profile", profile),
                         ("created article", article["author"]), ("listed article", listed["author"]),
                         ("article", detail["author"]), ("created comment", comment["author"]),
                         ("listed comment", listed_comment["author"])]:
        assert (shape["bio"], shape["image"]) == (None, None), where


def test_update_user_blank_or_null_clears_to_null(site):
    user = site.register()
    token = user["token"]
    both = {"bio": "I write", "image": "https://img.example/a.png"}
    assert {k: v for k, v in site.put("/api/user", {"user": both}, token).json()["user"].items() if k in both} == both
    cleared = site.put("/api/user", {"user": {"bio": "", "image": ""}}, token).json()["user"]
    assert (cleared["bio"], cleared["image"]) == (None, None)
    profile = site.get(f"/api/profiles/{user['username']}").json()["profile"]
    assert (profile["bio"], profile["image"]) == (None, None)  # stored as null, not only shown as null
    site.put("/api/user", {"user": both}, token)
    cleared = site.put("/api/user", {"user": {"bio": None, "image": None}}, token).json()["user"]
    assert (cleared["bio"], cleared["image"]) == (None, None)
    assert site.get("/api/user", token).json()["user"]["bio"] is None


def test_update_user_with_an_empty_password_keeps_the_password(site):
    user = site.register()
    settings_form = {"username": user["username"], "email": user["email"], "bio": "", "image": "", "password": ""}
    assert site.put("/api/user", {"user": settings_form}, user["token"]).status_code == 200
    login = site.post("/api/users/login", {"user": {"email": user["email"], "password": PASSWORD}})
    assert login.status_code == 200
    blank = site.put("/api/user", {"user": {"username": "", "email": ""}}, user["token"])
    assert assert_error(blank, 422) == {"username": BLANK, "email": BLANK}


@pytest.mark.parametrize("field", ["title", "description", "body"])
def test_blank_article_fields_cant_be_blank(site, alice, field):
    article = {"title": "A title", "description": "d", "body": "b", field: ""}
    assert assert_error(site.post("/api/articles", {"article": article}, alice["token"]), 422) == {field: BLANK}
    article[field] = "   "  # whitespace only is blank too
    assert assert_error(site.post("/api/articles", {"article": article}, alice["token"]), 422) == {field: BLANK}
    slug = site.article(alice["token"])["slug"]
    update = site.put(f"/api/articles/{slug}", {"article": {field: ""}}, alice["token"])
    assert assert_error(update, 422) == {field: BLANK}


@pytest.mark.parametrize("field", ["username", "email", "password"])
def test_blank_registration_fields_cant_be_blank(site, field):
    username = name()
    user = {"username": username, "email": f"{username}@example.com", "password": PASSWORD, field: ""}
    assert assert_error(site.post("/api/users", {"user": user}), 422) == {field: BLANK}


@pytest.mark.parametrize("field", ["email", "password"])
def test_blank_login_fields_cant_be_blank(site, alice, field):
    credentials = {"email": alice["email"], "password": PASSWORD, field: ""}
    assert assert_error(site.post("/api/users/login", {"user": credentials}), 422) == {field: BLANK}


def test_blank_comment_cant_be_blank(site, alice):
    slug = site.article(alice["token"])["slug"]
    response = site.post(f"/api/articles/{slug}/comments", {"comment": {"body": ""}}, alice["token"])
    assert assert_error(response, 422) == {"body": BLANK}


def test_all_blank_fields_are_reported_together_and_missing_is_blank(site):
    response = site.post("/api/users", {"user": {"username": "", "email": "", "password": ""}})
    assert assert_error(response, 422) == {"username": BLANK, "email": BLANK, "password": BLANK}
    assert assert_error(site.post("/api/users", {"user": {}}), 422) == {
        "username": BLANK, "email": BLANK, "password": BLANK}


def test_the_other_messages_keep_their_words(site, alice, bob):
    assert assert_error(site.get("/api/user"), 401) == {"token": ["is missing"]}
    taken = {"user": {"username": alice["username"], "email": "x" + alice["email"], "password": PASSWORD}}
    assert assert_error(site.post("/api/users", taken), 409) == {"username": ["has already been taken"]}
    assert assert_error(site.get("/api/articles/no-such-article"), 404) == {"article": ["not found"]}
    assert assert_error(site.get("/api/profiles/no-such-user-here"), 404) == {"profile": ["not found"]}
    slug = site.article(alice["token"])["slug"]
    assert assert_error(site.delete(f"/api/articles/{slug}", bob["token"]), 403) == {"article": ["forbidden"]}
    assert assert_error(site.get("/api/articles?limit=x"), 422) == {"limit": ["must be an integer"]}
    assert assert_error(site.get("/api/search?q="), 422) == {"q": BLANK}  # search speaks the same words
    assert assert_error(site.get("/api/media", alice["token"], params={"limit": "x"}), 422) == {
        "limit": ["must be an integer"]}  # and media
    upload = site.call("POST", "/api/media", alice["token"], files={"file": ("a.png", samples.png(), "image/png")})
    media_id = upload.json()["media"]["id"]
    assert assert_error(site.delete(f"/api/media/{media_id}", bob["token"]), 403) == {"media": ["forbidden"]}
    assert assert_error(site.get("/api/media/no-such-media", alice["token"]), 404) == {"media": ["not found"]}


@pytest.mark.parametrize("image", [
    "javascript:alert(1)", "data:text/html,<script>alert(1)</script>", "ftp://files.example/a.png",
    "file:///etc/passwd", "//img.example/a.png", "not a url", "https://", "vbscript:msgbox(1)",
])
def test_image_must_be_an_http_or_https_url(site, alice, image):
    response = site.put("/api/user", {"user": {"image": image}}, alice["token"])
    assert assert_error(response, 422) == {"image": ["must be an http or https URL"]}
    assert site.get("/api/user", alice["token"]).json()["user"]["image"] != image


@pytest.mark.parametrize("image", ["http://img.example/a.png", "HTTPS://IMG.example/a.png?x=1#y",
                                   "https://api.realworld.io/images/smiley-cyrus.jpeg"])
def test_http_and_https_images_are_accepted(site, alice, image):
    assert site.put("/api/user", {"user": {"image": image}}, alice["token"]).json()["user"]["image"] == image


def test_the_schema_states_the_image_rule(site):
    schema = json.loads(site.get("/api/schema", headers={"Accept": "application/json"}).text)
    image = schema["components"]["schemas"]["UpdateUser"]["properties"]["image"]
    url = next(option for option in image["oneOf"] if option.get("format") == "uri")
    assert url["pattern"].startswith("^[Hh][Tt][Tt][Pp][Ss]?://") and image["nullable"] is True


def test_existing_blank_bio_and_image_become_null_through_migrate_tenants(site):
    """The data migration, applied to a tenant database by `migrate_tenants` as an operator would run it."""
    stack, slug = site.stack, site.stack.create_tenant()
    tenant = Site(stack, slug)
    user = tenant.register()
    stack.manage("tenant_command", slug, "migrate", "accounts", "0001_initial")  # the schema before the change
    stack.manage("tenant_command", slug, "shell", "-c", (
        "from accounts.models import User; User.objects.update(bio='', image='')"))  # spike 14: ORM, any engine
    # (no API read here: the code of HEAD expects the columns of later accounts migrations, e.g. is_owner)
    result = stack.manage("migrate_tenants", slug, "--force")
    assert f"{slug} ok" in result.stderr, result.stderr
    check = stack.manage("tenant_command", slug, "shell", "-c", (
        "from accounts.models import User; "
        "print(User.objects.filter(bio__isnull=True, image__isnull=True).count(), User.objects.count())"))
    assert check.stdout.strip().splitlines()[-1].split() == ["1", "1"]  # (shell may print an import note first)
    profile = tenant.get(f"/api/profiles/{user['username']}").json()["profile"]
    assert (profile["bio"], profile["image"]) == (None, None)
    assert "0 to migrate" in stack.manage("migrate_tenants", slug).stderr
