"""Attacks with hostile request bodies: JSON nested deep enough to exhaust the parser's recursion."""
import pytest

from tests.support.client import assert_error
from tests.security.operators import OPERATOR_PASSWORD, basic, create_operator

JSON = {"Content-Type": "application/json"}


def nested(key, depth=1000):
    return '{"%s":' % key + "[" * depth + "]" * depth + "}"


def assert_refused_as_json(response):
    assert response.status_code in (400, 422), (response.status_code, response.text[:300])
    assert_error(response, response.status_code)


def test_deeply_nested_json_to_login_without_a_token(site):
    assert_refused_as_json(site.post("/api/users/login", data=nested("user"), headers=JSON))


def test_deeply_nested_json_to_create_an_article(site):
    token = site.register()["token"]
    assert_refused_as_json(site.post("/api/articles", data=nested("article"), token=token, headers=JSON))


def test_deeply_nested_objects_to_update_the_current_user(site):
    token = site.register()["token"]
    body = '{"user":' + '{"a":' * 1000 + "1" + "}" * 1000 + "}"
    assert_refused_as_json(site.put("/api/user", data=body, token=token, headers=JSON))


@pytest.mark.parametrize("engine", ["sqlite", pytest.param("postgres", marks=pytest.mark.postgres)])
def test_deeply_nested_json_to_the_control_api(request, engine):
    stack = request.getfixturevalue("stack" if engine == "sqlite" else "pg_stack")
    name, _ = create_operator(stack)
    response = stack.request("POST", "/api/tenants", data=nested("slug"),
                             headers={**JSON, "Authorization": basic(name, OPERATOR_PASSWORD)})
    assert_refused_as_json(response)


def test_moderately_nested_json_is_still_read(site):
    """The bound sits far above any real body: a RealWorld body 20 levels deep is judged on its fields, not refused."""
    body = '{"user":{"email":' + "[" * 20 + "]" * 20 + ',"password":"x"}}'
    response = site.post("/api/users/login", data=body, headers=JSON)
    assert_error(response, 422, "email")
