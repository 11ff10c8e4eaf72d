"""A tagged PDF's text by language, read back as a screen reader would: each structure element's marked content
in the language of its nearest /Lang (the element's own, else its parent's, up to the document's)."""

from __future__ import annotations

from collections import defaultdict

from pypdf import PdfReader


def _marked_texts(page) -> dict[int, str]:
    """The text of each marked-content id on a page."""
    open_ids: list[int | None] = []
    texts: dict[int, str] = defaultdict(str)

    def before(operator, operands, cm, tm):
        if operator == b"BDC":
            properties = operands[1] if len(operands) > 1 else None
            open_ids.append(properties.get("/MCID") if hasattr(properties, "get") else None)
        elif operator == b"BMC":
            open_ids.append(None)
        elif operator == b"EMC" and open_ids:
            open_ids.pop()

    def text(value, cm, tm, font, size):
        mcid = next((m for m in reversed(open_ids) if m is not None), None)
        if mcid is not None:
            texts[mcid] += value

    page.extract_text(visitor_operand_before=before, visitor_text=text)
    return texts


def text_by_language(reader: PdfReader) -> dict[str, str]:
    root = reader.trailer["/Root"]
    pages = {page.indirect_reference.idnum: index for index, page in enumerate(reader.pages)}
    marked = [_marked_texts(page) for page in reader.pages]
    found: dict[str, list[str]] = defaultdict(list)

    def walk(node, lang: str, page: int | None) -> None:
        node = node.get_object()
        lang = str(node.get("/Lang", lang))
        if "/Pg" in node:
            page = pages[node.raw_get("/Pg").idnum]
        kids = node.get("/K")
        if kids is None:
            return
        for kid in kids if isinstance(kids, list) else [kids]:
            if isinstance(kid, int):
                found[lang].append(marked[page].get(kid, ""))
            elif kid.get_object().get("/Type") not in ("/OBJR", "/MCR"):
                walk(kid, lang, page)

    walk(root["/StructTreeRoot"], str(root["/Lang"]), None)
    return {lang: " ".join(texts) for lang, texts in found.items()}


def element_languages(reader: PdfReader) -> list[str]:
    """Every /Lang given to a structure element below the document, in tree order."""
    out = []

    def walk(node) -> None:
        node = node.get_object()
        if "/Lang" in node:
            out.append(str(node["/Lang"]))
        kids = node.get("/K")
        for kid in kids if isinstance(kids, list) else [kids] if kids is not None else []:
            if not isinstance(kid, int) and kid.get_object().get("/Type") not in ("/OBJR", "/MCR"):
                walk(kid)

    walk(reader.trailer["/Root"]["/StructTreeRoot"])
    return out
