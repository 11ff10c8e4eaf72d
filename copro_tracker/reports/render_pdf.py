"""PDF from the report's print HTML, through WeasyPrint: tagged PDF/UA-1, document language set.

WeasyPrint is imported here only, on first use (it costs about half a second to import, and it needs
the system's Pango libraries, which the rest of the app must not depend on). Nothing is ever fetched
over the network: the HTML carries no external references except our own stylesheet, and the URL
fetcher refuses anything but files under static/ (see `static_path`).
"""

from __future__ import annotations

from pathlib import Path
from urllib.parse import unquote, urlsplit

STATIC = Path(__file__).resolve().parent.parent.parent / "static"
STYLESHEET = STATIC / "reports" / "pdf.css"
PDF_VARIANT = "pdf/ua-1"


_DECODE_ROUNDS = 4


class NetworkRefused(ValueError):
    pass


def static_path(url: str) -> Path | None:
    """The file under static/ that a file: URL names, or None for anything else.

    The path is percent-decoded until it stops changing (so '%252e%252e' is read as '..', whichever layer
    might decode it), backslashes count as separators, and the result is resolved (symbolic links and '..'
    followed) before it must lie inside static/. The caller then fetches that resolved path, never the URL
    as given, so what is checked is what is read."""
    try:
        parts = urlsplit(url)
    except ValueError:
        return None
    if parts.scheme.lower() != "file" or parts.netloc.lower() not in ("", "localhost"):
        return None
    path = parts.path
    for _ in range(_DECODE_ROUNDS):
        try:
            decoded = unquote(path, errors="strict")
        except UnicodeDecodeError:
            return None
        if decoded == path:
            break
        path = decoded
    else:
        return None  # still changing: nothing of ours is encoded that deep
    path = path.replace("\\", "/")
    if not path.startswith("/") or "\x00" in path:
        return None
    try:
        target = Path(path).resolve()
    except (OSError, ValueError, RuntimeError):
        return None
    return target if target.is_relative_to(STATIC.resolve()) else None


def _fetcher():
    from weasyprint import URLFetcher

    class StaticOnlyFetcher(URLFetcher):
        """Serves files under static/ only; any other URL fails (WeasyPrint then skips the resource)."""

        def fetch(self, url: str, headers=None):
            target = static_path(url)
            if target is None:
                raise NetworkRefused(f"report PDFs never fetch {url!r}")
            return super().fetch(target.as_uri(), headers)

    return StaticOnlyFetcher(allowed_protocols={"file"})


def render_pdf(html: str) -> bytes:
    import weasyprint

    fetcher = _fetcher()
    document = weasyprint.HTML(string=html, base_url=str(STATIC) + "/", url_fetcher=fetcher)
    stylesheet = weasyprint.CSS(filename=str(STYLESHEET), url_fetcher=fetcher)
    return document.write_pdf(stylesheets=[stylesheet], pdf_variant=PDF_VARIANT)
