"""Engine `tenants.engines.mongodb`: django_mongodb_backend, plus integer AutoField primary keys."""
from bson import Int64
from django_mongodb_backend.base import DatabaseWrapper as MongoDatabaseWrapper
from django_mongodb_backend.operations import DatabaseOperations as MongoOperations
from django_mongodb_backend.validation import DatabaseValidation as MongoValidation


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
