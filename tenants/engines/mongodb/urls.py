"""MongoDB tenant database URLs: `mongodb://user:pass@h1,h2/conduit_{slug}?replicaSet=rs` or `mongodb+srv://` (Atlas).

The URL goes whole to `MongoClient` (credentials and options included); its path names the tenant's database. Tenants
whose URLs differ only in that path share one client (`server_key`), as a cluster's databases share its sockets."""
from urllib.parse import urlsplit, urlunsplit

from pymongo.errors import ConfigurationError, InvalidURI
from pymongo.uri_parser_shared import _validate_uri  # parse_uri resolves mongodb+srv in DNS; validation must not

# Options a tenant URL may carry. Never file paths the server would read (tlsCAFile, tlsCertificateKeyFile, ...),
# never switches that turn certificate checks off (tlsInsecure, tlsAllowInvalid*), never a proxy.
OPTIONS = frozenset(name.lower() for name in (
    "appName", "authMechanism", "authSource", "compressors", "connectTimeoutMS", "directConnection", "journal",
    "loadBalanced", "maxPoolSize", "minPoolSize", "maxIdleTimeMS", "readConcernLevel", "readPreference",
    "replicaSet", "retryReads", "retryWrites", "serverSelectionTimeoutMS", "socketTimeoutMS", "srvMaxHosts",
    "ssl", "tls", "w", "wTimeoutMS",
))
AUTH_MECHANISMS = {"SCRAM-SHA-1", "SCRAM-SHA-256"}  # not MONGODB-X509/AWS/OIDC: those read files or the environment


MAX_NAME_BYTES = 63  # MongoDB's limit on a database name
BAD_NAME_CHARS = set('/\\. "$*<>:|?') | {"\x00"}


class MongoURLError(ValueError):
    """The URL is not a usable MongoDB tenant database URL; the message says why (and never holds a password)."""


def parse(url) -> dict:
    """Validate without touching the network: hosts, database name, options against the allow-list."""
    try:
        parsed = _validate_uri(str(url))
    except (InvalidURI, ConfigurationError, ValueError) as exc:
        raise MongoURLError(f"invalid MongoDB URL: {exc}") from None
    if not parsed["database"]:
        raise MongoURLError("a MongoDB tenant URL names its database in the path: mongodb://host/conduit_{slug}")
    if parsed["collection"]:
        raise MongoURLError("a MongoDB database name cannot contain '.'")
    name = parsed["database"]
    if len(name.encode()) > MAX_NAME_BYTES or BAD_NAME_CHARS.intersection(name):
        raise MongoURLError(f"MongoDB database name {name!r} must be at most {MAX_NAME_BYTES} bytes without any of "
                            f"{' '.join(sorted(BAD_NAME_CHARS - {chr(0), ' '}))}, a space or NUL")
    refused = sorted(name for name in parsed["options"] if name.lower() not in OPTIONS)
    if refused:
        raise MongoURLError(f"MongoDB URL option {refused[0]!r} is not allowed for tenant databases")
    mechanism = parsed["options"].get("authMechanism")
    if mechanism and mechanism not in AUTH_MECHANISMS:
        raise MongoURLError(f"MongoDB authMechanism {mechanism!r} is not allowed for tenant databases "
                            f"(allowed: {', '.join(sorted(AUTH_MECHANISMS))})")
    return parsed


def database_name(url) -> str:
    return parse(url)["database"]


def hosts(url) -> list[tuple[str, str]]:
    """(host, "host:port") of each seed host, in lower case; for mongodb+srv, its SRV name twice (no port)."""
    parsed = parse(url)
    if parsed["fqdn"]:
        return [(parsed["fqdn"].lower(),) * 2]
    return [(host.lower(), f"{host.lower()}:{port}") for host, port in parsed["nodelist"]]


def server_key(url) -> str:
    """The URL without its database: equal for every tenant database on one cluster with one set of credentials
    and options. Holds the password: an in-memory key only, never logged.

    Credentials are checked against the database the URL names unless it sets authSource (MongoDB's rule), so a URL
    with credentials and no authSource keeps that database as its authSource here: a user created in the tenant's
    own database still authenticates, with a client of its own."""
    parts = urlsplit(str(url))
    query = parts.query
    if "@" in parts.netloc and "authsource=" not in query.lower():
        query = "&".join(filter(None, [query, f"authSource={parse(url)['database']}"]))
    return urlunsplit((parts.scheme, parts.netloc, "/", query, ""))


def redacted(url) -> str:
    """The URL with its password replaced by ***: for settings and messages."""
    parts = urlsplit(str(url))
    if "@" not in parts.netloc:
        return str(url)
    userinfo, hosts = parts.netloc.rsplit("@", 1)
    user = userinfo.split(":", 1)[0]
    return urlunsplit((parts.scheme, f"{user}:***@{hosts}" if ":" in userinfo else parts.netloc, parts.path,
                       parts.query, parts.fragment))


def with_database(url, name) -> str:
    """The same server, credentials and options, another database (the provisioning template)."""
    parts = urlsplit(str(url))
    return urlunsplit((parts.scheme, parts.netloc, f"/{name}", parts.query, ""))
