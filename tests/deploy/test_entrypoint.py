"""deploy/entrypoint.sh, the container's roles, run outside Docker against the embedded profile."""
import json
import os
import signal
import subprocess
import sys
import time
from pathlib import Path

import requests

from tests.support.stack import free_port

ROOT = Path(__file__).resolve().parents[2]
ENTRYPOINT = ROOT / "deploy" / "entrypoint.sh"


def role_env(tmp_path, **extra):
    return {
        **os.environ,
        "PATH": f"{Path(sys.executable).parent}{os.pathsep}{os.environ['PATH']}",
        "DJANGO_SETTINGS_MODULE": "conduit.settings",
        "CONDUIT_DATA_DIR": str(tmp_path / "data"),
        "CONDUIT_STATIC_ROOT": str(tmp_path / "static"),
        "PROMETHEUS_MULTIPROC_DIR": str(tmp_path / "prometheus"),
        "HF_HUB_OFFLINE": "1",
        "LOG_LEVEL": "WARNING",
        **extra,
    }


def run(env, *args):
    result = subprocess.run([str(ENTRYPOINT), *args], env=env, capture_output=True, text=True, timeout=300)
    assert result.returncode == 0, f"{args}: {result.stdout}\n{result.stderr}"
    return result.stdout


def test_migrate_and_manage_roles(tmp_path):
    env = role_env(tmp_path)
    run(env, "migrate")
    run(env, "manage", "create_tenant", "acme", "--name", "Acme")
    tenants = json.loads(run(env, "manage", "list_tenants", "--format", "json"))
    assert [t["slug"] for t in tenants] == ["acme"]
    assert run(env, "sh", "-c", "echo any command runs as is") == "any command runs as is\n"


def test_web_role_migrates_exports_static_resets_metrics_and_stops_gracefully(tmp_path):
    port = free_port()
    build = tmp_path / "dist"  # a built frontend, as the image's `frontend` stage leaves it
    (build / "assets").mkdir(parents=True)
    (build / "index.html").write_text("<title>Conduit</title>")
    (build / "assets" / "index-3f2a1b9c.js").write_text("export {};")
    (build / ".vite").mkdir()
    env = role_env(tmp_path, CONDUIT_MIGRATE_ON_START="true", CONDUIT_STATIC_EXPORT=str(tmp_path / "export"),
                   CONDUIT_FRONTEND_DIR=str(build), CONDUIT_FRONTEND_EXPORT=str(tmp_path / "frontend"),
                   GUNICORN_BIND=f"127.0.0.1:{port}", GUNICORN_WORKERS="1")
    run(env, "manage", "collectstatic", "--noinput", "-v0")
    (tmp_path / "export").mkdir()
    (tmp_path / "frontend" / "assets").mkdir(parents=True)
    (tmp_path / "frontend" / "assets" / "index-0ld0ld00.js").write_text("old")  # a page still open may need it
    stale = tmp_path / "prometheus" / "counter_999999.db"
    stale.parent.mkdir(exist_ok=True)  # collectstatic imported the settings, which create it
    stale.write_bytes(b"stale")
    web = subprocess.Popen([str(ENTRYPOINT), "web", "--no-control-socket"], env=env,
                           stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, text=True)
    try:
        deadline, status = time.monotonic() + 120, None
        while time.monotonic() < deadline and status != 200 and web.poll() is None:
            try:
                status = requests.get(f"http://127.0.0.1:{port}/api/health", headers={"Host": "localhost"},
                                      timeout=5).status_code
            except (requests.ConnectionError, requests.Timeout):  # not up yet, or a worker still booting (busy machine)
                time.sleep(0.2)
        assert status == 200, web.stderr.read() if web.poll() is not None else status
        assert (tmp_path / "data" / "control.sqlite3").exists()  # migrated before gunicorn started
        assert (tmp_path / "export" / "admin" / "css" / "base.css").exists()
        exported = sorted(str(p.relative_to(tmp_path / "frontend")) for p in (tmp_path / "frontend").rglob("*"))
        assert exported == ["assets", "assets/index-0ld0ld00.js", "assets/index-3f2a1b9c.js", "index.html"]
        assert not stale.exists()
    finally:
        web.send_signal(signal.SIGTERM)  # gunicorn is PID of the exec'd role: a graceful stop
        assert web.wait(40) == 0
