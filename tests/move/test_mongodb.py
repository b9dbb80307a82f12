"""Tenant transfer with MongoDB (SecantusDB, its own process): moves across all three engines, export/import, and
archives from before the millisecond checksums."""
import json
import subprocess
import sys
import tarfile
import time

import pymongo
import pytest

from tests.move.test_archive import assert_imported_alike, before_media, rewrite
from tests.support.populated import PopulatedSite
from tests.support.stack import ROOT, unique

pytestmark = [pytest.mark.mongodb, pytest.mark.slow]

ARTICLES, COMMENTS = 10_000, 10_000


def mongo_url(secantus, name):
    return f"{secantus}/conduit_{name}?directConnection=true"


def last_move_tables(stack, slug):
    """{table: {rows, sha256}} the last move of `slug` verified (source, copy and target agreed on them)."""
    code = ("import json; from tenants.models import TenantMove; m = TenantMove.objects.filter("
            f"tenant__slug={slug!r}).order_by('-id').first(); print(json.dumps([m.status, m.progress['tables']]))")
    status, verified = json.loads(stack.manage("shell", "-v", "0", "-c", code).stdout.splitlines()[-1])
    assert status == "done"
    return verified


def tenant_shell(stack, slug, code):
    return stack.manage("tenant_command", slug, "shell", "-v", "0", "-c", code).stdout.split()[-1]


def articles_count(stack, slug):
    response = stack.tenant(slug, "GET", "/api/articles?limit=1")
    assert response.status_code == 200, response.text
    return response.json()["articlesCount"]


@pytest.mark.postgres
def test_sqlite_to_mongodb_to_postgres_to_sqlite_with_10000_articles(mongo_stack, secantus, pg_target):
    stack, started = mongo_stack, time.monotonic()
    slug = unique()
    stack.create_tenant(slug, "--database-url", f"sqlite:///{stack.data_dir}/tenants/{slug}.sqlite3")
    subprocess.run([sys.executable, "-m", "tests.support.seed", slug, str(ARTICLES), str(COMMENTS)],
                   env=stack.env, cwd=ROOT, check=True, timeout=300)
    seeded = time.monotonic()
    top_comment = int(tenant_shell(stack, slug, "from content.models import Comment; "
                                                "print(Comment.objects.order_by('-pk')[0].pk)"))

    hops = [mongo_url(secantus, f"{slug}_mv"), pg_target(),
            f"sqlite:///{stack.data_dir}/tenants/{slug}-back.sqlite3"]
    verified, timings, reference = [], [], None
    for target in hops:
        t0 = time.monotonic()
        result = stack.manage("move_tenant", slug, "--to", target, "--yes", "--drop-source", timeout=600)
        timings.append(round(time.monotonic() - t0, 1))
        assert "[6/6] writable again" in result.stdout and "source dropped" in result.stdout, result.stdout
        assert stack.tenant_row(slug)["database"] == target
        verified.append(last_move_tables(stack, slug))
        assert verified[-1]["content_article"]["rows"] >= ARTICLES
        assert verified[-1]["content_comment"]["rows"] >= COMMENTS
        assert verified[-1]["content_article_tags"]["rows"] == 2 * ARTICLES
        reference = reference or verified[-1]
        assert verified[-1] == reference  # each hop copied and verified the same rows and checksums as the last
        if not target.startswith("mongodb"):
            time.sleep(1.0)  # every gunicorn worker picks up the switch
            assert articles_count(stack, slug) == verified[-1]["content_article"]["rows"]
        else:
            # (no API read here: SecantusDB, an emulator without indexes, takes > 30 s to list 10,000 articles)
            # counters were reset past the copied ids: new rows continue above them
            made = tenant_shell(stack, slug, (
                "from accounts.models import User; from content.models import Article, Comment; "
                "u = User.objects.order_by('pk')[0]; "
                "a = Article.objects.create(slug='on-mongodb', title='written on mongodb', body='b', author=u); "
                "c = Comment.objects.create(article=a, author=u, body='new'); "
                "print(f'{Article.objects.count()},{a.pk},{c.pk}')"))
            count, new_article, new_comment = map(int, made.split(","))
            assert count == ARTICLES + 1 and new_article > ARTICLES and new_comment > top_comment
            reference = None  # the tenant changed: the next hop's verified tables are the ones to keep
    print(f"\nseed {seeded - started:.1f}s; moves sqlite→mongodb→postgres→sqlite {timings} s", file=sys.stderr)


def test_export_mongodb_tenant_imports_into_sqlite_and_mongodb(mongo_stack, secantus, tmp_path):
    stack = mongo_stack
    site = PopulatedSite(stack, stack.create_tenant()).populate(articles=3)
    assert stack.tenant_row(site.slug)["database"].startswith("mongodb://")
    before = site.snapshot()
    path = tmp_path / "mongo.tar.gz"
    stack.manage("export_tenant", site.slug, path, "--media")
    with tarfile.open(path) as tar:
        manifest = json.load(tar.extractfile("manifest.json"))
    assert manifest["version"] == 2 and manifest["tables"]["content_article"]["rows"] == 3

    for new, url in ((f"{site.slug}-sq", f"sqlite:///{stack.data_dir}/tenants/{site.slug}-sq.sqlite3"),
                     (f"{site.slug}-mg", mongo_url(secantus, f"{site.slug}_mg"))):
        result = stack.manage("import_tenant", path, "--slug", new, "--database-url", url)
        assert f"imported tenant '{new}'" in result.stdout
        copy = PopulatedSite(stack, new)
        copy.articles, copy.media = site.articles, site.media
        for name in site.tokens:
            copy.tokens[name] = copy.login(name).json()["user"]["token"]
        shot = json.loads(json.dumps(copy.snapshot()).replace(f"{new}.localhost", f"{site.slug}.localhost"))
        assert shot == before
        assert copy.post_article(next(iter(copy.tokens.values())), "new on the copy").status_code == 201


def test_export_of_a_mongodb_tenant_refuses_writes_while_it_reads(mongo_stack, tmp_path):
    """No snapshot session on MongoDB: the tenant is read-only for the export, then writable again."""
    stack = mongo_stack
    site = PopulatedSite(stack, stack.create_tenant())
    token = site.register("writer")["token"]
    export = subprocess.Popen([sys.executable, str(ROOT / "manage.py"), "export_tenant", site.slug,
                               str(tmp_path / "a.tar.gz")], env={**stack.env, "CONDUIT_MOVE_GRACE_SECONDS": "3"},
                              cwd=ROOT, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
    statuses = []
    while export.poll() is None and 503 not in statuses:  # writes succeed until the switch reaches the servers
        during = site.post_article(token, f"during the export {len(statuses)}")
        statuses.append(during.status_code)
        time.sleep(0.2)
    assert export.wait(120) == 0, export.stderr.read()
    assert statuses[-1] == 503 and during.headers["Retry-After"] == "30", statuses
    assert set(statuses) <= {201, 503}
    time.sleep(1.0)
    assert site.post_article(token, "after the export").status_code == 201


def as_version_1(manifest):
    manifest["version"] = 1
    manifest.pop("checksum")
    for entry in manifest["tables"].values():
        del entry["checksum"]
    return manifest


@pytest.fixture(scope="module")
def sqlite_archive(mongo_stack, tmp_path_factory):
    """A populated SQLite tenant's archive, and its API snapshot; its datetimes have microseconds."""
    stack = mongo_stack
    slug = unique()
    site = PopulatedSite(stack, stack.create_tenant(slug, "--database-url",
                                                    f"sqlite:///{stack.data_dir}/tenants/{slug}.sqlite3"))
    site.populate(articles=3)
    path = tmp_path_factory.mktemp("mongoarchive") / "a.tar.gz"
    stack.manage("export_tenant", slug, path, "--media")
    return site, path, site.snapshot()


@pytest.mark.parametrize("engine", ["sqlite", "mongodb"])
def test_version_1_archive_still_verifies(mongo_stack, secantus, sqlite_archive, tmp_path, engine):
    """An archive from before the format had ms checksums: µs verification on SQLite as before; on MongoDB (which
    keeps ms) its lines are checked against the µs sha256 and the database against their ms digest."""
    stack = mongo_stack
    site, path, before = sqlite_archive

    def to_v1(name, data):
        return json.dumps(as_version_1(json.loads(data))).encode() if name == "manifest.json" else data

    old = rewrite(path, tmp_path / "v1.tar.gz", to_v1)
    new = f"{site.slug}-v1{engine[:2]}"
    url = (f"sqlite:///{stack.data_dir}/tenants/{new}.sqlite3" if engine == "sqlite"
           else mongo_url(secantus, new.replace("-", "_")))
    result = stack.manage("import_tenant", old, "--slug", new, "--database-url", url)
    assert f"imported tenant '{new}'" in result.stdout

    def tampered(name, data):  # a changed data line: still caught against the µs sha256
        if name == "data/content_article.jsonl":
            return data.replace(b'"dt":"20', b'"dt":"19', 1)
        return to_v1(name, data)

    bad = f"{site.slug}-bad{engine[:2]}"
    url = (f"sqlite:///{stack.data_dir}/tenants/{bad}.sqlite3" if engine == "sqlite"
           else mongo_url(secantus, bad.replace("-", "_")))
    result = stack.manage("import_tenant", rewrite(path, tmp_path / "bad.tar.gz", tampered), "--slug", bad,
                          "--database-url", url, check=False)
    assert result.returncode == 1 and "content_article is corrupt" in result.stderr, result.stderr


def test_older_schema_archive_into_mongodb(mongo_stack, secantus, sqlite_archive, tmp_path):
    """schema_at on MongoDB: an archive from before the media app migrates back, loads, then migrates forward."""
    stack = mongo_stack
    site, path, before = sqlite_archive
    new = f"{site.slug}-old"
    result = stack.manage("import_tenant", before_media(path, tmp_path / "old.tar.gz", as_version_1), "--slug", new,
                          "--database-url", mongo_url(secantus, f"{site.slug}_old"), check=False)
    assert result.returncode == 0, result.stderr
    assert_imported_alike(stack, site, new, before)
    listed = stack.manage("list_tenants", "--format", "json").stdout
    assert next(t for t in json.loads(listed) if t["slug"] == new)["migrations"] == "current"


def test_a_move_into_mongodb_killed_mid_copy_recovers_onto_its_source(mongo_stack, secantus):
    """The same recovery as between relational engines: still read-only and whole after the kill, then back on the
    source, writable, and the half-copied MongoDB target dropped (its name free again)."""
    from tests.move.test_move_tenant import start_move, wait_for_pause

    stack, slug = mongo_stack, unique()
    stack.create_tenant(slug, "--database-url", f"sqlite:///{stack.data_dir}/tenants/{slug}.sqlite3")
    site = PopulatedSite(stack, slug).populate(articles=2)
    before, source = site.snapshot(), stack.tenant_row(slug)["database"]
    target = mongo_url(secantus, f"{slug}_killed")
    move = start_move(stack, slug, target, CONDUIT_MOVE_PAUSE_AT="copy")
    wait_for_pause(move, "copy")
    move.kill()
    move.wait(30)
    time.sleep(1.0)
    token = next(iter(site.tokens.values()))
    assert site.post_article(token, "while stuck").status_code == 503
    assert site.snapshot() == before

    assert "recovered 1 interrupted move" in stack.manage("move_tenant", "--recover").stdout
    assert stack.tenant_row(slug)["database"] == source
    names = pymongo.MongoClient(f"{secantus}/?directConnection=true").list_database_names()
    assert f"conduit_{slug}_killed" not in names
    time.sleep(1.0)
    assert site.snapshot() == before and site.post_article(token, "after recovery").status_code == 201
    stack.manage("move_tenant", slug, "--to", target, "--yes")  # the target's name can be used again
    assert stack.tenant_row(slug)["database"] == target
