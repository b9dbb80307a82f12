"""The stack fixtures every test directory may use (registered by tests/conftest.py as a pytest plugin).

Session-scoped: a stack starts on first use and serves the rest of the test process."""
import uuid

import pytest

from tests.support.client import Site
from tests.support.stack import PG_SERVER, Stack, free_port, pg_create_database, pg_drop_databases, pg_url

BUCKET = "conduit-media"
S3_ENV = {"AWS_ACCESS_KEY_ID": "testing", "AWS_SECRET_ACCESS_KEY": "testing", "AWS_DEFAULT_REGION": "us-east-1"}
S3_LIMITS = {"CONDUIT_MEDIA_MAX_IMAGE_BYTES": 64 * 1024, "CONDUIT_MEDIA_MAX_AUDIO_BYTES": 128 * 1024,
             "CONDUIT_MEDIA_MAX_VIDEO_BYTES": 256 * 1024}


def served(tmp_path_factory, name, preload=False, **env):
    """A started Stack in a fresh directory; `preload`: the port opens only once the app is loaded (gunicorn
    --preload), so start() never times out on a slow worker boot."""
    s = Stack(tmp_path_factory.mktemp(name), **env)
    s.start(extra_args=("--preload",) if preload else ())
    return s


@pytest.fixture(scope="session")
def pg_prefix():
    prefix = f"ctest_{uuid.uuid4().hex[:8]}"
    yield prefix
    pg_drop_databases(prefix)


@pytest.fixture
def pg_tenant_url(pg_prefix):
    return pg_url(pg_prefix)


@pytest.fixture
def pg_target(pg_prefix):
    """A fresh PostgreSQL database URL per call, dropped with the session's prefix."""
    return lambda: f"{PG_SERVER}/{pg_prefix}_mv{uuid.uuid4().hex[:8]}"


@pytest.fixture(scope="session")
def stack(tmp_path_factory):
    """One gunicorn-served Conduit (embedded profile) for the end-to-end tests of a test process."""
    s = served(tmp_path_factory, "stack")
    yield s
    s.stop()


@pytest.fixture(scope="session")
def pg_stack(tmp_path_factory, pg_prefix):
    """The scale-out database profile: control database and one database per tenant on PostgreSQL."""
    s = served(tmp_path_factory, "pgstack", DATABASE_URL=pg_create_database(f"{pg_prefix}s_control"),
               CONDUIT_TENANT_DATABASE_URL=pg_url(pg_prefix + "s"))
    yield s
    s.stop()


@pytest.fixture(scope="session")
def secantus():
    """A MongoDB server for the tests: SecantusDB (MongoDB wire protocol, a one-node replica set) in its own process
    on a free port, over real TCP; its URL, without a database."""
    import subprocess
    import sys
    import time

    import pymongo

    port = free_port()
    process = subprocess.Popen([sys.executable, "-m", "secantus", "--host", "127.0.0.1", "--port", str(port),
                                "--storage-path", ":memory:"], stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)
    url = f"mongodb://127.0.0.1:{port}"
    deadline = time.monotonic() + 30
    while True:
        try:
            with pymongo.MongoClient(f"{url}/?directConnection=true", serverSelectionTimeoutMS=500) as client:
                client.admin.command("ping")
            break
        except pymongo.errors.PyMongoError:
            if process.poll() is not None:
                pytest.fail(f"SecantusDB exited: {process.stderr.read().decode(errors='replace')[-2000:]}")
            if time.monotonic() > deadline:
                process.kill()
                pytest.fail("SecantusDB did not answer a ping within 30 s")
            time.sleep(0.2)
    yield url
    process.terminate()
    process.wait(10)


@pytest.fixture
def mongo_tenant_url(secantus):
    """A tenant database URL pattern on the SecantusDB server, for tenants created in-process."""
    return f"{secantus}/ctest_{uuid.uuid4().hex[:8]}_{{slug}}?directConnection=true"


@pytest.fixture(scope="session")
def mongo_stack(tmp_path_factory, secantus):
    """The embedded profile with tenant databases on MongoDB (SecantusDB); the control database stays SQLite."""
    s = served(tmp_path_factory, "mongostack",
               CONDUIT_TENANT_DATABASE_URL=f"{secantus}/conduit_{{slug}}?directConnection=true")
    yield s
    s.stop()


STACKS = {"sqlite": "stack", "postgres": "pg_stack", "mongodb": "mongo_stack"}


@pytest.fixture(scope="session", params=["sqlite", pytest.param("postgres", marks=pytest.mark.postgres),
                                         pytest.param("mongodb", marks=pytest.mark.mongodb)])
def site(request):
    """A fresh tenant on the SQLite, the PostgreSQL or the MongoDB stack (shared by the tests of a session)."""
    stack = request.getfixturevalue(STACKS[request.param])
    return Site(stack, stack.create_tenant())


@pytest.fixture(scope="session")
def media_stack(tmp_path_factory):
    """gunicorn serving Conduit with media on the local filesystem (the embedded profile)."""
    s = served(tmp_path_factory, "mediastack", preload=True)
    yield s
    s.stop()


@pytest.fixture(scope="session")
def media_pg_stack(tmp_path_factory, pg_prefix):
    """The same with tenant databases on PostgreSQL (dropped with the session's `pg_prefix`)."""
    s = served(tmp_path_factory, "mediapgstack", preload=True, CONDUIT_TENANT_DATABASE_URL=pg_url(pg_prefix + "m"))
    yield s
    s.stop()


def s3_client(endpoint):
    import boto3

    return boto3.client("s3", endpoint_url=endpoint, region_name="us-east-1",
                        aws_access_key_id="testing", aws_secret_access_key="testing")


@pytest.fixture(scope="session")
def moto_endpoint():
    """A real S3-compatible HTTP server (moto's server mode) on a free port, with a private bucket."""
    from moto.server import ThreadedMotoServer

    port = free_port()
    server = ThreadedMotoServer(ip_address="127.0.0.1", port=port, verbose=False)
    server.start()
    endpoint = f"http://127.0.0.1:{port}"
    s3_client(endpoint).create_bucket(Bucket=BUCKET)
    yield endpoint
    server.stop()


@pytest.fixture(scope="session")
def s3_stack(tmp_path_factory, moto_endpoint):
    """gunicorn serving Conduit with media on the moto S3 server (small size limits, to test them cheaply)."""
    s = served(tmp_path_factory, "s3stack", preload=True, **S3_ENV, **S3_LIMITS,
               CONDUIT_STORAGE_URL=f"s3://{BUCKET}?endpoint_url={moto_endpoint}&region=us-east-1"
                                   "&addressing_style=path")
    yield s
    s.stop()
