"""A large upload streams through a temporary file: the worker's memory does not grow with the file."""
import time
from pathlib import Path

import pytest

from tests.media import samples
from tests.support.client import Site

pytestmark = pytest.mark.slow
SIZE = 100 * 1024 * 1024


def peak_rss_kb(pid):
    for line in Path(f"/proc/{pid}/status").read_text().splitlines():
        if line.startswith("VmHWM:"):
            return int(line.split()[1])
    return 0


def workers(stack):
    children = Path(f"/proc/{stack.process.pid}/task/{stack.process.pid}/children").read_text().split()
    return [int(pid) for pid in children]


def test_100_mb_video_upload_keeps_worker_memory_flat(media_stack):
    slug = media_stack.create_tenant()
    ann = Site(media_stack, slug).user("ann")
    ann.upload(samples.mp4())  # warm the worker(s): imports, connections
    before = {pid: peak_rss_kb(pid) for pid in workers(media_stack)}
    data = samples.mp4() + b"\x00" * (SIZE - len(samples.mp4()))
    started = time.perf_counter()
    r = ann.upload(data)
    elapsed = time.perf_counter() - started
    assert r.status_code == 201, r.text
    assert r.json()["media"]["size"] == SIZE
    growth_mb = max(peak_rss_kb(pid) - before[pid] for pid in before) / 1024
    print(f"\n100 MB upload: {elapsed:.2f} s ({SIZE / 2**20 / elapsed:.0f} MB/s), worker peak RSS growth {growth_mb:.1f} MB")
    assert growth_mb < 32
    stored = media_stack.data_dir / "media" / slug
    assert sum(p.stat().st_size for p in stored.rglob("*") if p.is_file()) == SIZE + len(samples.mp4())
