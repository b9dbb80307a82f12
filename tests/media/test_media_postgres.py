"""The media API on tenants whose databases are PostgreSQL."""
import pytest

from tests.media import samples
from tests.support.client import Site

pytestmark = pytest.mark.postgres


def test_media_lifecycle_on_postgresql_tenants(media_pg_stack):
    first, second = media_pg_stack.create_tenant(), media_pg_stack.create_tenant()
    ann, eve = Site(media_pg_stack, first).user("ann"), Site(media_pg_stack, second).user("eve")
    ids = [ann.upload(build()).json()["media"]["id"] for build in (samples.jpeg, samples.webm)]
    listed = ann.call("GET", "/api/media").json()
    assert [m["id"] for m in listed["media"]] == ids[::-1] and listed["mediaCount"] == 2
    assert eve.call("GET", f"/api/media/{ids[0]}").status_code == 404
    assert eve.call("GET", "/api/media").json() == {"media": [], "mediaCount": 0}
    assert ann.call("DELETE", f"/api/media/{ids[0]}").status_code == 204
    assert ann.call("GET", "/api/media").json()["mediaCount"] == 1
    media_pg_stack.manage("delete_tenant", first, "--purge", "--yes")
    assert not (media_pg_stack.data_dir / "media" / first).exists()
