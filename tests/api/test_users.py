"""POST /api/users, POST /api/users/login, GET/PUT /api/user."""
from tests.support.client import PASSWORD, assert_error, name


def test_register_returns_user_with_token(site):
    username = name()
    response = site.post("/api/users", {"user": {"username": username, "email": f"{username}@x.io",
                                                 "password": PASSWORD}})
    assert response.status_code == 201
    user = response.json()["user"]
    assert set(user) == {"email", "token", "username", "bio", "image"}
    assert (user["username"], user["email"], user["image"]) == (username, f"{username}@x.io", None)
    assert user["token"].count(".") == 2


def test_duplicate_username_or_email_is_409(site, alice):
    errors = assert_error(site.post("/api/users", {"user": {"username": alice["username"], "email": "new@x.io",
                                                            "password": PASSWORD}}), 409, "username")
    assert errors == {"username": ["has already been taken"]}
    errors = assert_error(site.post("/api/users", {"user": {"username": name(), "email": alice["email"].upper(),
                                                            "password": PASSWORD}}), 409, "email")
    assert errors == {"email": ["has already been taken"]}


def test_register_validation_is_422(site):
    assert_error(site.post("/api/users", {"user": {"username": name(), "password": PASSWORD}}), 422, "email")
    assert_error(site.post("/api/users", {"user": {"username": name(), "email": "not-an-email",
                                                   "password": PASSWORD}}), 422, "email")
    assert_error(site.post("/api/users", {"user": {"username": name(), "email": "a@b.io", "password": "short"}}),
                 422, "password")
    assert_error(site.post("/api/users", {"user": {"username": "bad name!", "email": "a@b.io",
                                                   "password": PASSWORD}}), 422, "username")
    assert_error(site.post("/api/users", {"username": "x"}), 422, "user")


def test_login(site, alice):
    response = site.post("/api/users/login", {"user": {"email": alice["email"], "password": PASSWORD}})
    assert response.status_code == 200
    assert response.json()["user"]["username"] == alice["username"]
    assert_error(site.post("/api/users/login", {"user": {"email": alice["email"], "password": "wrong-pass"}}), 401)
    assert_error(site.post("/api/users/login", {"user": {"email": "nobody@x.io", "password": PASSWORD}}), 401)
    assert_error(site.post("/api/users/login", {"user": {"email": alice["email"]}}), 422, "password")


def test_current_user_accepts_token_and_bearer(site, alice):
    for scheme in ("Token", "Bearer"):
        response = site.get("/api/user", alice["token"], scheme=scheme)
        assert response.status_code == 200
        assert response.json()["user"]["email"] == alice["email"]


def test_current_user_needs_a_valid_token(site, alice):
    response = site.get("/api/user")
    assert assert_error(response, 401) == {"token": ["is missing"]}
    assert response.headers["WWW-Authenticate"].startswith("Token")
    assert_error(site.get("/api/user", "not.a.jwt"), 401, "token")
    tampered = alice["token"][:-4] + ("AAAA" if not alice["token"].endswith("AAAA") else "BBBB")
    assert_error(site.get("/api/user", tampered), 401, "token")


def test_update_user(site, alice, bob):
    token = alice["token"]
    response = site.put("/api/user", {"user": {"bio": "I write", "image": "https://img.example/a.png"}}, token)
    assert response.status_code == 200
    updated = response.json()["user"]
    assert (updated["bio"], updated["image"]) == ("I write", "https://img.example/a.png")
    assert site.put("/api/user", {"user": {"bio": None, "image": None}}, token).json()["user"]["image"] is None
    assert_error(site.put("/api/user", {"user": {"username": bob["username"]}}, token), 409, "username")
    assert_error(site.put("/api/user", {"user": {"email": bob["email"]}}, token), 409, "email")
    assert_error(site.put("/api/user", {"user": {"image": "not a url"}}, token), 422, "image")
    assert_error(site.put("/api/user", {"user": {"bio": "x"}}), 401)
    new_name = name()
    renamed = site.put("/api/user", {"user": {"username": new_name, "password": "another-pass-1"}}, token)
    assert renamed.status_code == 200
    login = site.post("/api/users/login", {"user": {"email": alice["email"], "password": "another-pass-1"}})
    assert login.json()["user"]["username"] == new_name


def test_login_is_throttled_per_tenant_and_client(stack):
    throttled, other = stack.create_tenant(), stack.create_tenant()
    body = {"user": {"email": "ghost@x.io", "password": "whatever-1"}}
    responses = [  # a spoofed X-Forwarded-For does not give a fresh bucket
        stack.tenant(throttled, "POST", "/api/users/login", json=body, headers={"X-Forwarded-For": f"10.0.0.{i}"})
        for i in range(45)
    ]
    assert {r.status_code for r in responses} == {401, 429}  # 20/min per worker process (locmem) or per site (Redis)
    assert_error(next(r for r in responses if r.status_code == 429), 429)
    assert stack.tenant(other, "POST", "/api/users/login", json=body).status_code == 401  # its own bucket
