"""A real local HTTP receiver for webhook tests and the bench: a ThreadingHTTPServer in a thread that verifies the
`Conduit-Signature` of every request, answers failures on demand, and records when each request arrived."""
import hashlib
import hmac
import json
import threading
import time
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer


@dataclass
class Received:
    path: str
    headers: dict
    body: bytes
    at: float  # time.time() when the request was read
    signature_ok: bool | None  # None: no secret known for the path

    @property
    def json(self):
        return json.loads(self.body)


@dataclass
class Behaviour:
    fail: int = 0  # answer the next `fail` requests with `status`
    status: int = 500
    always: int | None = None  # answer every request with this status
    delay: float = 0.0  # seconds before answering


@dataclass
class Receiver:
    server: ThreadingHTTPServer = None
    secrets: dict = field(default_factory=dict)  # path -> secret
    behaviour: dict = field(default_factory=dict)  # path -> Behaviour
    received: list = field(default_factory=list)
    lock: threading.Lock = field(default_factory=threading.Lock)

    @property
    def port(self) -> int:
        return self.server.server_address[1]

    def url(self, path="/hook") -> str:
        return f"http://127.0.0.1:{self.port}{path}"

    def start(self) -> "Receiver":
        receiver = self

        class Handler(BaseHTTPRequestHandler):
            protocol_version = "HTTP/1.1"

            def log_message(self, *args):
                pass

            def do_POST(self):  # noqa: N802
                body = self.rfile.read(int(self.headers.get("Content-Length") or 0))
                at = time.time()
                path = self.path
                secret = receiver.secrets.get(path)
                ok = verify(secret, body, self.headers.get("Conduit-Signature", "")) if secret else None
                with receiver.lock:
                    receiver.received.append(Received(path, dict(self.headers), body, at, ok))
                    b = receiver.behaviour.get(path) or Behaviour()
                    status = b.always or 200
                    if b.fail > 0:
                        b.fail -= 1
                        status = b.status
                if b.delay:
                    time.sleep(b.delay)
                reply = b"ok" if status < 300 else b"nope"
                self.send_response(status)
                self.send_header("Content-Length", str(len(reply)))
                if 300 <= status < 400:
                    self.send_header("Location", "http://169.254.169.254/latest/meta-data/")
                self.end_headers()
                self.wfile.write(reply)

        class Server(ThreadingHTTPServer):
            def handle_error(self, request, client_address):
                pass  # a sender that gave up waiting (a timeout test) closed the connection: not the receiver's fault

        self.server = Server(("127.0.0.1", 0), Handler)
        self.server.daemon_threads = True
        threading.Thread(target=self.server.serve_forever, name="webhook-receiver", daemon=True).start()
        return self

    def stop(self):
        self.server.shutdown()
        self.server.server_close()

    def on(self, path) -> list:
        with self.lock:
            return [r for r in self.received if r.path == path]

    def wait_for(self, path, count=1, timeout=10.0) -> list:
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            got = self.on(path)
            if len(got) >= count:
                return got
            time.sleep(0.01)
        raise AssertionError(f"{path}: {len(self.on(path))} requests, expected {count}")


def verify(secret: str, body: bytes, header: str, tolerance: float = 300) -> bool:
    """The receiver's check, as docs/publishing.md tells receivers to write it."""
    try:
        parts = dict(item.split("=", 1) for item in header.split(","))
        t = int(parts["t"])
    except (KeyError, ValueError):
        return False
    expected = hmac.new(secret.encode(), f"{t}.".encode() + body, hashlib.sha256).hexdigest()
    return abs(time.time() - t) <= tolerance and hmac.compare_digest(expected, parts.get("v1", ""))
