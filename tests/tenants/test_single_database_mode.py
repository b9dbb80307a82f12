"""CONDUIT_ROUTING_ENABLED=false: one site served from the control database (the benchmark baseline)."""
import pytest

from tests.support.stack import Stack


@pytest.fixture(scope="module")
def single(tmp_path_factory):
    stack = Stack(tmp_path_factory.mktemp("single"), CONDUIT_ROUTING_ENABLED="false")
    yield stack.start()
    stack.stop()


def test_reads_and_writes_work_without_routing(single):
    r = single.request("POST", "/api/users", host="anything.localhost",
                       json={"user": {"username": "solo", "email": "solo@x.io", "password": "long-password-1"}})
    assert r.status_code == 201, r.text
    token = r.json()["user"]["token"]
    r = single.request("POST", "/api/articles", headers={"Authorization": f"Token {token}"},
                       json={"article": {"title": "Solo", "description": "d", "body": "b", "tagList": ["one"]}})
    assert r.status_code == 201, r.text
    assert single.request("GET", "/api/articles").json()["articlesCount"] == 1
    assert single.request("GET", "/api/tags").json() == {"tags": ["one"]}
