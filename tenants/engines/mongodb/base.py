"""Engine `tenants.engines.mongodb`: django_mongodb_backend, plus integer AutoField primary keys and one
`MongoClient` per server shared by all the tenant databases on it (docs/mongodb.md)."""
import os
import threading

from bson import Int64
from django_mongodb_backend.base import DatabaseWrapper as MongoDatabaseWrapper
from django_mongodb_backend.operations import DatabaseOperations as MongoOperations
from django_mongodb_backend.validation import DatabaseValidation as MongoValidation
from pymongo.mongo_client import MongoClient

from conduit.conf import conduit_settings
from tenants.engines.mongodb.urls import server_key

_clients: dict[str, MongoClient] = {}  # server_key(url) -> the process's client for that server
_clients_lock = threading.Lock()


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


# A forked child (gunicorn worker) must not use its parent's sockets: it starts with no clients.
os.register_at_fork(after_in_child=_clients.clear)


def client_count() -> int:
    return len(_clients)


def close_clients():
    """Close every client of this process (at exit, or in a forked child before first use)."""
    with _clients_lock:
        for client in _clients.values():
            client.close()
        _clients.clear()


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
        return client_for(self.settings_dict["HOST"])

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
