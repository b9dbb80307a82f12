"""The stack fixtures every test directory may use (registered by tests/conftest.py as a pytest plugin).

Session-scoped: a stack starts on first use and serves the rest of the test process."""
import os
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
    """Spike 14: a SecantusDB server (MongoDB wire protocol) in its own process on a free port."""
    import subprocess
    import sys
    import time

    import pymongo

    port = free_port()
    process = subprocess.Popen([sys.executable, "-m", "secantus", "--host", "127.0.0.1", "--port", str(port),
                                "--storage-path", ":memory:"], stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    deadline = time.monotonic() + 30
    while True:
        try:
            pymongo.MongoClient(f"mongodb://127.0.0.1:{port}/?directConnection=true",
                                serverSelectionTimeoutMS=500).admin.command("ping")
            break
        except Exception:
            if time.monotonic() > deadline or process.poll() is not None:
                process.kill()
                raise
            time.sleep(0.2)
    yield f"mongodb://127.0.0.1:{port}"
    process.terminate()
    process.wait(10)


@pytest.fixture
def mongo_tenant_url(secantus):
    """A tenant database URL pattern on the SecantusDB server, for tenants created in-process."""
    return f"{secantus}/ctest_{uuid.uuid4().hex[:8]}_{{slug}}?directConnection=true"


@pytest.fixture(scope="session")
def mongo_stack(tmp_path_factory, secantus):
    """Spike 14: the embedded profile with tenant databases on MongoDB (SecantusDB)."""
    s = served(tmp_path_factory, "mongostack",
               CONDUIT_TENANT_DATABASE_URL=f"{secantus}/conduit_{{slug}}?directConnection=true")
    yield s
    s.stop()


SITE_ENGINES = os.environ.get("SPIKE_SITE_ENGINES", "sqlite,postgres").split(",")
_SITE_PARAMS = {"sqlite": "sqlite", "postgres": pytest.param("postgres", marks=pytest.mark.postgres),
                "mongo": "mongo"}


@pytest.fixture(scope="session", params=[_SITE_PARAMS[e] for e in SITE_ENGINES])
def site(request):
    """A fresh tenant on the SQLite stack or on the PostgreSQL stack (shared by the tests of a session)."""
    stack = request.getfixturevalue({"sqlite": "stack", "postgres": "pg_stack", "mongo": "mongo_stack"}[request.param])
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
