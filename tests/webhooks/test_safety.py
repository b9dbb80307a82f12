"""Where a webhook may go (webhooks/safety.py) and how it gets there (webhooks/transport.py: pinned address)."""
import pytest
from django.conf import settings
from django.test import override_settings

from tests.webhooks.receiver import Receiver
from webhooks import safety, transport
from webhooks.safety import Target, UnsafeUrl
from webhooks.signing import signature, verify

LOOPBACK_FORMS = ["127.0.0.1", "127.1.2.3", "2130706433", "0177.0.0.1", "0x7f.0.0.1", "0x7f000001", "017700000001",
                  "[::1]", "[::ffff:127.0.0.1]", "[0:0:0:0:0:ffff:7f00:1]", "localhost"]
OTHER_INTERNAL = ["169.254.169.254", "10.1.2.3", "172.16.0.1", "192.168.0.1", "100.64.0.1", "0.0.0.0", "[::]",
                  "224.0.0.1", "255.255.255.255", "240.0.0.1", "[fe80::1]", "[fc00::1]", "[64:ff9b::7f00:1]",
                  "[2002:7f00:1::]", "198.18.0.1", "[fec0::1]", "[3fff::1]", "192.88.99.1"]


def allow(*hosts):
    return override_settings(CONDUIT={**settings.CONDUIT, "WEBHOOK_ALLOWED_HOSTS": list(hosts)})


@pytest.mark.parametrize("host", LOOPBACK_FORMS + OTHER_INTERNAL)
def test_internal_addresses_are_refused_in_every_form(host):
    with pytest.raises(UnsafeUrl):
        safety.check(f"https://{host}/hook")


@pytest.mark.parametrize("url", ["http://example.com/", "ftp://example.com/", "https://u:p@example.com/",
                                 "https://exa mple.com/", "https://example.com:99999/", "//example.com/", "",
                                 "https://", "https://example.com\r\nX: y/", "https://93.184.215.14:0/"])
def test_bad_forms_are_refused(url):
    with pytest.raises(UnsafeUrl):
        safety.check(url)


def test_an_unresolvable_name_and_an_internal_one_get_the_same_text():
    """Two texts would tell an owner which internal names the platform's resolver knows."""
    texts = set()
    for url in ["https://no-such-name.invalid/", "https://localhost/"]:
        with pytest.raises(UnsafeUrl) as refused:
            safety.check(url)
        texts.add(str(refused.value))
    assert texts == {safety.NOT_PUBLIC}


def test_public_addresses_pass():
    target = safety.check("https://93.184.215.14/path?q=1")  # a literal public address (no DNS needed)
    assert (target.address, target.port, target.path, target.host_header) == ("93.184.215.14", 443, "/path?q=1",
                                                                             "93.184.215.14")
    assert not safety.forbidden("2606:4700::1111")


def test_allow_list_is_by_host_or_host_and_port_as_written():
    with allow("127.0.0.1:8080"):
        assert safety.check("http://127.0.0.1:8080/x").address == "127.0.0.1"
        for url in ["http://127.0.0.1:8081/x", "http://2130706433:8080/x", "http://localhost:8080/x"]:
            with pytest.raises(UnsafeUrl):
                safety.check(url)
    with allow("localhost"):
        assert safety.check("http://localhost:1234/").address in ("127.0.0.1", "::1")
    with allow("[::1]:9000"):
        assert safety.check("http://[::1]:9000/").address == "::1"


def test_transport_connects_to_the_checked_address_keeping_the_name():
    """DNS rebinding: the connection goes to the address that was checked, whatever the name resolves to later;
    the name travels in the Host header (and SNI for https)."""
    receiver = Receiver().start()
    try:
        target = Target("http", "hooks.example.invalid", receiver.port, "/pinned", "127.0.0.1", True)
        answer = transport.post(target, b"{}", {"Content-Type": "application/json"}, timeout=2, max_bytes=10)
        assert (answer.status, answer.error) == (200, "")
        [got] = receiver.on("/pinned")
        assert got.headers["Host"] == f"hooks.example.invalid:{receiver.port}"
    finally:
        receiver.stop()


def test_transport_errors_are_answers_not_exceptions():
    import socket

    sock = socket.socket()
    sock.bind(("127.0.0.1", 0))
    port = sock.getsockname()[1]
    sock.close()  # nothing listens there
    answer = transport.post(Target("http", "x", port, "/", "127.0.0.1", True), b"{}", {}, timeout=1, max_bytes=10)
    assert answer.status is None and answer.error


def test_signature_roundtrip():
    header = signature("whsec_x", b'{"a":1}', timestamp=1_700_000_000)
    assert header.startswith("t=1700000000,v1=") and len(header.split("v1=")[1]) == 64
    assert verify("whsec_x", b'{"a":1}', header, now=1_700_000_010)
    assert not verify("whsec_x", b'{"a":2}', header, now=1_700_000_010)
    assert not verify("whsec_y", b'{"a":1}', header, now=1_700_000_010)
    assert not verify("whsec_x", b'{"a":1}', header, now=1_700_001_000)  # too old: a replay
    assert not verify("whsec_x", b"{}", "garbage")


def test_https_sends_the_name_as_sni_and_verifies_the_certificate(tmp_path):
    """Pinned to 127.0.0.1, the TLS handshake still names the host (SNI) and checks the certificate: a self-signed
    one is refused, so the pinning never turns verification off."""
    import ssl
    import subprocess
    import threading
    from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

    key, cert = tmp_path / "key.pem", tmp_path / "cert.pem"
    subprocess.run(["openssl", "req", "-x509", "-newkey", "rsa:2048", "-nodes", "-keyout", key, "-out", cert,
                    "-days", "1", "-subj", "/CN=hooks.test", "-addext", "subjectAltName=DNS:hooks.test"],
                   check=True, capture_output=True)
    names = []
    context = ssl.SSLContext(ssl.PROTOCOL_TLS_SERVER)
    context.load_cert_chain(cert, key)
    context.sni_callback = lambda sock, name, ctx: names.append(name)

    class Quiet(ThreadingHTTPServer):
        def handle_error(self, request, client_address):
            pass

    server = Quiet(("127.0.0.1", 0), BaseHTTPRequestHandler)
    server.socket = context.wrap_socket(server.socket, server_side=True, do_handshake_on_connect=False)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    try:
        target = Target("https", "hooks.test", server.server_address[1], "/", "127.0.0.1", True)
        answer = transport.post(target, b"{}", {}, timeout=3, max_bytes=10)
        assert answer.status is None and "CERTIFICATE_VERIFY_FAILED" in answer.error, answer
        assert names and names[0] == "hooks.test"
    finally:
        server.shutdown()
        server.server_close()


class Dripping:
    """A raw TCP receiver that reads the request, then answers with `script` for up to `seconds` (a slow or endless
    answer), and records whether the sender cut the connection before it was done."""

    def __init__(self, script, seconds=30.0):
        import socket
        import threading

        self.script, self.seconds, self.cut = script, seconds, threading.Event()
        self.sock = socket.create_server(("127.0.0.1", 0))
        self.port = self.sock.getsockname()[1]
        self.thread = threading.Thread(target=self._serve, daemon=True)
        self.thread.start()

    def _serve(self):
        import time

        conn, _ = self.sock.accept()
        with conn:
            conn.recv(65536)
            end = time.monotonic() + self.seconds
            try:
                for piece, pause in self.script():
                    if time.monotonic() > end:
                        return
                    conn.sendall(piece)
                    time.sleep(pause)
            except OSError:
                self.cut.set()

    def close(self):
        self.sock.close()


def _slow_headers():
    yield b"HTTP/1.1 200 OK\r\n", 0
    while True:
        yield b"X", 0.2  # one header line that never ends


def _slow_body():
    yield b"HTTP/1.1 200 OK\r\nContent-Length: 100000\r\n\r\n", 0
    while True:
        yield b"x", 0.2


def _endless_continue():
    while True:
        yield b"HTTP/1.1 100 Continue\r\n\r\n", 0.01  # interim answers: http.client skips them silently


@pytest.mark.parametrize("script, status", [(_slow_headers, 200), (_slow_body, 200), (_endless_continue, None)],
                         ids=["slow-headers", "slow-body", "endless-100-continue"])
def test_a_receiver_cannot_hold_the_sender_past_its_timeout(script, status):
    """Each read alone would finish within the socket timeout, so only a total deadline ends these: the sender cuts
    the connection at `timeout` (the receiver would go on for 30 s). An answer whose status line arrived counts by
    it (the receiver answered); one that never got there is a failure naming the deadline."""
    import time

    receiver = Dripping(script)
    try:
        started = time.monotonic()
        answer = transport.post(Target("http", "x", receiver.port, "/", "127.0.0.1", True), b"{}", {}, timeout=1,
                                max_bytes=65536)
        took = time.monotonic() - started
        assert answer.status == status, answer
        assert status is not None or "no answer within 1 s" in answer.error
        assert took < 15, took  # far below the receiver's 30 s: the deadline ended it, not the receiver
        assert receiver.cut.wait(10)  # the receiver's next send failed: the connection is gone
    finally:
        receiver.close()
