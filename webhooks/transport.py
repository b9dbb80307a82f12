"""One HTTP POST to a checked Target: connect to the resolved address that was checked, keep the name for TLS (SNI
and certificate) and the Host header, follow no redirect, read at most a bounded prefix of the answer, and be done
within `timeout` whatever the receiver does.

The total bound is a watchdog, not the socket timeout: a socket timeout bounds each read, so a receiver that drips a
byte of its headers or body every few seconds, or streams `100 Continue` interim answers (http.client skips them),
would hold a sender thread for as long as it liked. At the deadline the watchdog shuts the connection's socket down
and the blocked read returns."""
import contextlib
import http.client
import socket
import threading
import time
from dataclasses import dataclass

import urllib3
from urllib3.connection import HTTPConnection, HTTPSConnection

from webhooks.safety import Target


@dataclass
class Answer:
    status: int | None
    error: str
    latency_ms: float


class Deadline:
    """Cuts the sockets of the connections it tracks once `seconds` have passed (and any tracked after that)."""

    def __init__(self, seconds: float):
        self.expired = False
        self._connections = []
        self._lock = threading.Lock()
        self._timer = threading.Timer(max(seconds, 0.0), self._expire)
        self._timer.daemon = True
        self._timer.start()

    def track(self, connection) -> None:
        with self._lock:
            self._connections.append(connection)
            if self.expired:
                _cut(connection)

    def cancel(self) -> None:
        self._timer.cancel()

    def _expire(self) -> None:
        with self._lock:
            self.expired = True
            for connection in self._connections:
                _cut(connection)


def _cut(connection) -> None:
    sock = getattr(connection, "sock", None)
    if sock is not None:
        with contextlib.suppress(OSError):
            # socket.socket's own shutdown, also for an SSLSocket (whose override would drop its TLS state under a
            # read in progress): the fd is shut, the blocked recv returns, the reader sees the connection end.
            socket.socket.shutdown(sock, socket.SHUT_RDWR)


class _Watched:
    def __init__(self, *args, deadline: Deadline, **kwargs):
        super().__init__(*args, **kwargs)
        self._deadline = deadline

    def connect(self):
        super().connect()
        self._deadline.track(self)


class WatchedHTTPConnection(_Watched, HTTPConnection):
    pass


class WatchedHTTPSConnection(_Watched, HTTPSConnection):
    pass


def post(target: Target, body: bytes, headers: dict, *, timeout: float, max_bytes: int) -> Answer:
    """POST `body` and read a bounded prefix of the answer, all within `timeout` seconds; never raises for network
    trouble (the Answer carries the error). An answer whose status line arrived counts by its status, even when its
    body is cut short."""
    started = time.perf_counter()
    deadline = Deadline(timeout)
    headers = {**headers, "Host": target.host_header, "Content-Length": str(len(body)), "Connection": "close"}
    kwargs = {"timeout": urllib3.Timeout(connect=timeout, read=timeout), "retries": False, "maxsize": 1, "block": False,
              "deadline": deadline}  # handed to the connection class
    if target.scheme == "https":
        pool = urllib3.HTTPSConnectionPool(target.address, target.port, server_hostname=target.host,
                                           assert_hostname=target.host, cert_reqs="CERT_REQUIRED", **kwargs)
        pool.ConnectionCls = WatchedHTTPSConnection
    else:
        pool = urllib3.HTTPConnectionPool(target.address, target.port, **kwargs)
        pool.ConnectionCls = WatchedHTTPConnection
    try:
        response = pool.urlopen("POST", target.path, body=body, headers=headers, redirect=False, retries=False,
                                preload_content=False, assert_same_host=False, release_conn=False)
        try:
            read = 0
            while read < max_bytes and not deadline.expired:  # bounded size, bounded time
                chunk = response.read1(min(16384, max_bytes - read), decode_content=False)
                if not chunk:
                    break
                read += len(chunk)
        except (urllib3.exceptions.HTTPError, http.client.HTTPException, OSError):
            pass  # the status line arrived: the receiver answered; the rest of its body is not needed
        finally:
            response.close()
        return Answer(response.status, "", _ms(started))
    except (urllib3.exceptions.HTTPError, http.client.HTTPException, OSError) as exc:
        reason = f"{type(exc).__name__}: {_reason(exc)}"
        if deadline.expired:
            reason = f"no answer within {timeout:g} s ({reason})"
        return Answer(None, reason[:1000], _ms(started))
    finally:
        deadline.cancel()
        pool.close()


def _ms(started: float) -> float:
    return (time.perf_counter() - started) * 1000


def _reason(exc) -> str:
    reason = getattr(exc, "reason", None)
    return str(reason or exc)
