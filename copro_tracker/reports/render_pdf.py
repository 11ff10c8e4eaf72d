"""PDF from the report's print HTML, through WeasyPrint: tagged PDF/UA-1, document language set.

WeasyPrint is imported here only, on first use (it costs about half a second to import, and it needs
the system's Pango libraries, which the rest of the app must not depend on). Nothing is ever fetched
over the network: the HTML carries no external references except our own stylesheet, and the URL
fetcher refuses anything but files under static/.
"""

from __future__ import annotations

from pathlib import Path

STATIC = Path(__file__).resolve().parent.parent.parent / "static"
STYLESHEET = STATIC / "reports" / "pdf.css"
PDF_VARIANT = "pdf/ua-1"


class NetworkRefused(ValueError):
    pass


def _fetcher():
    from weasyprint import URLFetcher

    class StaticOnlyFetcher(URLFetcher):
        """Serves file: URLs under static/ only; any other URL fails (WeasyPrint then skips the resource)."""

        def fetch(self, url: str, headers=None):
            if url.startswith("file:"):
                target = Path(url.removeprefix("file://").split("?", 1)[0]).resolve()
                if target.is_relative_to(STATIC):
                    return super().fetch(url, headers)
            raise NetworkRefused(f"report PDFs never fetch {url!r}")

    return StaticOnlyFetcher(allowed_protocols={"file"})


def render_pdf(html: str) -> bytes:
    import weasyprint

    fetcher = _fetcher()
    document = weasyprint.HTML(string=html, base_url=str(STATIC) + "/", url_fetcher=fetcher)
    stylesheet = weasyprint.CSS(filename=str(STYLESHEET), url_fetcher=fetcher)
    return document.write_pdf(stylesheets=[stylesheet], pdf_variant=PDF_VARIANT)
