"""The Conduit Frontend end to end: F1's Playwright specs (frontend/e2e) drive Debian's Chromium against a real stack.

The stack is what `make run` starts (gunicorn serving the built app on tenant hosts, `manage.py run_worker` indexing),
with two fresh tenants: BASE_URL is the site under test, OTHER_URL a second site that must see none of it.
Playwright's exit code decides this test; its output is the failure message. Needs the build (`make frontend`).
"""
import os
import shutil
import subprocess
from pathlib import Path

import pytest

from tests.support.stack import ROOT, Stack

FRONTEND = ROOT / "frontend"
CHROMIUM = Path(os.environ.get("CONDUIT_TEST_CHROMIUM", "/usr/bin/chromium"))
SCREENSHOTS = ROOT / "docs" / "screenshots"
TIMEOUT_SECONDS = 1200

pytestmark = pytest.mark.slow


def missing_prerequisites(frontend: Path) -> list[str]:
    """What the browser tests need and do not have, each with the command that provides it."""
    missing = []
    if not (frontend / "dist" / "index.html").is_file():
        missing.append(f"the built app {frontend / 'dist'} (make frontend)")
    if not (frontend / "node_modules" / ".bin" / "playwright").exists():
        missing.append(f"@playwright/test in {frontend / 'node_modules'} (make frontend)")
    if not CHROMIUM.exists():
        missing.append(f"Chromium at {CHROMIUM} (apt-get install chromium; .ci/run does it)")
    if not shutil.which("npx"):
        missing.append("npx (Node 20+ with npm)")
    return missing


def run_playwright(frontend: Path, base_url: str, other_url: str, screenshots: Path, timeout=TIMEOUT_SECONDS):
    """`npx playwright test` in `frontend` against the two sites; the completed process (output captured)."""
    screenshots.mkdir(parents=True, exist_ok=True)
    env = {**os.environ, "BASE_URL": base_url, "OTHER_URL": other_url, "SCREENSHOT_DIR": str(screenshots),
           "PLAYWRIGHT_SKIP_BROWSER_DOWNLOAD": "1", "CI": "1", "FORCE_COLOR": "0", "NO_COLOR": "1"}
    return subprocess.run(["npx", "--no-install", "playwright", "test"], cwd=frontend, env=env, capture_output=True,
                          text=True, timeout=timeout)


def tail(path: Path, lines=40) -> str:
    return "\n".join(path.read_text(errors="replace").splitlines()[-lines:]) if path.exists() else ""


def test_the_frontend_in_a_real_browser(tmp_path):
    missing = missing_prerequisites(FRONTEND)
    assert not missing, "the browser tests need: " + "; ".join(missing)
    stack = Stack(tmp_path, CONDUIT_FRONTEND_DIR=FRONTEND / "dist")
    try:
        stack.start(workers=2)
        stack.start_worker()
        site, other = stack.create_tenant(), stack.create_tenant()
        origin = f"http://{{}}.localhost:{stack.port}"
        assert "<title>" in stack.tenant(site, "GET", "/").text  # the stack serves the build
        result = run_playwright(FRONTEND, origin.format(site), origin.format(other), SCREENSHOTS)
    finally:
        stack.stop()
    if result.returncode != 0:
        pytest.fail(
            f"npx playwright test exited {result.returncode}\n{result.stdout}\n{result.stderr}\n"
            f"--- gunicorn.log (tail)\n{tail(tmp_path / 'gunicorn.log')}\n"
            f"--- worker.log (tail)\n{tail(tmp_path / 'worker.log')}",
            pytrace=False,
        )
