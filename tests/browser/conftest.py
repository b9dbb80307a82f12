"""A real Chromium (Debian's /usr/bin/chromium, driven by Playwright) that can reach 127.0.0.1 and nothing else."""
import os
import shutil

import pytest

CHROMIUM = os.environ.get("CONDUIT_TEST_CHROMIUM", "/usr/bin/chromium")
# Names mapped to loopback for tests that use custom domains; every other name fails to resolve, so a page that
# needs a CDN (or any public host) cannot load it. Exclusions are checked first: localhost names resolve normally.
LOOPBACK_NAMES = ("docs.example.test",)
HOST_RULES = ", ".join([*(f"MAP {name} 127.0.0.1" for name in LOOPBACK_NAMES), "MAP * ~NOTFOUND",
                        "EXCLUDE 127.0.0.1", "EXCLUDE localhost", "EXCLUDE *.localhost"])


@pytest.fixture(scope="module")
def browser():
    if not shutil.which(CHROMIUM):
        if os.environ.get("CI"):
            pytest.fail(f"{CHROMIUM} is missing: .ci/run installs Debian's chromium")
        pytest.skip(f"needs Chromium at {CHROMIUM}")
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        # executable_path: Playwright drives the system browser and never downloads one of its own.
        chromium = playwright.chromium.launch(executable_path=CHROMIUM, args=[
            # Names resolve to nothing but loopback, and anything else (an IP literal too) goes to a proxy that
            # is not there (port 9, discard): only 127.0.0.1 answers.
            f"--host-resolver-rules={HOST_RULES}", "--proxy-server=http://127.0.0.1:9",
            f"--proxy-bypass-list={';'.join(['127.0.0.1', 'localhost', '*.localhost', *LOOPBACK_NAMES])}",
            "--no-sandbox",
            "--disable-background-networking", "--disable-component-update", "--disable-sync",
        ])
        yield chromium
        chromium.close()
