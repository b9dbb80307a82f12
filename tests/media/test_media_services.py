"""Media services in process, on the local filesystem storage: validation, keys, delete, tenant purge."""
from pathlib import Path

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile

from media.models import Media
from media.services import MediaForbidden, media_create, media_delete
from media.storage import media_storage
from media.validation import MediaRejected
from tenants.context import tenant_context
from tests.media import samples

pytestmark = pytest.mark.django_db


def make_user(name):
    from accounts.models import User

    return User.objects.create_user(username=name, email=f"{name}@example.org", password="pw-123456789")


def upload(data, name="file.bin", content_type="application/octet-stream"):
    return SimpleUploadedFile(name, data, content_type=content_type)


@pytest.mark.parametrize("ext", sorted(samples.ALL))
def test_every_allowed_type_is_detected_by_content(make_tenant, ext):
    build, kind, mime = samples.ALL[ext]
    tenant = make_tenant()
    with tenant_context(tenant):
        media = media_create(owner=make_user("ann"), upload=upload(build(), name="whatever.txt", content_type="text/plain"))
        assert (media.kind, media.content_type, media.size) == (kind, mime, len(build()))
        assert media.key.startswith(f"{tenant.slug}/{media.owner_id}/") and media.key.endswith(f".{ext}")
        assert media_storage().open(media.key).read() == build()


def test_key_is_unguessable_and_file_lands_under_tenant_prefix(make_tenant, settings):
    tenant = make_tenant()
    with tenant_context(tenant):
        user = make_user("ann")
        keys = {media_create(owner=user, upload=upload(samples.png())).key for _ in range(3)}
    assert len(keys) == 3
    random_parts = [Path(k).stem for k in keys]
    assert all(len(part) >= 32 for part in random_parts)
    root = Path(settings.STORAGES["media"]["OPTIONS"]["location"])
    assert all((root / key).is_file() for key in keys)


@pytest.mark.parametrize(
    "data, status, message",
    [
        (b"", 422, "empty"),
        (b"hello, I am text pretending to be a png\n" * 10, 415, "not a recognised"),
        (samples.pdf(), 415, "application/pdf files are not accepted"),
    ],
)
def test_rejected_uploads_store_nothing(make_tenant, data, status, message):
    tenant = make_tenant()
    with tenant_context(tenant):
        with pytest.raises(MediaRejected) as exc:
            media_create(owner=make_user("ann"), upload=upload(data, name="photo.png", content_type="image/png"))
        assert exc.value.status == status and message in str(exc.value)
        assert Media.objects.count() == 0
    assert not Path(media_storage().path(tenant.slug)).exists()


def test_size_limit_is_per_kind(make_tenant, settings):
    settings.CONDUIT = {**settings.CONDUIT, "MEDIA_MAX_BYTES": {"image": 1000, "audio": 5000, "video": 5000}}
    tenant = make_tenant()
    with tenant_context(tenant):
        user = make_user("ann")
        with pytest.raises(MediaRejected) as exc:
            media_create(owner=user, upload=upload(samples.png(pad=2000)))
        assert exc.value.status == 413 and "image files may be at most 1000 bytes" in str(exc.value)
        assert media_create(owner=user, upload=upload(samples.wav(samples=1500))).kind == "audio"


def test_delete_is_owner_only_and_removes_the_file(make_tenant):
    tenant = make_tenant()
    with tenant_context(tenant):
        owner, other = make_user("ann"), make_user("bob")
        media = media_create(owner=owner, upload=upload(samples.gif()))
        path = Path(media_storage().path(media.key))
        with pytest.raises(MediaForbidden):
            media_delete(media=media, user=other)
        assert path.is_file()
        media_delete(media=media, user=owner)
        assert not path.exists() and Media.objects.count() == 0


def test_purging_a_tenant_removes_only_its_media(make_tenant, actor, django_capture_on_commit_callbacks):
    from tenants.services import tenant_delete

    doomed, kept = make_tenant(), make_tenant()
    paths = {}
    for tenant in (doomed, kept):
        with tenant_context(tenant):
            media = media_create(owner=make_user("ann"), upload=upload(samples.mp3()))
            paths[tenant.slug] = Path(media_storage().path(media.key))
    with django_capture_on_commit_callbacks(execute=True):
        tenant_delete(slug=doomed.slug, actor=actor, purge=True)
    assert not paths[doomed.slug].exists()
    assert not Path(media_storage().path(doomed.slug)).exists()
    assert paths[kept.slug].is_file()


def test_unreachable_storage_is_a_clear_error_and_leaves_no_row(make_tenant, settings, monkeypatch):
    from media.services import MediaStorageUnavailable
    from conduit.storage_url import storage_settings
    from tests.support.stack import free_port

    monkeypatch.setenv("AWS_MAX_ATTEMPTS", "1")
    monkeypatch.setenv("AWS_ACCESS_KEY_ID", "x")
    monkeypatch.setenv("AWS_SECRET_ACCESS_KEY", "x")
    closed = f"http://127.0.0.1:{free_port()}"
    settings.STORAGES = {**settings.STORAGES, "media": storage_settings(
        f"s3://nowhere?endpoint_url={closed}&region=us-east-1", local_root=Path("/unused"))}
    tenant = make_tenant()
    with tenant_context(tenant):
        with pytest.raises(MediaStorageUnavailable, match="unavailable"):
            media_create(owner=make_user("ann"), upload=upload(samples.png()))
        assert Media.objects.count() == 0
