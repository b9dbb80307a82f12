"""tenant_atomic / tenant_transaction on a MongoDB tenant (SecantusDB): commit hooks after commit, nested blocks
without savepoints, and a write-conflicted transaction run again from the start."""
import pymongo
import pytest
from django.db import connections

from content.models import Tag
from tenants.context import tenant_context
from tenants.db import TransactionAborted, lock_rows, tenant_alias, tenant_atomic, tenant_on_commit, tenant_transaction

pytestmark = pytest.mark.django_db(transaction=True)


@pytest.fixture
def mongo_tenant(make_tenant, mongo_tenant_url):
    tenant = make_tenant(database_url=mongo_tenant_url)
    with tenant_context(tenant.info()):
        yield tenant


def test_on_commit_runs_after_the_commit_and_never_after_a_rollback(mongo_tenant):
    seen = []
    with tenant_atomic():
        Tag.objects.create(name="kept")
        tenant_on_commit(lambda: seen.append(Tag.objects.filter(name="kept").exists()))
        assert seen == []
    assert seen == [True]  # ran once committed, and saw the row
    with pytest.raises(ZeroDivisionError), tenant_atomic():
        Tag.objects.create(name="dropped")
        tenant_on_commit(lambda: seen.append("rolled back"))
        1 / 0
    assert seen == [True] and not Tag.objects.filter(name="dropped").exists()


def test_an_error_caught_inside_a_nested_block_rolls_the_whole_transaction_back(mongo_tenant):
    """No savepoints: the inner block's write cannot be undone alone, so nothing of the transaction commits."""
    with pytest.raises(TransactionAborted), tenant_atomic():
        Tag.objects.create(name="outer")
        try:
            with tenant_atomic():
                Tag.objects.create(name="inner")
                raise ValueError
        except ValueError:
            pass
    assert not Tag.objects.filter(name__in=["outer", "inner"]).exists()
    with tenant_atomic():  # a nested block that succeeds simply joins the outer transaction
        Tag.objects.create(name="a")
        with tenant_atomic():
            Tag.objects.create(name="b")
    assert Tag.objects.filter(name__in=["a", "b"]).count() == 2


def test_a_write_conflicted_transaction_is_run_again(mongo_tenant, secantus):
    tag = Tag.objects.create(name="contended")
    connection = connections[tenant_alias()]
    attempts = []

    @tenant_transaction
    def touch():
        attempts.append(Tag.objects.get(pk=tag.pk).name)
        if len(attempts) == 1:  # another transaction writes the document and commits after our snapshot began
            client = pymongo.MongoClient(connection.settings_dict["HOST"])
            with client.start_session() as session, session.start_transaction():
                client[connection.settings_dict["NAME"]][Tag._meta.db_table].update_one(
                    {"id": tag.pk}, {"$set": {"name": "renamed"}}, session=session)
            client.close()
        lock_rows(Tag.objects.filter(pk=tag.pk))  # first writer wins: this attempt write-conflicts
        return "done"

    assert touch() == "done"
    assert attempts == ["contended", "renamed"]  # the second attempt read the winner's commit


def test_a_conflict_left_after_retries_is_a_503_to_retry_not_a_500():
    """What outlives tenant_transaction's retries (or hits a write without them) tells the client to retry."""
    from django.db import DatabaseError
    from pymongo.errors import OperationFailure

    from conduit.errors import exception_handler

    conflict = OperationFailure("WriteConflict", code=112, details={"errorLabels": ["TransientTransactionError"]})
    try:
        raise DatabaseError("wrapped by the backend") from conflict
    except DatabaseError as wrapped:
        response = exception_handler(wrapped, {})
    assert response.status_code == 503 and response["Retry-After"] == "1"
    assert "try again" in response.data["errors"]["body"][0]
    assert exception_handler(DatabaseError("disk full"), {}) is None  # any other database error stays a 500
