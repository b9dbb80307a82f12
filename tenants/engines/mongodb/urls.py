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


class MongoURLError(ValueError):
    """The URL is not a usable MongoDB tenant database URL; the message says why (and never holds a password)."""


def is_mongodb_url(url) -> bool:
    return str(url).startswith(("mongodb://", "mongodb+srv://"))


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


def hosts(url) -> list[str]:
    """Host names (lower case, no ports) of the URL: the seed list, or the SRV name of mongodb+srv."""
    parsed = parse(url)
    if parsed["fqdn"]:
        return [parsed["fqdn"].lower()]
    return [host.lower() for host, _port in parsed["nodelist"]]


def host_ports(url) -> list[str]:
    parsed = parse(url)
    if parsed["fqdn"]:
        return [parsed["fqdn"].lower()]
    return [f"{host.lower()}:{port}" for host, port in parsed["nodelist"]]


def server_key(url) -> str:
    """The URL without its database: equal for every tenant database on one cluster with one set of credentials
    and options. Holds the password: an in-memory key only, never logged."""
    parts = urlsplit(str(url))
    return urlunsplit((parts.scheme, parts.netloc, "/", parts.query, ""))


def with_database(url, name) -> str:
    """The same server, credentials and options, another database (the provisioning template)."""
    parts = urlsplit(str(url))
    return urlunsplit((parts.scheme, parts.netloc, f"/{name}", parts.query, ""))
