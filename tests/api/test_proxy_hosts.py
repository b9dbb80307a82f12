"""X-Forwarded-Host picks the tenant only when CONDUIT_BEHIND_PROXY says a trusted proxy sets it."""
import pytest


@pytest.mark.django_db(transaction=True)
@pytest.mark.parametrize("behind_proxy", [False, True])
def test_forwarded_host_is_trusted_only_behind_the_proxy(client, settings, make_tenant, behind_proxy):
    settings.USE_X_FORWARDED_HOST = behind_proxy
    tenant = make_tenant()
    response = client.get("/api/tags", HTTP_HOST="localhost", HTTP_X_FORWARDED_HOST=f"{tenant.slug}.localhost")
    if behind_proxy:
        assert response.status_code == 200 and response.json() == {"tags": []}
    else:
        assert response.status_code == 404 and "tags" not in response.json()
