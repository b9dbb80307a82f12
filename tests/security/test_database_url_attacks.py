"""Attacks through a staff user's `database_url` (issue 10, items 6-8): secrets in answers and the audit, 500s on odd
schemes, and the control API as a port scanner, a file oracle and a write primitive."""
import logging
import socket
import threading
import time
import uuid
from pathlib import Path

import pytest
from django.test import Client

from accounts.models import User
from tenants.models import AuditLog, Tenant, TenantMove
from tests.support.stack import unique
from tests.support.stack import PG_SERVER

SECRET = "s3cr%40t"  # "s3cr@t", URL-encoded


@pytest.fixture
def api(db):
    staff = User.objects.create_user(username="op", email="op@conduit.io", password="s3cret-pass", is_staff=True,
                                     is_superuser=True)
    client = Client(HTTP_HOST="localhost", REMOTE_ADDR="10.1.2.3")
    client.force_login(staff)
    return client


def create(api, slug, url):
    return api.post("/api/tenants", {"slug": slug, "database_url": url}, content_type="application/json")


def move(api, slug, url):
    return api.post(f"/api/tenants/{slug}/move", {"database_url": url}, content_type="application/json")


@pytest.fixture(params=["sqlite", "postgres"])
def source(request, make_tenant, pg_tenant_url):
    """A tenant to move, on either engine."""
    return make_tenant(**({"database_url": pg_tenant_url} if request.param == "postgres" else {}))


def test_url_encoded_password_is_not_echoed_or_audited(api, pg_prefix):
    slug = unique("pw")
    host = PG_SERVER.split("@", 1)[1]
    r = create(api, slug, f"postgres://postgres:{SECRET}@{host}/{pg_prefix}_pw_{{slug}}")  # trust auth: any password
    assert r.status_code == 201, r.content
    shown = [r.content, api.get(f"/api/tenants/{slug}").content, api.get("/api/tenants").content,
             api.get(f"/api/tenants/audit?target={slug}").content,
             str(list(AuditLog.objects.filter(target=slug).values_list("detail", flat=True))).encode()]
    for text in shown:
        assert b"s3cr" not in text and b":***@" in text, text


def test_url_encoded_password_is_not_shown_in_errors(api):
    r = create(api, unique("pw"), f"postgres://postgres:{SECRET}@127.0.0.1:1/x_{{slug}}")
    assert r.status_code == 422 and b"s3cr" not in r.content, r.content


UNSUPPORTED = ["http://example.com/db", "file:///etc/passwd", "ftp://example.com/x", "gopher://127.0.0.1:5432/x",
               "no-scheme-at-all", "http://[broken"]


def assert_names_supported_schemes(response):
    assert response.status_code == 422, response.content
    message = response.json()["errors"]["database_url"][0]
    assert "sqlite" in message and "postgres" in message, message


@pytest.mark.parametrize("url", UNSUPPORTED)
def test_unsupported_scheme_on_create_is_422_naming_the_supported_ones(api, url):
    assert_names_supported_schemes(create(api, unique(), url))
    assert not Tenant.objects.exists()


@pytest.mark.parametrize("url", UNSUPPORTED)
def test_unsupported_scheme_on_move_is_422_naming_the_supported_ones(api, source, url):
    assert_names_supported_schemes(move(api, source.slug, url))
    assert not TenantMove.objects.exists()


def outside_dir():
    return Path("/tmp") / f"conduit-attack-{uuid.uuid4().hex[:8]}"


def test_sqlite_target_outside_the_data_dir_does_not_say_whether_a_file_exists(api):
    answers = []
    for path in ("/etc/passwd", f"/etc/no-such-file-{uuid.uuid4().hex[:6]}"):
        r = create(api, unique(), f"sqlite:///{path}")
        assert r.status_code == 422, r.content
        answers.append(r.json()["errors"]["database_url"][0].replace(path, "<path>"))
    assert answers[0] == answers[1] and "exists" not in answers[0], answers


@pytest.mark.parametrize("trick", ["absolute", "dot-dot"])
def test_create_cannot_write_a_sqlite_file_outside_the_data_dir(api, settings, trick):
    target = outside_dir() / "t.sqlite3"
    url = (f"sqlite:///{target}" if trick == "absolute"
           else f"sqlite:///{settings.DATA_DIR}/tenants/../../../..{target}")
    r = create(api, unique(), url)
    assert r.status_code == 422 and "CONDUIT_DATABASE_DIRS" in r.json()["errors"]["database_url"][0], r.content
    assert not target.parent.exists()


def test_move_cannot_write_a_sqlite_file_outside_the_data_dir(api, source):
    target = outside_dir() / "t.sqlite3"
    r = move(api, source.slug, f"sqlite:///{target}")
    assert r.status_code == 422 and "CONDUIT_DATABASE_DIRS" in r.json()["errors"]["database_url"][0], r.content
    assert not TenantMove.objects.exists() and not target.parent.exists()


HOSTS = {
    "other-host": "postgres://postgres@10.255.255.1:5432/x_{slug}",
    "query-string-host": "postgres://postgres@127.0.0.1:5432/x_{slug}?host=10.255.255.1",
    "second-host": "postgres://postgres@127.0.0.1,10.255.255.1/x_{slug}",
    "query-string-passfile": "postgres://postgres@127.0.0.1:5432/x_{slug}?passfile=/etc/shadow",
}


@pytest.mark.parametrize("name", HOSTS)
def test_network_target_outside_the_allowed_hosts_is_refused_without_connecting(api, name):
    started = time.monotonic()
    r = create(api, unique(), HOSTS[name])
    assert r.status_code == 422, r.content
    message = r.json()["errors"]["database_url"][0]
    assert "CONDUIT_DATABASE_HOSTS" in message or "not allowed" in message, message
    assert time.monotonic() - started < 2  # refused up front: no connection attempt, no timeout to measure


@pytest.mark.parametrize("name", HOSTS)
def test_move_to_a_network_target_outside_the_allowed_hosts_is_refused(api, source, name):
    r = move(api, source.slug, HOSTS[name].replace("{slug}", source.slug))
    assert r.status_code == 422 and "not allowed" in r.json()["errors"]["database_url"][0], r.content
    assert not TenantMove.objects.exists()


class Listener:
    """A local TCP port that answers like something other than PostgreSQL: `http` replies and closes, `silent` never
    replies (a timeout), `closed` nothing listens."""

    def __init__(self, behaviour):
        self.sock = socket.socket()
        self.sock.bind(("127.0.0.1", 0))
        self.port = self.sock.getsockname()[1]
        if behaviour == "closed":
            self.sock.close()
            return
        self.sock.listen(8)
        self.behaviour, self.held = behaviour, []
        threading.Thread(target=self.serve, daemon=True).start()

    def serve(self):
        while True:
            try:
                conn, _ = self.sock.accept()
            except OSError:
                return
            if self.behaviour == "http":
                conn.recv(1024)
                conn.sendall(b"HTTP/1.1 400 Bad Request\r\nContent-Length: 0\r\n\r\n")
                conn.close()
            else:
                self.held.append(conn)


def test_unreachable_targets_share_one_generic_error(api, caplog):
    answers = {}
    with caplog.at_level(logging.WARNING, logger="tenants.provisioning"):
        for behaviour in ("closed", "http", "silent"):
            listener = Listener(behaviour)
            url = f"postgres://postgres@127.0.0.1:{listener.port}/conduit_probe"
            r = create(api, unique(), url)
            assert r.status_code == 422, r.content
            answers[behaviour] = r.json()["errors"]["database_url"][0].replace(str(listener.port), "<port>")
    assert len(set(answers.values())) == 1, answers
    detail = " ".join(record.getMessage() for record in caplog.records)
    assert "refused" in detail.lower() and "timeout" in detail.lower(), detail  # the why is in the server log only


def test_default_allowed_places_are_those_the_operator_configured():
    from conduit.settings import _database_defaults

    dirs, hosts = _database_defaults("postgres://u:p@control.db.internal:5432/conduit",
                                     "postgres://u@tenants.db.internal,replica.db.internal/conduit_{slug}")
    assert hosts == ["control.db.internal", "tenants.db.internal", "replica.db.internal"]
    dirs, hosts = _database_defaults(None, "sqlite:////srv/conduit/tenant-dbs/{slug}.sqlite3")
    assert "/srv/conduit/tenant-dbs" in dirs and hosts == []
