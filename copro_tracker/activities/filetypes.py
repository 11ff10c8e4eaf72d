"""What kind of file an upload really is, decided from its content, never from its name.

Pure functions, unit-tested directly. A file whose name says one thing and whose content says
another is stored as what its content is (a "report.pdf" that is really a PNG is kept as a PNG and
downloads as "report.png"). Anything not on the list, such as a program renamed "minutes.pdf", is
refused. Plain text and CSV cannot be told apart by content alone: content decides that a file is
text (valid UTF-8, no NUL bytes), and only then does a ".csv" name make it CSV.
"""

from __future__ import annotations

import io
import re
import unicodedata
import zipfile
from dataclasses import dataclass

from werkzeug.utils import secure_filename


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

ALLOWED_DESCRIPTION = "PDF, Word (.docx or .doc), OpenDocument text (.odt), PNG, JPEG, GIF, plain text or CSV"

_OLE = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"


def _zip_type(data: bytes) -> FileType | None:
    try:
        archive = zipfile.ZipFile(io.BytesIO(data))
        names = set(archive.namelist())
        if "mimetype" in names and archive.read("mimetype").strip() == ODT.content_type.encode():
            return ODT
        if "[Content_Types].xml" in names and "word/document.xml" in names:
            return DOCX
    except (zipfile.BadZipFile, OSError, ValueError, KeyError, RuntimeError, NotImplementedError):
        return None
    return None


def sniff(data: bytes, filename: str = "") -> FileType | None:
    """The allowed type the content really is, or None."""
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
