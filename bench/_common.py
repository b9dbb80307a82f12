"""Shared by the benchmarks: the project on sys.path, an in-process Django on a private data dir, free ports."""
import os
import sys
import tempfile
from pathlib import Path
from urllib.parse import urlsplit

ROOT = Path(__file__).resolve().parent.parent
if str(ROOT) not in sys.path:
    sys.path.insert(0, str(ROOT))

from tests.support.stack import free_port  # noqa: E402,F401 (one copy, the tests')


def setup_django(data_dir, migrate=True, **env):
    """Configure Django for `data_dir` (plus any env overrides) and migrate the control database."""
    # The benchmarks make tenant databases in scratch directories and on the test PostgreSQL server: allow both.
    pg_host = urlsplit(os.environ.get("CONDUIT_TEST_PG", "//127.0.0.1")).hostname
    os.environ.setdefault("CONDUIT_DATABASE_DIRS", f"{data_dir},{tempfile.gettempdir()}")
    os.environ.setdefault("CONDUIT_DATABASE_HOSTS", f"{pg_host},127.0.0.1,localhost")
    os.environ.update(CONDUIT_DATA_DIR=str(data_dir), DJANGO_SETTINGS_MODULE="conduit.settings",
                      LOG_LEVEL="WARNING", HF_HUB_OFFLINE="1", **{k: str(v) for k, v in env.items()})
    import django

    django.setup()
    if migrate:
        from django.core.management import call_command

        call_command("migrate", verbosity=0)
