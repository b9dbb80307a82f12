"""Read-your-writes across server processes: two gunicorn servers on one data directory (one shared file cache,
one set of databases). A write's 2xx from one is followed at once by a fresh answer from the other, whose cache
was warm with the old one — the staleness bound after a 2xx is zero, not a refresh interval."""
import pytest

from tests.support.client import Site
from tests.support.stack import Stack

pytestmark = pytest.mark.slow


@pytest.fixture(scope="module")
def servers(tmp_path_factory):
    data = tmp_path_factory.mktemp("twoproc")
    writer, reader = Stack(data), Stack(data)
    try:
        writer.start(workers=1)
        reader.start(workers=1)
        yield writer, reader
    finally:
        writer.stop()
        reader.stop()


def test_a_write_then_an_immediate_read_on_another_process_is_fresh(servers):
    writer_stack, reader_stack = servers
    slug = writer_stack.create_tenant()
    writer = Site(writer_stack, slug).user()
    reader = Site(reader_stack, slug, token=False)
    for round_ in range(15):
        listed = reader.get("/api/articles?limit=5")
        again = reader.get("/api/articles?limit=5")
        assert again.headers["X-Conduit-Cache"] == "hit" and again.json() == listed.json()
        article = writer.article(writer.token, title=f"Round {round_}", tags=[f"r{round_}"])  # asserts the 201
        fresh = reader.get("/api/articles?limit=5")
        assert fresh.json()["articles"][0]["slug"] == article["slug"], round_
        assert fresh.json()["articlesCount"] == round_ + 1
        assert f"r{round_}" in reader.get("/api/tags").json()["tags"]
        etag = reader.get(f"/api/articles/{article['slug']}").headers["ETag"]
        updated = writer.put(f"/api/articles/{article['slug']}", {"article": {"body": f"edited {round_}"}})
        assert updated.status_code == 200
        seen = reader.get(f"/api/articles/{article['slug']}", headers={"If-None-Match": etag})
        assert seen.status_code == 200 and seen.json()["article"]["body"] == f"edited {round_}"
