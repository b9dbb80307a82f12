"""MediaUploadGuard inside Django's real multipart parser: bad or oversized files stop while streaming."""
import io

import pytest
from django.core.files.uploadhandler import TemporaryFileUploadHandler
from django.http.multipartparser import MultiPartParser
from django.test import RequestFactory
from urllib3 import encode_multipart_formdata

from media.uploads import MediaUploadGuard
from media.validation import MediaRejected
from tests.media import samples


class CountingHandler(TemporaryFileUploadHandler):
    """The handler that would write the temporary file; counts what reached it."""

    received = 0

    def receive_data_chunk(self, raw_data, start):
        CountingHandler.received += len(raw_data)
        return super().receive_data_chunk(raw_data, start)


def parse(fields, settings):
    body, content_type = encode_multipart_formdata(fields)
    request = RequestFactory().post("/", data=body, content_type=content_type)
    CountingHandler.received = 0
    handlers = [MediaUploadGuard(request), CountingHandler(request)]
    meta = {**request.META, "CONTENT_LENGTH": str(len(body))}
    return MultiPartParser(meta, io.BytesIO(body), handlers).parse()


@pytest.fixture
def small_limits(settings):
    settings.CONDUIT = {**settings.CONDUIT, "MEDIA_MAX_BYTES": {"image": 100_000, "audio": 1_000_000, "video": 1}}


def test_oversized_image_stops_near_its_limit_not_at_the_end(small_limits, settings):
    with pytest.raises(MediaRejected) as exc:
        parse({"file": ("a.png", samples.png(pad=5_000_000), "image/png")}, settings)
    assert exc.value.status == 413 and "image files may be at most 97.7 KB" in str(exc.value)
    assert CountingHandler.received < 100_000  # the 5 MB never reached the temporary file


def test_unaccepted_content_stops_at_the_first_chunk(small_limits, settings):
    with pytest.raises(MediaRejected) as exc:
        parse({"file": ("a.png", b"plain text " * 500_000, "image/png")}, settings)
    assert exc.value.status == 415 and CountingHandler.received == 0


def test_files_within_limits_and_other_fields_pass_through(small_limits, settings):
    data = samples.wav(samples=200_000)  # 400 KB of audio: over the image limit, within the audio one
    post, files = parse({"file": ("a.wav", data, "audio/wav"), "note": "hello"}, settings)
    assert files["file"].read() == data and post["note"] == "hello"
    assert CountingHandler.received == len(data)
