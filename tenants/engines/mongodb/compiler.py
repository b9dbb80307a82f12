"""The backend's compilers, with an insert compiler that gives integer AutoFields their values from counters."""
from django.db.models.fields import AutoFieldMixin
from django_mongodb_backend.compiler import *  # noqa: F401,F403 (Django looks compilers up by name here)
from django_mongodb_backend.compiler import SQLInsertCompiler as _MongoInsertCompiler
from pymongo import ReturnDocument

COUNTERS = "conduit_counters"


def next_ids(connection, table, count):
    """Reserve `count` consecutive integers for `table` (one findOneAndUpdate, upserted): the first of them.

    Outside the caller's transaction on purpose, like a SQL sequence: a rolled-back insert leaves a gap, and two
    concurrent transactions inserting into one table never write-conflict on the counter document."""
    doc = connection.get_collection(COUNTERS).find_one_and_update(
        {"_id": table}, {"$inc": {"seq": count}}, upsert=True, return_document=ReturnDocument.AFTER,
    )
    return doc["seq"] - count + 1


def integer_auto_pk(meta):
    pk = meta.pk
    # Not isinstance(pk, ObjectIdAutoField): AutoFieldMeta makes every BigAutoField an instance of any AutoField
    # subclass.
    return pk if isinstance(pk, AutoFieldMixin) and pk.get_internal_type() != "ObjectIdAutoField" else None


class SQLInsertCompiler(_MongoInsertCompiler):
    def execute_sql(self, returning_fields=None):
        meta = self.query.get_meta()
        pk = integer_auto_pk(meta)
        if pk is None or pk in self.query.fields or not self.query.objs:
            return super().execute_sql(returning_fields)
        first = next_ids(self.connection, meta.db_table, len(self.query.objs))
        ids = list(range(first, first + len(self.query.objs)))
        for obj, pk_value in zip(self.query.objs, ids):
            setattr(obj, pk.attname, pk_value)
        self.query.fields = [pk, *self.query.fields]
        super().execute_sql(returning_fields)
        return [(i,) for i in ids] if returning_fields else []
