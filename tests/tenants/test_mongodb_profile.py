"""Tenant databases on MongoDB (SecantusDB in its own process, over TCP) beside the SQLite ones: provisioning,
routing, health, suspension, purge and migrate_tenants through manage.py and gunicorn; URL checks; one client per
server."""
import time

import pymongo
import pytest

pytestmark = pytest.mark.mongodb


def _db(secantus, name):
    return pymongo.MongoClient(f"{secantus}/?directConnection=true")[name]


def test_tenant_lifecycle_on_mongodb(mongo_stack, secantus):
    slug = mongo_stack.create_tenant()
    name = f"conduit_{slug}"
    r = mongo_stack.tenant(slug, "GET", "/api/health")
    assert r.status_code == 200, r.text
    assert r.json()["checks"]["tenant_db"]["ok"] is True, r.json()  # a ping of its MongoDB database
    db = _db(secantus, name)
    collections = set(db.list_collection_names())
    assert {"content_article", "accounts_user", "django_migrations"} <= collections
    assert "tenants_tenant" not in collections  # control tables never land in a tenant database
    unique = {spec["name"]: spec for spec in db["accounts_user"].list_indexes()}
    assert any(spec.get("unique") for spec in unique.values() if spec["name"] != "_id_"), unique  # indexes came too
    # The template is registered once per schema on the server, and a tenant's rows are its own.
    assert db.client["conduit_templates"]["templates"].count_documents({}) == 1
    user = mongo_stack.request("POST", "/api/users", host=f"{slug}.localhost", json={
        "user": {"username": "mona", "email": "mona@example.com", "password": "secret-pass-1"}}).json()["user"]
    assert db["accounts_user"].count_documents({"username": "mona"}) == 1 and user["username"] == "mona"
    assert isinstance(db["accounts_user"].find_one({"username": "mona"})["id"], int)  # an integer id, not an ObjectId

    mongo_stack.manage("suspend_tenant", slug)
    time.sleep(1.0)
    assert mongo_stack.tenant(slug, "GET", "/api/health").status_code == 503
    assert "0 to migrate" in mongo_stack.manage("migrate_tenants").stderr
    mongo_stack.manage("delete_tenant", slug, "--purge", "--yes")
    assert name not in db.client.list_database_names()


def test_provisioning_refuses_what_it_must(mongo_stack, secantus):
    taken = mongo_stack.create_tenant()
    host = secantus.split("//", 1)[1]
    for url, message in [
        (f"mongodb://{host}/conduit_{taken}?directConnection=true", "already exists"),
        (f"mongodb://{host}/x_{{slug}}?tlsCAFile=/etc/passwd", "is not allowed for tenant databases"),
        (f"mongodb://{host}/x_{{slug}}?authMechanism=MONGODB-AWS", "authMechanism 'MONGODB-AWS' is not allowed"),
        (f"mongodb://{host}/", "names its database in the path"),
        ("mongodb://db.elsewhere.example:27017/x_{slug}", "database host 'db.elsewhere.example' is not allowed"),
        ("mongodb+srv://cluster0.elsewhere.example/x_{slug}", "database host 'cluster0.elsewhere.example' is not"),
        ("mongodb://user:hunter2@127.0.0.1:1/x_{slug}?serverSelectionTimeoutMS=300", "cannot reach database server"),
    ]:
        result = mongo_stack.manage("create_tenant", f"m{abs(hash(url)) % 10**8}", "--database-url", url, check=False)
        assert result.returncode != 0 and message in result.stderr, (url, result.stderr)
        assert "Traceback" not in result.stderr and "hunter2" not in result.stderr


def test_one_client_per_server_shared_by_its_tenant_databases(secantus):
    from tenants.engines.mongodb.base import client_for

    a = client_for(f"{secantus}/conduit_a?directConnection=true")
    b = client_for(f"{secantus}/conduit_b?directConnection=true")
    other = client_for(f"{secantus}/conduit_a?directConnection=true&appName=other")
    assert a is b and a is not other
    assert a.options.pool_options.max_pool_size == 16  # CONDUIT_MONGODB_MAX_POOL_SIZE's default
    assert client_for(f"{secantus}/c?directConnection=true&maxPoolSize=3").options.pool_options.max_pool_size == 3


@pytest.mark.django_db(transaction=True)
def test_concurrent_creators_of_one_database_one_wins_and_a_lost_template_is_rebuilt(mongo_tenant_url):
    import threading

    from tenants import provisioning
    from tenants.engines.mongodb.base import client_for

    url = mongo_tenant_url.replace("{slug}", "race")
    outcomes, start = [], threading.Barrier(2)

    def create():
        start.wait()
        try:
            provisioning.database_create(url)
            outcomes.append("created")
        except provisioning.ProvisioningConflict:
            outcomes.append("conflict")

    threads = [threading.Thread(target=create) for _ in range(2)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(120)
    assert sorted(outcomes) == ["conflict", "created"]
    client = client_for(url)
    name = url.split("/")[3].split("?")[0]
    assert {"content_article", "django_migrations"} <= set(client[name].list_collection_names())  # the winner's, whole
    assert any(spec.get("unique") for spec in client[name]["accounts_user"].list_indexes())

    # An operator dropped the registered template: the next tenant is still whole (the template is rebuilt).
    template = client["conduit_templates"]["templates"].find_one({"_id": provisioning.schema_fingerprint()})
    client.drop_database(template["database"])
    other = mongo_tenant_url.replace("{slug}", "after")
    provisioning.database_create(other)
    assert "django_migrations" in client[other.split("/")[3].split("?")[0]].list_collection_names()
    for each in (url, other):
        provisioning.database_drop(each)
    provisioning.database_create(url)  # a dropped name may be created again
    provisioning.database_drop(url)
