"""What kind of file an upload really is, decided from its content, never from its name.

Pure functions, unit-tested directly. A file whose name says one thing and whose content says
another is stored as what its content is (a "report.pdf" that is really a PNG is kept as a PNG and
downloads as "report.png"). Anything not on the list, such as a program renamed "minutes.pdf", is
refused. Plain text and CSV cannot be told apart by content alone: content decides that a file is
text (valid UTF-8, no NUL bytes), and only then does a ".csv" name make it CSV.

Word (.docx) and OpenDocument files are zip archives, and a zip can hold a "bomb": a few hundred
kilobytes that inflate to gigabytes, to exhaust the server's memory or the reader's. So an archive is
checked in two steps, and refused with `ArchiveRefused` (its message is for the person uploading):
first its index (the central directory) is read without inflating anything: the number of entries,
each entry's declared size, their total and each entry's compression ratio; then, only for an archive
about to be accepted, every entry is inflated in small chunks and discarded, with a hard count of the
bytes actually produced, so an index that understates sizes cannot push the count past the caps, and
an entry that does not match its index (size or checksum) is refused as damaged. Only the two methods
office suites write are read (stored and deflate); zipfile inflates those within a bounded buffer per
read, where bzip2 and LZMA could produce gigabytes from one small read.
"""

from __future__ import annotations

import io
import re
import unicodedata
import zipfile
import zlib
from dataclasses import dataclass

from werkzeug.utils import secure_filename

from ..codes import N_


@dataclass(frozen=True)
class FileType:
    content_type: str
    extension: str
    description: str


PDF = FileType("application/pdf", "pdf", "PDF")
PNG = FileType("image/png", "png", "PNG image")
JPEG = FileType("image/jpeg", "jpg", "JPEG image")
GIF = FileType("image/gif", "gif", "GIF image")
DOC = FileType("application/msword", "doc", "Word document")
DOCX = FileType("application/vnd.openxmlformats-officedocument.wordprocessingml.document", "docx", "Word document")
ODT = FileType("application/vnd.oasis.opendocument.text", "odt", "OpenDocument text")
TEXT = FileType("text/plain", "txt", "Plain text")
CSV = FileType("text/csv", "csv", "CSV spreadsheet")

ALLOWED_DESCRIPTION = N_("PDF, Word (.docx or .doc), OpenDocument text (.odt), PNG, JPEG, GIF, plain text or CSV")

_OLE = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"

# Generous for real documents (a long report with images has a few hundred entries, a few MB of XML,
# and XML deflates about 5 to 20 to one); far below what a bomb needs to do harm.
MAX_ARCHIVE_ENTRIES = 1_000
MAX_UNPACKED_BYTES = 100 * 1024 * 1024  # each entry, and all entries together
MAX_RATIO = 200
RATIO_APPLIES_FROM = 1024 * 1024  # tiny entries (an empty styles part) may pack tighter; they cannot harm
_MIMETYPE_BYTES = 256  # an ODT's `mimetype` entry is the 39-byte media type; more is not an ODT
_CHUNK = 64 * 1024
_READABLE_METHODS = {zipfile.ZIP_STORED, zipfile.ZIP_DEFLATED}

# Each refusal is one whole sentence to translate, with its limit as a value (LIMITS).
TOO_MANY_PARTS = N_(
    "The selected file contains more than %(count)s separate parts, far more than a real document, so it was not "
    "saved. Save your document again, or as a PDF, and upload that copy"
)
TOO_BIG_UNPACKED = N_(
    "The selected file unpacks to more than %(mb)s MB, too much to be a document we can check safely, so it was not "
    "saved. Save your document again, or as a PDF, and upload that copy"
)
TOO_TIGHTLY_PACKED = N_(
    "Part of the selected file unpacks to more than %(max)s times its stored size, which real documents never do "
    "(it is how a \u201czip bomb\u201d attacks a server), so it was not saved. Save your document again, or as a "
    "PDF, and upload that copy"
)
DAMAGED = N_(
    "The selected file is damaged: its contents do not match its own index, so it was not saved. "
    "Save your document again and upload the new copy"
)
LIMITS: dict[str, dict[str, object]] = {
    TOO_MANY_PARTS: {"count": f"{MAX_ARCHIVE_ENTRIES:,}"},
    TOO_BIG_UNPACKED: {"mb": MAX_UNPACKED_BYTES // (1024 * 1024)},
    TOO_TIGHTLY_PACKED: {"max": MAX_RATIO},
}


class ArchiveRefused(Exception):
    """A zip-based upload that is, or behaves like, an archive bomb. The message is shown on the form: ``str()``
    is the English sentence; ``message`` and ``values`` let a service say it in the reader's language."""

    def __init__(self, message: str) -> None:
        self.message = message
        self.values = LIMITS.get(message, {})
        super().__init__(message % self.values if self.values else message)


def _check_index(infos: list[zipfile.ZipInfo]) -> None:
    """Refuse from the central directory alone, before a single byte is inflated."""
    if len(infos) > MAX_ARCHIVE_ENTRIES:
        raise ArchiveRefused(TOO_MANY_PARTS)
    total = 0
    for info in infos:
        total += info.file_size
        if info.file_size > MAX_UNPACKED_BYTES or total > MAX_UNPACKED_BYTES:
            raise ArchiveRefused(TOO_BIG_UNPACKED)
        if info.file_size > RATIO_APPLIES_FROM and info.file_size > MAX_RATIO * max(info.compress_size, 1):
            raise ArchiveRefused(TOO_TIGHTLY_PACKED)


def _inflate(archive: zipfile.ZipFile, info: zipfile.ZipInfo, limit: int, keep: int = 0) -> tuple[bytes, int]:
    """Inflate one entry in chunks, keeping only its first `keep` bytes; refuse past `limit` bytes produced.

    `limit` is never more than the entry's declared size, so the declared sizes (already checked against
    the caps) bound the work even if the reader underneath were to believe the data over the index."""
    kept = bytearray()
    produced = 0
    try:
        with archive.open(info) as entry:
            while chunk := entry.read(_CHUNK):
                produced += len(chunk)
                if produced > limit:
                    raise ArchiveRefused(DAMAGED if produced > info.file_size else TOO_BIG_UNPACKED)
                if len(kept) < keep:
                    kept += chunk[: keep - len(kept)]
    except (zipfile.BadZipFile, EOFError, zlib.error, OSError, ValueError, NotImplementedError, RuntimeError) as error:
        # The checksum or length disagrees with the index, or a header is broken.
        raise ArchiveRefused(DAMAGED) from error
    if produced != info.file_size:
        raise ArchiveRefused(DAMAGED)
    return bytes(kept), produced


def _inflate_all(archive: zipfile.ZipFile, infos: list[zipfile.ZipInfo]) -> None:
    budget = MAX_UNPACKED_BYTES
    for info in infos:
        _, produced = _inflate(archive, info, min(info.file_size, budget))
        budget -= produced


def _zip_type(data: bytes) -> FileType | None:
    try:
        archive = zipfile.ZipFile(io.BytesIO(data))
        infos = archive.infolist()
    except (zipfile.BadZipFile, OSError, ValueError, EOFError, RuntimeError, NotImplementedError):
        return None
    _check_index(infos)
    if any(info.compress_type not in _READABLE_METHODS or info.flag_bits & 0x1 for info in infos):
        return None  # another compression method or encrypted: not what an office suite writes
    by_name = {info.filename: info for info in infos}
    kind = None
    mimetype = by_name.get("mimetype")
    if mimetype is not None and mimetype.file_size <= _MIMETYPE_BYTES:
        head, _ = _inflate(archive, mimetype, mimetype.file_size, keep=_MIMETYPE_BYTES)
        if head.strip() == ODT.content_type.encode():
            kind = ODT
    if kind is None and "[Content_Types].xml" in by_name and "word/document.xml" in by_name:
        kind = DOCX
    if kind is not None:
        _inflate_all(archive, infos)
    return kind


def sniff(data: bytes, filename: str = "") -> FileType | None:
    """The allowed type the content really is, or None. Raises ArchiveRefused for an archive bomb."""
    if not data:
        return None
    if data.startswith(b"%PDF-"):
        return PDF
    if data.startswith(b"\x89PNG\r\n\x1a\n"):
        return PNG
    if data.startswith(b"\xff\xd8\xff"):
        return JPEG
    if data.startswith((b"GIF87a", b"GIF89a")):
        return GIF
    if data.startswith(_OLE):
        # An OLE container is also used by Excel, PowerPoint and installers: only a Word stream counts.
        return DOC if "WordDocument".encode("utf-16-le") in data else None
    if data.startswith(b"PK\x03\x04"):
        return _zip_type(data)
    if b"\x00" in data:
        return None
    try:
        data.decode("utf-8")
    except UnicodeDecodeError:
        return None
    return CSV if filename.lower().endswith(".csv") else TEXT


def display_name(filename: str, kind: FileType) -> str:
    """A readable name to show and download as: no path, no control characters, the right extension."""
    name = unicodedata.normalize("NFC", filename or "").replace("\\", "/").rsplit("/", 1)[-1]
    name = "".join(ch for ch in name if unicodedata.category(ch)[0] != "C").strip().strip(".")
    stem = name.rsplit(".", 1)[0] if "." in name else name
    stem = re.sub(r"\s+", " ", stem).strip()[:150] or "evidence"
    return f"{stem}.{kind.extension}"


def safe_name(filename: str, kind: FileType) -> str:
    """An ASCII-only fallback name (werkzeug's secure_filename) for old clients."""
    stem = secure_filename(display_name(filename, kind).rsplit(".", 1)[0]) or "evidence"
    return f"{stem}.{kind.extension}"
