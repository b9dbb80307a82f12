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


def seed_script(articles: int) -> str:
    """Python for `manage.py shell -c` (in a tenant, or the single DB): 10 authors, 12 tags, `articles` articles with
    3 tags and 3 favourites each, a ring of follows. The API benchmarks' one data set."""
    return SEED.replace("{articles}", str(int(articles)))


SEED = r"""
import random
from django.contrib.auth.hashers import make_password
from accounts.models import User
from content.models import Article, Favorite, Follow, Tag

rng = random.Random(7)
password = make_password("bench-password")
users = User.objects.bulk_create([User(username=f"author{i}", email=f"author{i}@bench.io", password=password,
                                       bio=f"Bio of author {i}") for i in range(10)])
tags = Tag.objects.bulk_create([Tag(name=f"tag{i}") for i in range(12)])
articles = Article.objects.bulk_create([
    Article(slug=f"article-{i}", title=f"Article number {i}", description=f"About article {i}",
            body="Lorem ipsum dolor sit amet. " * 40, author=users[i % 10], favorites_count=3)
    for i in range({articles})
])
Article.tags.through.objects.bulk_create(
    [Article.tags.through(article_id=a.id, tag_id=t.id) for a in articles for t in rng.sample(tags, 3)])
Favorite.objects.bulk_create([Favorite(user=u, article=a) for a in articles for u in rng.sample(users, 3)])
Follow.objects.bulk_create([Follow(follower=users[i], followee=users[(i + 1) % 10]) for i in range(10)])
print(Article.objects.count(), "articles")
"""


def secantus_server():
    """A SecantusDB server in its own process on a free port (as the tests start it): (url, process)."""
    import subprocess
    import time

    import pymongo

    port = free_port()
    process = subprocess.Popen([sys.executable, "-m", "secantus", "--host", "127.0.0.1", "--port", str(port),
                                "--storage-path", ":memory:"], stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    url = f"mongodb://127.0.0.1:{port}"
    for _ in range(150):
        try:
            with pymongo.MongoClient(f"{url}/?directConnection=true", serverSelectionTimeoutMS=500) as client:
                client.admin.command("ping")
            return url, process
        except pymongo.errors.PyMongoError:
            time.sleep(0.2)
    process.kill()
    raise SystemExit("SecantusDB did not start")
