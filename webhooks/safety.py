"""Where a webhook may go: https only (http only to allow-listed hosts), never to a loopback, link-local, private,
unspecified, multicast or reserved address unless the operator allow-listed the host
(CONDUIT_WEBHOOK_ALLOWED_HOSTS: "host" or "host:port", comma-separated).

The check runs on the addresses the name resolves to, at registration and again at every delivery, and the sender
connects to the very address it checked (webhooks/transport.py), so a DNS answer that changes between the check and
the connection (DNS rebinding) cannot move a delivery inside. Numeric host forms (decimal `2130706433`, octal
`0177.0.0.1`, hex `0x7f.1`, `[::1]`, `[::ffff:127.0.0.1]`) resolve to the address they mean and are judged by it.
"""
import ipaddress
import socket
from dataclasses import dataclass
from urllib.parse import urlsplit

from conduit.conf import conduit_settings

DEFAULT_PORTS = {"https": 443, "http": 80}
NAT64 = ipaddress.ip_network("64:ff9b::/96")
# Not public, whatever this Python's ipaddress tables say (they change between patch releases): IPv6 site-local
# (deprecated by RFC 3879, still routable where a network uses it), the IPv6 documentation range of RFC 9637, and the
# retired 6to4 relay anycast of RFC 7526.
ALSO_FORBIDDEN = tuple(ipaddress.ip_network(n) for n in ("fec0::/10", "3fff::/20", "192.88.99.0/24"))


# One text whether the host does not resolve or resolves inside: two texts would let an owner probe which internal
# names the platform's resolver knows.
NOT_PUBLIC = "must resolve to public addresses only (not loopback, private, link-local or reserved)"


class UnsafeUrl(ValueError):
    """A webhook URL the platform refuses to call; the message says why (shown to the owner)."""


@dataclass(frozen=True)
class Target:
    """A checked destination: connect to `address`, speak to `host` (TLS SNI and the Host header)."""

    scheme: str
    host: str  # as in the URL, lowercased, IDNA-encoded, without brackets
    port: int
    path: str  # path and query, what the request line carries
    address: str  # the resolved IP the sender connects to
    allow_listed: bool

    @property
    def host_header(self) -> str:
        host = f"[{self.host}]" if ":" in self.host else self.host
        return host if self.port == DEFAULT_PORTS[self.scheme] else f"{host}:{self.port}"


@dataclass(frozen=True)
class Parsed:
    scheme: str
    host: str
    port: int
    path: str
    allow_listed: bool


def allowed_hosts() -> set[str]:
    return {h.strip().lower() for h in conduit_settings.WEBHOOK_ALLOWED_HOSTS if h.strip()}


def parse(url: str) -> Parsed:
    """The URL's parts, if its form is acceptable (scheme, no credentials, a host, a valid port)."""
    if not isinstance(url, str) or len(url) > 2000 or any(c in url for c in "\x00\r\n\t "):
        raise UnsafeUrl("must be an https URL")
    try:
        parts = urlsplit(url.strip())
        port = parts.port
    except ValueError:
        raise UnsafeUrl("must be an https URL") from None
    if port == 0:  # not "no port": `port or default` below would quietly send it to 443
        raise UnsafeUrl("must name a valid port (1-65535)")
    scheme = parts.scheme.lower()
    if scheme not in DEFAULT_PORTS:
        raise UnsafeUrl("must be an https URL")
    if parts.username is not None or parts.password is not None:
        raise UnsafeUrl("must not contain credentials")
    host = (parts.hostname or "").rstrip(".")
    if not host:
        raise UnsafeUrl("must name a host")
    try:
        host = host.encode("idna").decode("ascii").lower() if not _is_ip_literal(host) else host.lower()
    except UnicodeError:
        raise UnsafeUrl("must name a valid host") from None
    port = port or DEFAULT_PORTS[scheme]
    allow = allowed_hosts()
    display = f"[{host}]" if ":" in host else host
    allow_listed = display in allow or f"{display}:{port}" in allow
    if scheme == "http" and not allow_listed:
        raise UnsafeUrl("must be an https URL (http only to hosts the operator allow-listed)")
    path = parts.path or "/"
    if parts.query:
        path = f"{path}?{parts.query}"
    return Parsed(scheme, host, port, path, allow_listed)


def _is_ip_literal(host: str) -> bool:
    try:
        ipaddress.ip_address(host)
        return True
    except ValueError:
        return False


def forbidden(address: str) -> bool:
    """True for any address that is not plainly public (loopback, private, link-local, multicast, reserved, …)."""
    ip = ipaddress.ip_address(address.split("%", 1)[0])
    if isinstance(ip, ipaddress.IPv6Address):
        embedded = ip.ipv4_mapped or (ip.sixtofour if ip.sixtofour else None)
        if embedded is None and ip in NAT64:
            embedded = ipaddress.IPv4Address(int(ip) & 0xFFFFFFFF)
        if embedded is None and ip.teredo:
            embedded = ip.teredo[1]
        if embedded is not None and forbidden(str(embedded)):
            return True
    also = any(ip in net for net in ALSO_FORBIDDEN if net.version == ip.version)
    return (not ip.is_global or ip.is_multicast or ip.is_loopback or ip.is_link_local or ip.is_private
            or ip.is_unspecified or ip.is_reserved or also)


def resolve(host: str, port: int) -> list[str]:
    """Every address `host` resolves to (the system resolver: the same one a connection would use)."""
    try:
        infos = socket.getaddrinfo(host, port, type=socket.SOCK_STREAM)
    except (socket.gaierror, UnicodeError, OSError):
        raise UnsafeUrl(NOT_PUBLIC) from None
    return list(dict.fromkeys(info[4][0] for info in infos))


def check(url: str) -> Target:
    """The destination to connect to, or UnsafeUrl. Every resolved address must pass (one bad answer refuses all)."""
    parsed = parse(url)
    addresses = resolve(parsed.host, parsed.port)
    if not addresses:
        raise UnsafeUrl(NOT_PUBLIC)
    if not parsed.allow_listed and any(forbidden(a) for a in addresses):
        raise UnsafeUrl(NOT_PUBLIC)
    return Target(parsed.scheme, parsed.host, parsed.port, parsed.path, addresses[0], parsed.allow_listed)
