"""One tenant's API in process, through Django's test client (real middleware, router and views): users with tokens,
articles. Tests that need no server use it (tests/content, tests/webhooks); over HTTP, tests/support/client.Site."""
import json

from accounts.models import User
from conduit.auth import token_for
from tenants.context import tenant_context


class Api:
    def __init__(self, client, tenant):
        self.client, self.tenant, self.info = client, tenant, tenant.info()

    def call(self, method, path, body=None, token=None):
        headers = {"HTTP_HOST": f"{self.info.slug}.localhost"}
        if token:
            headers["HTTP_AUTHORIZATION"] = f"Token {token}"
        kwargs = {"data": json.dumps(body), "content_type": "application/json"} if body is not None else {}
        return getattr(self.client, method.lower())(path, **kwargs, **headers)

    def user(self, username, *, owner=False):
        with tenant_context(self.info):
            user = User.objects.create_user(username=username, email=f"{username}@example.com", password="pw-123456",
                                            is_owner=owner)
            user.token = token_for(user)
        return user

    def article(self, token, **fields):
        body = {"title": fields.pop("title", "A title"), "description": "d", "body": "b", **fields}
        response = self.call("POST", "/api/articles", {"article": body}, token)
        assert response.status_code == 201, response.content
        return response.json()["article"]
