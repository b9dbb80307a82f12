"""A real Conduit stack for end-to-end tests and benchmarks: its own data dir, manage.py in subprocesses, gunicorn
on a free port; and the local PostgreSQL server's test databases."""
import json
import os
import signal
import socket
import subprocess
import sys
import time
import uuid
from pathlib import Path

import requests

ROOT = Path(__file__).resolve().parents[2]
PG_SERVER = os.environ.get("CONDUIT_TEST_PG", "postgres://postgres@127.0.0.1:5432")


def unique(prefix="t", size=10):
    """A name no other test uses: `prefix` and `size` hex digits."""
    return f"{prefix}{uuid.uuid4().hex[:size]}"


def free_port():
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


class Stack:
    """Everything a test needs to drive Conduit as an operator and a client would."""

    def __init__(self, data_dir, **env):
        self.data_dir = Path(data_dir)
        self.env = {
            **os.environ,
            "DJANGO_SETTINGS_MODULE": "conduit.settings",
            "CONDUIT_DATA_DIR": str(self.data_dir),
            "PYTHONPATH": str(ROOT),
            "HF_HUB_OFFLINE": "1",
            "LOG_LEVEL": "WARNING",
            "AUTH_LOG_LEVEL": "DEBUG",  # token rejection reasons, which tests/api assert on
            "CONDUIT_STATIC_ROOT": str(self.data_dir / "static"),
            **{k: str(v) for k, v in env.items()},
        }
        self.port = None
        self.process = None
        self.worker = None
        self.session = requests.Session()

    def manage(self, *args, check=True, input=None, timeout=300):
        result = subprocess.run(
            [sys.executable, str(ROOT / "manage.py"), *map(str, args)],
            env=self.env, cwd=ROOT, capture_output=True, text=True, input=input, timeout=timeout,
        )
        if check and result.returncode != 0:
            raise AssertionError(f"manage.py {' '.join(map(str, args))} failed:\n{result.stdout}\n{result.stderr}")
        return result

    def start(self, workers=2, extra_args=()):
        self.manage("migrate", "--noinput", "-v0")
        self.manage("collectstatic", "--noinput", "-v0")
        self.port = free_port()
        self.log = open(self.data_dir / "gunicorn.log", "w")
        self.process = subprocess.Popen(
            [sys.executable, "-m", "gunicorn", "conduit.wsgi:application", "-c", str(ROOT / "deploy/gunicorn.conf.py"),
             "--bind", f"127.0.0.1:{self.port}", "--workers", str(workers), "--no-control-socket", *extra_args],
            env=self.env, cwd=ROOT, stdout=self.log, stderr=subprocess.STDOUT,
        )
        try:
            return self._wait_until_serving()
        except BaseException:
            self.stop()  # never leave a half-started server behind
            raise

    def _wait_until_serving(self):
        deadline = time.monotonic() + 60
        while time.monotonic() < deadline:
            if self.process.poll() is not None:
                raise AssertionError(f"gunicorn exited: {(self.data_dir / 'gunicorn.log').read_text()}")
            try:
                if self.session.get(self.url("/api/health"), timeout=15).status_code in (200, 503):
                    return self
            except requests.RequestException:
                time.sleep(0.1)
        raise AssertionError("gunicorn did not start in 60 s")

    def start_worker(self, *args):
        """`manage.py run_worker` beside the server, as `make run` runs it (output in worker.log); stop() ends it."""
        self.worker_log = open(self.data_dir / "worker.log", "w")
        self.worker = subprocess.Popen([sys.executable, str(ROOT / "manage.py"), "run_worker", *map(str, args)],
                                       env=self.env, cwd=ROOT, stdout=self.worker_log, stderr=subprocess.STDOUT)
        time.sleep(0.5)
        if self.worker.poll() is not None:
            raise AssertionError(f"run_worker exited: {(self.data_dir / 'worker.log').read_text()}")
        return self

    def stop(self):
        for process in (self.worker, self.process):
            if process and process.poll() is None:
                process.send_signal(signal.SIGTERM)
                try:
                    process.wait(20)
                except subprocess.TimeoutExpired:
                    process.kill()
        self.process = self.worker = None

    def url(self, path):
        return f"http://127.0.0.1:{self.port}{path}"

    def request(self, method, path, host="localhost", headers=None, **kwargs):
        headers = {"Host": host, **(headers or {})}
        return self.session.request(method, self.url(path), headers=headers, timeout=30, **kwargs)

    def tenant(self, slug, method, path, **kwargs):
        return self.request(method, path, host=f"{slug}.localhost", **kwargs)

    def create_tenant(self, slug=None, *args):
        slug = slug or unique()
        self.manage("create_tenant", slug, *args)
        return slug

    def tenant_row(self, slug):
        """The tenant's registry entry, read by a manage.py subprocess (the stack's own control database)."""
        return next(t for t in json.loads(self.manage("list_tenants", "--format", "json").stdout) if t["slug"] == slug)


def pg_url(prefix):
    """A tenant database URL pattern on the local PostgreSQL server, unique to this test run."""
    return f"{PG_SERVER}/{prefix}_{{slug}}"


def pg_create_database(name):
    """Create an empty database on the local server; returns its URL."""
    import psycopg

    with psycopg.connect(f"{PG_SERVER}/postgres", autocommit=True) as conn:
        conn.execute(f'CREATE DATABASE "{name}"')
    return f"{PG_SERVER}/{name}"


def pg_drop_databases(prefix):
    import psycopg

    with psycopg.connect(f"{PG_SERVER}/postgres", autocommit=True) as conn:
        names = [r[0] for r in conn.execute("SELECT datname FROM pg_database WHERE datname LIKE %s", [prefix + "%"])]
        for name in names:
            conn.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')


def pg_database_exists(url):
    name = url.rsplit("/", 1)[1]
    import psycopg

    with psycopg.connect(f"{PG_SERVER}/postgres", autocommit=True) as conn:
        return conn.execute("SELECT 1 FROM pg_database WHERE datname = %s", [name]).fetchone() is not None
