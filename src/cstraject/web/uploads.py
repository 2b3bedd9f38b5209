"""Upload limits that hold before the body is read.

- `RequestSizeMiddleware`: a request whose Content-Length is above
  `CSTRAJECT_MAX_REQUEST_BYTES` (default 21 MB: two 10 MB documents and the
  form) gets a branded 413 page at once; its body is never read. Django
  reads no more than Content-Length, so this bounds every request.
- `DocumentSizeUploadHandler`: a single file above 10 MB inside an allowed
  request is dropped while it streams (never kept in memory or on disk); the
  view reports it next to its field (`request.uploads_too_large`).
"""

import logging

from django.conf import settings
from django.core.files.uploadhandler import FileUploadHandler, SkipFile
from django.shortcuts import render

logger = logging.getLogger(__name__)

MAX_DOCUMENT_BYTES = 10 * 1024 * 1024
DEFAULT_MAX_REQUEST_BYTES = 2 * MAX_DOCUMENT_BYTES + 1024 * 1024


def max_request_bytes() -> int:
    return int(getattr(settings, "CSTRAJECT_MAX_REQUEST_BYTES", DEFAULT_MAX_REQUEST_BYTES))


class RequestSizeMiddleware:
    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        try:
            length = int(request.META.get("CONTENT_LENGTH") or 0)
        except ValueError:
            length = 0
        limit = max_request_bytes()
        if length > limit:
            logger.warning("Request refused before reading: %s bytes > %s on %s", length, limit, request.path)
            response = render(
                request,
                "web/error.html",
                {"code": 413, "limit_mb": limit // (1024 * 1024)},
                status=413,
            )
            response["Connection"] = "close"
            return response
        return self.get_response(request)


class DocumentSizeUploadHandler(FileUploadHandler):
    """Counts the bytes of each uploaded file; drops a file once it passes 10 MB."""

    def new_file(self, *args, **kwargs):
        super().new_file(*args, **kwargs)
        self.received = 0

    def receive_data_chunk(self, raw_data, start):
        self.received += len(raw_data)
        if self.received > MAX_DOCUMENT_BYTES:
            if self.request is not None:
                refused = getattr(self.request, "uploads_too_large", {})
                refused[self.field_name] = self.file_name
                self.request.uploads_too_large = refused
            raise SkipFile()
        return raw_data

    def file_complete(self, file_size):
        return None
