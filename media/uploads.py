"""An upload handler that refuses a media file while it streams in, not after it has been written to disk."""
from django.core.files.uploadhandler import FileUploadHandler

from media.validation import HEAD_BYTES, detect, max_bytes, too_large

FIELD = "file"


class MediaUploadGuard(FileUploadHandler):
    """Sniffs the kind from the first chunk (415 if not accepted), then aborts once the kind's size limit is passed."""

    def new_file(self, field_name, *args, **kwargs):
        super().new_file(field_name, *args, **kwargs)
        self.kind, self.received = None, 0

    def receive_data_chunk(self, raw_data, start):
        if self.field_name != FIELD:
            return raw_data
        if self.kind is None:
            self.kind = detect(bytes(raw_data[:HEAD_BYTES])).kind  # raises MediaRejected (415)
        self.received += len(raw_data)
        if self.received > max_bytes(self.kind):
            raise too_large(self.kind)  # propagates out of request parsing to the view's error handling
        return raw_data

    def file_complete(self, file_size):
        return None  # the next handler (memory or temporary file) builds the UploadedFile
