"""Engine `tenants.engines.mongodb`: django_mongodb_backend, plus integer AutoField primary keys and one
`MongoClient` per server shared by all the tenant databases on it (docs/mongodb.md)."""
import os
import threading
from collections import Counter
from contextlib import contextmanager

from bson import Int64
from django_mongodb_backend.base import DatabaseWrapper as MongoDatabaseWrapper
from django_mongodb_backend.operations import DatabaseOperations as MongoOperations
from django_mongodb_backend.validation import DatabaseValidation as MongoValidation
from pymongo.mongo_client import MongoClient

from conduit.conf import conduit_settings
from tenants.engines.mongodb.urls import server_key

_clients: dict[str, MongoClient] = {}  # server_key(url) -> the process's client for that server
_clients_lock = threading.Lock()
_held: Counter = Counter()  # server key -> users of its client outside tenant aliases (provisioning)


def client_for(url) -> MongoClient:
    """The process's one client for the server (cluster, credentials, options) of `url`, created on first use.

    Its pool is bounded by CONDUIT_MONGODB_MAX_POOL_SIZE unless the URL sets maxPoolSize: sockets per server per
    process, however many tenant databases live there (the stock backend keeps one client per alias)."""
    key = server_key(url)
    client = _clients.get(key)
    if client is None:
        with _clients_lock:
            client = _clients.get(key)
            if client is None:
                options = {} if "maxpoolsize" in key.lower() else {"maxPoolSize": conduit_settings.MONGODB_MAX_POOL_SIZE}
                client = _clients[key] = MongoClient(key, **options, connect=False)
    return client


def _after_fork_in_child():
    """A forked child (a gunicorn worker) must not use its parent's sockets or a lock another parent thread held:
    it starts with no clients and a fresh lock."""
    global _clients_lock
    _clients.clear()
    _clients_lock = threading.Lock()
_held: Counter = Counter()  # server key -> users of its client outside tenant aliases (provisioning)


os.register_at_fork(after_in_child=_after_fork_in_child)


def release(url, remaining_urls):
    """Close the client of `url`'s server once no registered tenant alias of this process uses it any more (after
    a purge, or a move off that server). Clients are per server *and credentials*: tenants that share a server and
    one database user share one client; a user per tenant database means a client per tenant (docs/mongodb.md)."""
    key = server_key(url)
    if any(server_key(other) == key for other in remaining_urls):
        return
    with _clients_lock:
        client = None if _held[key] else _clients.pop(key, None)
    if client is not None:
        client.close()


@contextmanager
def held_client(url):
    """The server's client for work outside a tenant alias (provisioning): not closed by `release` meanwhile."""
    key = server_key(url)
    with _clients_lock:
        _held[key] += 1
    try:
        yield client_for(url)
    finally:
        with _clients_lock:
            _held[key] -= 1
            if not _held[key]:
                del _held[key]


class DatabaseOperations(MongoOperations):
    compiler_module = "tenants.engines.mongodb.compiler"

    def validate_autopk_value(self, value):
        """Integer pks (and so every FK to them) are stored as Int64 like other integers: one BSON type per field,
        so the unique index's partial filter ({$type: "long"}) covers every document."""
        value = super().validate_autopk_value(value)
        return Int64(value) if isinstance(value, int) and not isinstance(value, bool) else value


class DatabaseValidation(MongoValidation):
    prohibited_fields = set()  # integer AutoFields are served by the counters (compiler.next_ids)


class DatabaseWrapper(MongoDatabaseWrapper):
    # An integer pk is stored as its own field ("id", unique index) beside the server's ObjectId `_id`.
    data_types = {**MongoDatabaseWrapper.data_types, "AutoField": "long", "BigAutoField": "long",
                  "SmallAutoField": "long"}
    ops_class = DatabaseOperations
    validation_class = DatabaseValidation

    def get_new_connection(self, conn_params):
        # The URL with its password is kept under a key Django's settings filters hide (HOST holds it redacted).
        return client_for(self.settings_dict["URL_SECRET"])

    def close_pool(self):
        """Detach this alias from the shared client; the client stays open for the server's other tenants."""
        self.run_on_commit = []
        if self.session:
            self._end_session()
        self.connection = None
        try:
            del self.database
        except AttributeError:
            pass
