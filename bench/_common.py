"""Shared by the benchmarks: the project on sys.path, an in-process Django on a private data dir, free ports."""
import os
import socket
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
if str(ROOT) not in sys.path:
    sys.path.insert(0, str(ROOT))


def setup_django(data_dir, migrate=True, **env):
    """Configure Django for `data_dir` (plus any env overrides) and migrate the control database."""
    os.environ.update(CONDUIT_DATA_DIR=str(data_dir), DJANGO_SETTINGS_MODULE="conduit.settings",
                      LOG_LEVEL="WARNING", HF_HUB_OFFLINE="1", **{k: str(v) for k, v in env.items()})
    import django

    django.setup()
    if migrate:
        from django.core.management import call_command

        call_command("migrate", verbosity=0)


def free_port():
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]
