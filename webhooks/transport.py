"""One HTTP POST to a checked Target: connect to the resolved address that was checked, keep the name for TLS (SNI
and certificate) and the Host header, follow no redirect, read at most a bounded prefix of the answer."""
import time
from dataclasses import dataclass

import urllib3

from webhooks.safety import Target


@dataclass
class Answer:
    status: int | None
    error: str
    latency_ms: float


def post(target: Target, body: bytes, headers: dict, *, timeout: float, max_bytes: int) -> Answer:
    """POST `body`; never raises for network trouble (the Answer carries the error)."""
    started = time.perf_counter()
    deadline = started + timeout
    headers = {**headers, "Host": target.host_header, "Content-Length": str(len(body)), "Connection": "close"}
    kwargs = {"timeout": urllib3.Timeout(connect=timeout, read=timeout), "retries": False, "maxsize": 1, "block": False}
    if target.scheme == "https":
        pool = urllib3.HTTPSConnectionPool(target.address, target.port, server_hostname=target.host,
                                           assert_hostname=target.host, cert_reqs="CERT_REQUIRED", **kwargs)
    else:
        pool = urllib3.HTTPConnectionPool(target.address, target.port, **kwargs)
    try:
        response = pool.urlopen("POST", target.path, body=body, headers=headers, redirect=False, retries=False,
                                preload_content=False, assert_same_host=False, release_conn=False)
        try:
            read = 0
            while read < max_bytes and time.perf_counter() < deadline:  # bounded size, bounded time
                chunk = response.read(min(16384, max_bytes - read), decode_content=False)
                if not chunk:
                    break
                read += len(chunk)
        finally:
            response.close()
        return Answer(response.status, "", (time.perf_counter() - started) * 1000)
    except urllib3.exceptions.HTTPError as exc:
        return Answer(None, f"{type(exc).__name__}: {_reason(exc)}"[:1000], (time.perf_counter() - started) * 1000)
    except OSError as exc:
        return Answer(None, f"{type(exc).__name__}: {exc}"[:1000], (time.perf_counter() - started) * 1000)
    finally:
        pool.close()


def _reason(exc) -> str:
    reason = getattr(exc, "reason", None)
    return str(reason or exc)
