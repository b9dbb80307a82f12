import boto3
import pytest
import requests
from moto.server import ThreadedMotoServer

from tests.stack import Stack, free_port, pg_url

BUCKET = "conduit-media"
S3_ENV = {"AWS_ACCESS_KEY_ID": "testing", "AWS_SECRET_ACCESS_KEY": "testing", "AWS_DEFAULT_REGION": "us-east-1"}
S3_LIMITS = {"CONDUIT_MEDIA_MAX_IMAGE_BYTES": 64 * 1024, "CONDUIT_MEDIA_MAX_AUDIO_BYTES": 128 * 1024,
             "CONDUIT_MEDIA_MAX_VIDEO_BYTES": 256 * 1024}


def started(stack):
    # --preload: the port opens only once the app is loaded, so start() never times out on a slow worker boot.
    return stack.start(extra_args=("--preload",))


@pytest.fixture(scope="session")
def media_stack(tmp_path_factory):
    """gunicorn serving Conduit with media on the local filesystem (the embedded profile)."""
    s = started(Stack(tmp_path_factory.mktemp("mediastack")))
    yield s
    s.stop()


@pytest.fixture(scope="session")
def media_pg_stack(tmp_path_factory, pg_prefix):
    """The same with tenant databases on PostgreSQL (dropped with the session's `pg_prefix`)."""
    s = started(Stack(tmp_path_factory.mktemp("mediapgstack"), CONDUIT_TENANT_DATABASE_URL=pg_url(pg_prefix + "m")))
    yield s
    s.stop()


@pytest.fixture(scope="session")
def moto_endpoint():
    """A real S3-compatible HTTP server (moto's server mode) on a free port, with a private bucket."""
    port = free_port()
    server = ThreadedMotoServer(ip_address="127.0.0.1", port=port, verbose=False)
    server.start()
    endpoint = f"http://127.0.0.1:{port}"
    s3_client(endpoint).create_bucket(Bucket=BUCKET)
    yield endpoint
    server.stop()


def s3_client(endpoint):
    return boto3.client("s3", endpoint_url=endpoint, region_name="us-east-1",
                        aws_access_key_id="testing", aws_secret_access_key="testing")


@pytest.fixture(scope="session")
def s3_stack(tmp_path_factory, moto_endpoint):
    """gunicorn serving Conduit with media on the moto S3 server (small size limits, to test them cheaply)."""
    s = Stack(tmp_path_factory.mktemp("s3stack"), **S3_ENV, **S3_LIMITS,
              CONDUIT_STORAGE_URL=f"s3://{BUCKET}?endpoint_url={moto_endpoint}&region=us-east-1&addressing_style=path")
    started(s)
    yield s
    s.stop()


class Client:
    """A registered user on one tenant of a stack, sending its token."""

    def __init__(self, stack, slug, username):
        self.stack, self.slug, self.username = stack, slug, username
        r = stack.tenant(slug, "POST", "/api/users", json={"user": {
            "username": username, "email": f"{username}@example.org", "password": "a-long-password-1"}})
        assert r.status_code == 201, r.text
        self.token = r.json()["user"]["token"]

    def call(self, method, path, token=True, headers=None, **kwargs) -> requests.Response:
        headers = {**({"Authorization": f"Token {self.token}"} if token else {}), **(headers or {})}
        return self.stack.tenant(self.slug, method, path, headers=headers, **kwargs)

    def upload(self, data, name="file.bin", content_type="application/octet-stream", field="file"):
        return self.call("POST", "/api/media", files={field: (name, data, content_type)})
