"""What a media file is, judged by its content (magic bytes via `filetype`), never by its name or declared type."""
from dataclasses import dataclass

import filetype

from conduit.conf import conduit_settings
from conduit.exceptions import ApplicationError

HEAD_BYTES = 8192  # filetype inspects at most this many leading bytes


class MediaRejected(ApplicationError):
    """An upload that cannot be accepted (under `file`); `status` is the HTTP status that says why (413, 415, 422)."""

    code = "rejected"

    def __init__(self, message: str, status: int = 422):
        super().__init__("file", message, status=status)


@dataclass(frozen=True)
class Detected:
    kind: str
    extension: str
    content_type: str


def max_bytes(kind: str) -> int:
    return int(conduit_settings.MEDIA_MAX_BYTES[kind])


def largest_limit() -> int:
    return max(int(v) for v in conduit_settings.MEDIA_MAX_BYTES.values())


def human(size: float) -> str:
    if size < 1024:
        return f"{int(size)} bytes"
    for unit in ("KB", "MB", "GB"):
        size /= 1024
        if size < 1024 or unit == "GB":
            return f"{size:.3g} {unit}"


def accepted_summary() -> str:
    return "; ".join(f"{kind}: {', '.join(exts)}" for kind, exts in conduit_settings.MEDIA_TYPES.items())


def detect(head: bytes) -> Detected:
    """Classify the leading bytes of a file into an allowed kind, or raise MediaRejected (415)."""
    guess = filetype.guess(head)
    if guess is not None:
        for kind, extensions in conduit_settings.MEDIA_TYPES.items():
            if guess.extension in extensions:
                return Detected(kind=kind, extension=guess.extension, content_type=guess.mime)
        raise MediaRejected(f"{guess.mime} files are not accepted (accepted: {accepted_summary()}).", status=415)
    raise MediaRejected(
        f"the file content is not a recognised image, audio or video format (accepted: {accepted_summary()}).",
        status=415,
    )


def validate_upload(upload) -> Detected:
    """Check an uploaded file: not empty, an allowed type by content, within its kind's size limit."""
    if upload.size == 0:
        raise MediaRejected("the file is empty.")
    upload.seek(0)
    head = upload.read(HEAD_BYTES)
    upload.seek(0)
    detected = detect(head)
    if upload.size > max_bytes(detected.kind):
        raise too_large(detected.kind)
    return detected


def too_large(kind: str) -> MediaRejected:
    return MediaRejected(f"the file is too large: {kind} files may be at most {human(max_bytes(kind))}.", status=413)
