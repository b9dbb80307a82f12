"""GET /api/profiles/{username}, POST/DELETE /api/profiles/{username}/follow."""
from tests.support.client import assert_error


def test_profile(site, alice):
    response = site.get(f"/api/profiles/{alice['username']}")
    assert response.status_code == 200
    assert response.json() == {"profile": {"username": alice["username"], "bio": None, "image": None,
                                           "following": False}}
    assert_error(site.get("/api/profiles/nobody-here"), 404, "profile")


def test_follow_and_unfollow(site, alice, bob):
    path = f"/api/profiles/{bob['username']}"
    followed = site.post(f"{path}/follow", token=alice["token"])
    assert followed.status_code == 200 and followed.json()["profile"]["following"] is True
    assert site.post(f"{path}/follow", token=alice["token"]).status_code == 200  # idempotent
    assert site.get(path, alice["token"]).json()["profile"]["following"] is True
    assert site.get(path).json()["profile"]["following"] is False
    assert site.get(path, bob["token"]).json()["profile"]["following"] is False
    unfollowed = site.delete(f"{path}/follow", token=alice["token"])
    assert unfollowed.status_code == 200 and unfollowed.json()["profile"]["following"] is False
    assert site.get(path, alice["token"]).json()["profile"]["following"] is False


def test_follow_errors(site, alice):
    assert_error(site.post(f"/api/profiles/{alice['username']}/follow"), 401, "token")
    assert_error(site.delete(f"/api/profiles/{alice['username']}/follow"), 401, "token")
    assert_error(site.post("/api/profiles/nobody-here/follow", token=alice["token"]), 404, "profile")
    assert_error(site.post(f"/api/profiles/{alice['username']}/follow", token=alice["token"]), 422, "profile")
