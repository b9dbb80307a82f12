"""Test settings: the real settings, with a private data directory per test process."""
import atexit
import os
import shutil
import tempfile
from pathlib import Path
from urllib.parse import urlsplit

_data_dir = tempfile.mkdtemp(prefix="conduit-test-")
os.environ["CONDUIT_DATA_DIR"] = _data_dir
os.environ.setdefault("HF_HUB_OFFLINE", "1")
# The test PostgreSQL server may hold tenant databases (in-process tests and every Stack, which inherits this).
os.environ.setdefault("CONDUIT_DATABASE_HOSTS", urlsplit(os.environ.get("CONDUIT_TEST_PG", "//127.0.0.1")).hostname)
atexit.register(shutil.rmtree, _data_dir, ignore_errors=True)

from conduit.settings import *  # noqa: E402,F401,F403

PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]  # speed only; prod uses PBKDF2
LOGGING["root"]["level"] = "WARNING"  # noqa: F405
STATIC_ROOT = Path(_data_dir) / "static"  # noqa: F405
STATIC_ROOT.mkdir(exist_ok=True)
STORAGES = {**STORAGES, "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"}}  # noqa: F405
