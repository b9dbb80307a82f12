"""A stand-in build of the Conduit Frontend (the real one is built by make), and a tenant host pointed at it."""
import pytest

from tests.frontend.build import AVATAR, INDEX, SCRIPT


@pytest.fixture
def dist(tmp_path):
    """A dist directory shaped like `npm run build`'s output."""
    root = tmp_path / "dist"
    (root / "assets").mkdir(parents=True)
    (root / "index.html").write_text(INDEX)
    (root / "assets" / "index-3f2a1b9c.js").write_text(SCRIPT)
    (root / "assets" / "index-77aa01ff.css").write_text("body{margin:0}\n")
    (root / "default-avatar.svg").write_text(AVATAR)
    (root / ".vite").mkdir()
    (root / ".vite" / "manifest.json").write_text("{}")
    (root / ".env").write_text("SECRET=build-detail")
    (root / "assets" / ".env").write_text("SECRET=build-detail")
    (tmp_path / "secret.txt").write_text("outside the build")
    return root


@pytest.fixture
def frontend(settings, dist):
    """Point CONDUIT_FRONTEND_DIR at the stand-in build for this test."""
    settings.CONDUIT = {**settings.CONDUIT, "FRONTEND_DIR": dist}
    return dist


@pytest.fixture
def host(make_tenant):
    return f"{make_tenant().slug}.localhost"
