"""Transactions and row locks on the current tenant's database (plain `transaction.atomic()` would use the control
DB), the same for callers on every engine.

SQLite and PostgreSQL: `tenant_atomic` is `transaction.atomic(using=<tenant alias>)` and `lock_rows` is
`select_for_update()`, exactly as before.

MongoDB (issue 14; django-mongodb-backend, where Django's `atomic()` is a no-op):

- `tenant_atomic` runs a MongoDB transaction in the connection's session (the backend's compilers read and write
  through `connection.session`). A nested block joins the outer transaction: MongoDB has **no savepoints**, so an
  exception leaving a nested block cannot undo only that block's writes. It dooms the transaction instead: the
  outermost block then rolls back even if the exception was caught in between, and raises `TransactionAborted`
  (a retryable error, below), so a half-applied inner block is never committed. `on_commit` callbacks
  (`tenant_on_commit`, `transaction.on_commit(using=alias)`: the outbox, httpcache) run after the commit, and are
  dropped on rollback, as on SQL.
- MongoDB transactions are snapshot-isolated and detect write-write conflicts: the second writer of a document
  gets `WriteConflict` (labelled `TransientTransactionError`) and the server aborts its whole transaction. The
  same happens to a `get_or_create` race (the loser's insert conflicts on the unique index), and a duplicate-key
  error aborts the transaction too (the `get` after it fails with `NoSuchTransaction`, also transient). Such a
  transaction can only be run again from the start, which a `with` block cannot do, so the retry lives in
  `tenant_transaction(func)`: it calls `func` inside `tenant_atomic()` and, on MongoDB only, re-runs it (a bounded
  number of times, with a short jittered back-off) when it failed with a transient transaction error. On SQL it is
  exactly `with tenant_atomic(): return func()` (no retry: behaviour unchanged). Called inside an open transaction
  it only joins it; the outermost `tenant_transaction` retries (at most RETRIES attempts within RETRY_SECONDS; a
  transaction still conflicting then raises its error). So services whose transaction can race are written
  as a function run by `tenant_transaction` (it must be safe to re-run: read what it decides on inside, don't
  depend on in-memory state a failed attempt changed), and everything else keeps `with tenant_atomic():`.
- `lock_rows(queryset)`: MongoDB has no row locks (`select_for_update` is silently ignored), so reads that guard an
  invariant (the last owner) would be write skew. Inside the transaction it writes to every matched document
  (`$inc` of a `_conduit_lock` field, through the collection with the connection's session): two concurrent
  transactions that locked the same document write-conflict, the first writer wins and the other is retried by
  `tenant_transaction`, then reading the winner's committed result. It returns the queryset to read as usual.
- `take_each(queryset, limit, handle)`: the skip-locked work queue (`SELECT … FOR UPDATE SKIP LOCKED` on SQL, one
  transaction for the batch). On MongoDB each row is claimed in its own small transaction: it is re-read with the
  queryset's own filter (still due, still scheduled) and written; a row another worker is taking write-conflicts
  and is skipped, a row it already took no longer matches. So each row is handled by exactly one worker.
"""
import random
import time
from functools import wraps

from django.db import DatabaseError, connections, transaction

from tenants.connections import ensure_alias
from tenants.context import require_tenant

RETRIES = 10  # attempts of a MongoDB transaction that keeps hitting transient errors …
RETRY_SECONDS = 5.0  # … within this long (the winner of a conflict must commit meanwhile)
LOCK_FIELD = "_conduit_lock"


class TransactionAborted(DatabaseError):
    """A MongoDB transaction was rolled back because an exception left a nested block (no savepoints); retryable."""


def tenant_alias():
    """The database alias of the tenant in context; raises TenantNotSet outside one."""
    return ensure_alias(require_tenant())


def _mongo(alias):
    return connections[alias].vendor == "mongodb"


def is_transient(exc):
    """A MongoDB error after which the whole transaction may succeed if run again (server-labelled
    TransientTransactionError, WriteConflict, or our own doomed-transaction abort); searched along the
    cause chain, as the backend wraps pymongo errors in Django's."""
    from pymongo.errors import PyMongoError

    seen = set()
    while exc is not None and id(exc) not in seen:
        seen.add(id(exc))
        if isinstance(exc, TransactionAborted):
            return True
        if isinstance(exc, PyMongoError) and (exc.has_error_label("TransientTransactionError")
                                              or getattr(exc, "code", None) == 112):  # WriteConflict
            return True
        exc = exc.__cause__  # the explicit chain only (the backend wraps pymongo errors `from` them): an unrelated
        # error raised while handling a conflict stays what it is
    return False


class _MongoAtomic:
    """The backend's atomic() (which it leaves nesting-unsafe: an inner failure was silently committed with the
    rest) with nested failures dooming the transaction, and commit errors ending the session cleanly."""

    def __init__(self, alias):
        self.alias = alias

    def __enter__(self):
        connection = connections[self.alias]
        if connection.in_atomic_block_mongo:
            connection.nested_atomics += 1
        else:
            connection.start_transaction_mongo()
            connection.in_atomic_block_mongo = True
            connection.conduit_doomed = None

    def __exit__(self, exc_type, exc_value, traceback):
        connection = connections[self.alias]
        if connection.nested_atomics:
            connection.nested_atomics -= 1
            if exc_type is not None and getattr(connection, "conduit_doomed", None) is None:
                connection.conduit_doomed = exc_value  # no savepoint to roll back to: the outer block must not commit
            return False
        connection.in_atomic_block_mongo = False
        doomed, connection.conduit_doomed = getattr(connection, "conduit_doomed", None), None
        if exc_type is not None or doomed is not None:
            connection.rollback_mongo()
            if exc_type is None:
                raise TransactionAborted("an error left a nested atomic block; the transaction was rolled back") \
                    from doomed
            return False
        try:
            connection.commit_mongo()  # commits, ends the session, then runs the on_commit callbacks
        except Exception as exc:
            if connection.session is not None:  # the commit itself failed: drop the session and the callbacks
                connection._end_session()
                connection.run_on_commit = []
                from pymongo.errors import PyMongoError

                if isinstance(exc, PyMongoError):
                    raise DatabaseError(str(exc)) from exc
            raise
        return False


def tenant_atomic(**kwargs):
    """A transaction on the tenant's database; see the module docstring for MongoDB (kwargs are SQL-only)."""
    alias = tenant_alias()
    if _mongo(alias):
        return _MongoAtomic(alias)
    return transaction.atomic(using=alias, **kwargs)


def tenant_transaction(func=None, *, retries=RETRIES):
    """Run `func` in `tenant_atomic()`, retried on MongoDB's transient transaction errors (module docstring).

    As a decorator (`@tenant_transaction`) or a call (`tenant_transaction(lambda: ...)()`)."""
    if func is None:
        return lambda f: tenant_transaction(f, retries=retries)

    @wraps(func)
    def run(*args, **kwargs):
        alias = tenant_alias()
        if not _mongo(alias) or connections[alias].in_atomic_block_mongo:
            with tenant_atomic():
                return func(*args, **kwargs)
        deadline = time.monotonic() + RETRY_SECONDS
        for attempt in range(retries):
            try:
                with tenant_atomic():
                    return func(*args, **kwargs)
            except Exception as exc:
                if attempt == retries - 1 or time.monotonic() > deadline or not is_transient(exc):
                    raise
            time.sleep(random.uniform(0.5, 1) * min(0.005 * 2 ** attempt, 0.5))  # jittered, capped back-off

    return run


def lock_rows(queryset):
    """`queryset.select_for_update()` on SQL. On MongoDB, inside the current transaction, write to every document
    the queryset matches now, so a concurrent transaction that locks or writes one of them write-conflicts (first
    writer wins; `tenant_transaction` retries the other); returns the queryset. Use inside `tenant_transaction`."""
    connection = connections[queryset.db]
    if connection.vendor != "mongodb":
        return queryset.select_for_update()
    if not connection.in_atomic_block_mongo:
        raise transaction.TransactionManagementError("lock_rows() outside a transaction locks nothing.")
    meta = queryset.model._meta
    pks = list(queryset.order_by().values_list("pk", flat=True))
    if pks:
        connection.get_collection(meta.db_table).update_many(
            {meta.pk.column: {"$in": pks}}, {"$inc": {LOCK_FIELD: 1}}, session=connection.session)
    return queryset


def take_each(queryset, limit, handle):
    """Handle up to `limit` rows of `queryset` (ordered), each by exactly one of several concurrent workers, each
    with `handle(row)` inside the transaction that takes it; returns how many this worker took. SQL: one transaction
    with `select_for_update(skip_locked=True)` (as before). MongoDB: one claiming transaction per row (docstring)."""
    alias = queryset.db
    if not _mongo(alias):
        with transaction.atomic(using=alias):
            rows = list(queryset.select_for_update(skip_locked=True)[:limit])
            for row in rows:
                handle(row)
        return len(rows)
    taken = 0
    for pk in list(queryset.values_list("pk", flat=True)[:limit]):
        try:
            with _MongoAtomic(alias):
                row = queryset.filter(pk=pk).first()  # still matching, in this transaction's snapshot
                if row is None:
                    continue  # another worker took it
                lock_rows(queryset.filter(pk=pk))  # the claim: a concurrent claimer write-conflicts
                handle(row)
            taken += 1
        except Exception as exc:
            if not is_transient(exc):
                raise  # skip a row another worker is taking (it write-conflicted), as SKIP LOCKED would
    return taken


def tenant_on_commit(func, robust=False):
    transaction.on_commit(func, using=tenant_alias(), robust=robust)
