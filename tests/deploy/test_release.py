"""deploy/release.sh's decisions (tagging, health wait, rollback), with docker, git and curl replaced by recorders."""
import os
import subprocess
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
SHA = "0123456789abcdef0123456789abcdef01234567"

# `docker` records each call with the CONDUIT_TAG it ran under and remembers the tag `compose up` started last;
# `curl` (the health probe) answers according to which tag runs; `git rev-parse HEAD` names the checkout.
DOCKER = """#!/bin/sh
echo "CONDUIT_TAG=${CONDUIT_TAG:-} $*" >> "$STUB_DIR/calls"
case "$*" in
  "image inspect"*) grep -qx "${3#*:}" "$STUB_DIR/images" ;;
  "tag "*) echo "${3#*:}" >> "$STUB_DIR/images" ;;
  "compose build"*) echo "$CONDUIT_TAG" >> "$STUB_DIR/images" ;;
  "compose up"*) echo "$CONDUIT_TAG" > "$STUB_DIR/running" ;;
  "compose exec"*) echo example.test ;;
  "compose port"*) echo 0.0.0.0:8443 ;;
esac
"""
CURL = """#!/bin/sh
echo "curl $*" >> "$STUB_DIR/calls"
grep -qx -f "$STUB_DIR/healthy_tags" "$STUB_DIR/running"
"""
GIT = """#!/bin/sh
echo "$STUB_SHA"
"""


@pytest.fixture
def release(tmp_path):
    bin_dir = tmp_path / "bin"
    bin_dir.mkdir()
    for name, body in {"docker": DOCKER, "curl": CURL, "git": GIT}.items():
        (bin_dir / name).write_text(body)
        (bin_dir / name).chmod(0o755)
    (tmp_path / "images").write_text("current\n")  # a release is running already
    (tmp_path / "running").write_text("current\n")

    def run(*args, healthy=(), sha=SHA):
        (tmp_path / "healthy_tags").write_text("".join(f"{tag}\n" for tag in healthy) or "none-at-all\n")
        env = {**os.environ, "PATH": f"{bin_dir}{os.pathsep}{os.environ['PATH']}", "STUB_DIR": str(tmp_path),
               "STUB_SHA": sha, "CONDUIT_HEALTH_TIMEOUT": "1", "CONDUIT_HEALTH_INTERVAL": "0.2"}
        result = subprocess.run([str(ROOT / "deploy" / "release.sh"), *args], env=env, capture_output=True, text=True,
                                timeout=60)
        calls = (tmp_path / "calls").read_text().splitlines() if (tmp_path / "calls").exists() else []
        run.stderr = result.stderr
        return result.returncode, calls, (tmp_path / "running").read_text().strip()

    return run


def test_healthy_release_becomes_current_and_the_old_one_previous(release):
    code, calls, running = release("deploy", SHA, healthy={SHA[:12]})
    assert code == 0 and running == SHA[:12]
    assert f"CONDUIT_TAG={SHA[:12]} compose build --pull web" in calls
    assert calls.index("CONDUIT_TAG= tag conduit:current conduit:previous") < calls.index(
        f"CONDUIT_TAG={SHA[:12]} compose up -d --no-build --remove-orphans")
    assert calls[-1] == f"CONDUIT_TAG= tag conduit:{SHA[:12]} conduit:current"
    assert any("--resolve example.test:8443:127.0.0.1 https://example.test:8443/api/health" in c for c in calls)


def test_unhealthy_release_rolls_back_to_previous_and_fails(release):
    code, calls, running = release("deploy", SHA, healthy={"previous"})
    assert code == 1 and running == "previous"
    assert "CONDUIT_TAG=previous compose up -d --no-build --no-deps --force-recreate web worker" in calls
    assert "CONDUIT_TAG= tag conduit:previous conduit:current" in calls
    assert f"CONDUIT_TAG= tag conduit:{SHA[:12]} conduit:current" not in calls


def test_failed_rollback_says_so(release):
    code, _, running = release("deploy", SHA, healthy=())
    assert code == 1 and running == "previous"
    assert "rollback is not healthy either: manual intervention needed" in release.stderr


@pytest.mark.parametrize("sha, checkout", [("main", SHA), (SHA, "f" * 40)])
def test_refuses_anything_but_the_checked_out_sha(release, sha, checkout):
    code, calls, _ = release("deploy", sha, sha=checkout)
    assert code == 2 and not any("compose" in c for c in calls)
