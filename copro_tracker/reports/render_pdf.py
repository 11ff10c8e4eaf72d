"""PDF from the report's print HTML, through WeasyPrint: tagged PDF/UA-1, document language set, and every
structure element in another language than the one around it tagged with its own /Lang (`_languages`).

WeasyPrint is imported here only, on first use (it costs about half a second to import, and it needs
the system's Pango libraries, which the rest of the app must not depend on). Nothing is ever fetched
over the network: the HTML carries no external references except our own stylesheet, and the URL
fetcher refuses anything but files under static/ (see `static_path`).
"""

from __future__ import annotations

from collections.abc import Callable
from contextvars import ContextVar
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


# --- each structure element's language -------------------------------------------------------------
#
# PDF/UA (ISO 14289-1 7.2) wants every change of natural language identified, and ISO 32000-1 14.9.2 gives a
# structure element a /Lang of its own. WeasyPrint 70 writes only the document's /Lang (from <html lang>) and
# drops the lang of the elements inside, so a bilingual report read the English sections of a Welsh PDF in
# a Welsh voice. Its tag tree is built box by box in weasyprint.pdf.tags._build_box_tree, a generator that
# yields each box's structure element; wrapping it is the one place where a structure element and the HTML
# it came from (the box's computed `lang`, inherited as in HTML) are both known, so no guessing from the
# finished file's order or text, and no second library to re-read and re-write the PDF. The wrapper only
# notes each element's language while a report is being written (`_noted` is set); the finisher that
# WeasyPrint calls once the tree is complete then gives /Lang to each element whose language differs from
# its structure parent's (the document's at the top). pyproject pins WeasyPrint to 70.x; the tests read the
# tags back, so an upgrade that renames the builder fails them rather than silently losing the languages.

_noted: ContextVar[dict[int, str] | None] = ContextVar("pdf_element_languages", default=None)


def _note_languages() -> None:
    """Wrap WeasyPrint's tag-tree builder (once per process) so it notes each element's language."""
    from weasyprint.pdf import tags

    build = tags._build_box_tree
    if getattr(build, "notes_languages", False):
        return

    def build_noting_languages(box, parent, pdf, *args):
        noted = _noted.get()
        for element in build(box, parent, pdf, *args):
            # The first call to yield an element made it: <html> and <body> pass their children's on.
            if noted is not None and element.number not in noted and box.style["lang"]:
                noted[element.number] = box.style["lang"]
            yield element

    build_noting_languages.notes_languages = True
    tags._build_box_tree = build_noting_languages


def _object_number(reference: bytes) -> int:
    return int(reference.split(None, 1)[0])


def _languages(noted: dict[int, str]) -> Callable:
    """The finisher: /Lang on each noted element whose language is not the one it inherits."""
    import pydyf

    def finish(_document, pdf) -> None:
        document = pdf.catalog.get("Lang")
        document_lang = (document.string if document is not None else "").lower()

        def inherited(number: int) -> str:
            # An element's nearest noted ancestor in the structure tree (a nested list hangs from its outer
            # list, not from the item it is written in); the Document element and root are never noted.
            parent = _object_number(pdf.objects[number]["P"])
            while parent not in noted:
                element = pdf.objects[parent]
                if not isinstance(element, dict) or "P" not in element:
                    return document_lang
                parent = _object_number(element["P"])
            return noted[parent].lower()

        for number, lang in noted.items():
            if lang.lower() != inherited(number):
                pdf.objects[number]["Lang"] = pydyf.String(lang)

    return finish


def _write(document) -> bytes:
    """The laid-out document as tagged PDF/UA, with each element's language where it changes."""
    _note_languages()
    noted: dict[int, str] = {}
    token = _noted.set(noted)
    try:
        return document.write_pdf(pdf_variant=PDF_VARIANT, finisher=_languages(noted))
    finally:
        _noted.reset(token)


def render_pdf(html: str) -> bytes:
    """One HTML document as one PDF (WeasyPrint lays it out whole: keep it short, see render_report_pdf)."""
    import weasyprint

    fetcher = _fetcher()
    document = weasyprint.HTML(string=html, base_url=str(STATIC) + "/", url_fetcher=fetcher)
    stylesheet = weasyprint.CSS(filename=str(STYLESHEET), url_fetcher=fetcher)
    return _write(document.render(stylesheets=[stylesheet], pdf_variant=PDF_VARIANT))


def css_string(text: str) -> str:
    """`text` as a CSS string literal, safe inside a <style> element."""
    escaped = "".join(f"\\{ord(c):x} " if c in '\\"<>&\n\r' or ord(c) < 32 else c for c in text)
    return f'"{escaped}"'


def render_report_pdf(reports, progress: Callable[[int, int], None] | None = None) -> bytes:
    """The report's PDF, laid out part by part (render_html.print_parts) and joined into one tagged PDF.

    `reports` is the report, or its language versions with the main language first (a bilingual PDF); the
    PDF's /Lang is the main language.

    Each part is a short document of its own, so the layout time grows linearly with the report; the
    parts' pages are numbered on from each other and their links and headings join into one document.
    `progress(done, total)` is called after each part is laid out.
    """
    import weasyprint
    from markupsafe import Markup

    from .render_html import print_parts, render_print_part

    fetcher = _fetcher()
    stylesheet = weasyprint.CSS(filename=str(STYLESHEET), url_fetcher=fetcher)
    main = reports if not isinstance(reports, (list, tuple)) else reports[0]
    parts = print_parts(reports)
    running_title = Markup(css_string(main.title))  # noqa: S704 - css_string escapes < > & " and \\
    documents = []
    pages = 0
    for index, blocks in enumerate(parts):
        html = render_print_part(reports, blocks, first=index == 0, first_page=pages + 1, running_title=running_title)
        document = weasyprint.HTML(string=html, base_url=str(STATIC) + "/", url_fetcher=fetcher).render(
            stylesheets=[stylesheet], pdf_variant=PDF_VARIANT
        )
        pages += len(document.pages)
        documents.append(document)
        if progress is not None:
            progress(index + 1, len(parts))
    joined = documents[0].copy([page for document in documents for page in document.pages])
    return _write(joined)
