"""Uploads over the size limit come back to their form with a message, keeping what was typed.

A browser sends the whole form in one request body, and the fields after the file (the description, the
consent choice) arrive after the file's bytes. To re-show them, the server has to read past the file, but
it need not keep it: ``CappedFile`` keeps the first ``keep`` bytes (one more than the limit, so the service
can tell the file was too big) and counts the rest without storing them. Memory stays at the spool size and
disk at the limit, whatever the size of the upload; only a body over ``UPLOAD_READ_CEILING`` is refused
outright (the 413 page), so one request cannot hold a worker for ever.
"""

from __future__ import annotations

import tempfile
from typing import Any

from flask import current_app, request

# Werkzeug's own spooling threshold: small files stay in memory, the rest go to a temporary file.
SPOOL_BYTES = 500 * 1024


class CappedFile:
    """A file-like object for one uploaded file that stores at most ``keep`` bytes and counts all it was sent."""

    def __init__(self, keep: int) -> None:
        self.keep = keep
        self.received = 0
        self._file = tempfile.SpooledTemporaryFile(max_size=SPOOL_BYTES, mode="w+b")

    def write(self, data: bytes) -> int:
        room = self.keep - self.received
        if room > 0:
            self._file.write(data[:room])
        self.received += len(data)
        return len(data)

    @property
    def truncated(self) -> bool:
        return self.received > self.keep

    def __getattr__(self, name: str) -> Any:
        # read, seek, tell, close...: everything else is the stored part's.
        return getattr(self._file, name)


def capped_stream_factory(keep: int):
    """A Werkzeug stream factory (``Request._get_file_stream``) giving each uploaded file a ``CappedFile``."""

    def factory(
        total_content_length: int | None, content_type: str | None, filename: str | None, content_length=None
    ) -> CappedFile:
        return CappedFile(keep)

    return factory


def allow_oversize(blueprint, endpoint: str) -> None:
    """Let POSTs to ``endpoint`` read past an oversized file (up to UPLOAD_READ_CEILING) so the form can be
    re-shown with an error; registered first, because CSRF protection reads the form."""

    @blueprint.record_once
    def _register(state) -> None:
        def allowance() -> None:
            limit = current_app.config.get("MAX_CONTENT_LENGTH")
            if limit and request.method == "POST" and request.endpoint == endpoint:
                request.max_content_length = current_app.config["UPLOAD_READ_CEILING"]
                request._get_file_stream = capped_stream_factory(limit + 1)

        state.app.before_request_funcs.setdefault(None, []).insert(0, allowance)
