"""Evidence files: type from content, safe names, sha256, consent, safe downloads, clear rejections."""

from __future__ import annotations

import functools
import hashlib
import io
import struct
import tracemalloc
import zipfile

import pytest
from activity_fixtures import audit_actions, count, make_activity, team_fixture  # noqa: F401
from conftest import Page, login

from copro_tracker import storage
from copro_tracker.activities import filetypes
from copro_tracker.activities import service as activities_service
from copro_tracker.extensions import db
from copro_tracker.models import Evidence

PNG = b"\x89PNG\r\n\x1a\n" + b"\x00" * 64
PDF = b"%PDF-1.7\n%\xe2\xe3\xcf\xd3\n1 0 obj\n<<>>\nendobj\n%%EOF\n"
EXE = b"MZ\x90\x00\x03" + b"\x00" * 200


def _zip(entries: dict[str, bytes]) -> bytes:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        for name, data in entries.items():
            archive.writestr(name, data)
    return buffer.getvalue()


DOCX = _zip({"[Content_Types].xml": b"<Types/>", "word/document.xml": b"<w:document/>"})
ODT = _zip({"mimetype": b"application/vnd.oasis.opendocument.text", "content.xml": b"<office/>"})
BOMB_MB = 200


@functools.cache
def _bomb(kind: str, megabytes: int = BOMB_MB) -> bytes:
    """A small archive one of whose entries inflates to `megabytes` of spaces, built without holding them.

    Spaces, not zeros, because trailing spaces are what a careless ODT check strips off the `mimetype`."""
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", compression=zipfile.ZIP_DEFLATED) as archive:
        if kind == "docx":
            archive.writestr("[Content_Types].xml", b"<Types/>")
            big = "word/document.xml"
        else:
            big = "mimetype"
        with archive.open(big, "w") as entry:
            if kind == "odt":
                entry.write(b"application/vnd.oasis.opendocument.text")
            chunk = b" " * (1024 * 1024)
            for _ in range(megabytes):
                entry.write(chunk)
        if kind == "odt":
            archive.writestr("content.xml", b"<office/>")
    return buffer.getvalue()


def _understated(data: bytes, declared: int) -> bytes:
    """The same archive with every entry's uncompressed size rewritten, in both headers, as `declared`."""
    out = bytearray(data)
    with zipfile.ZipFile(io.BytesIO(data)) as archive:
        offsets = [info.header_offset for info in archive.infolist()]
        position = archive.start_dir
    for offset in offsets:
        struct.pack_into("<I", out, offset + 22, declared)
    while out[position : position + 4] == b"PK\x01\x02":
        struct.pack_into("<I", out, position + 24, declared)
        name, extra, comment = struct.unpack_from("<HHH", out, position + 28)
        position += 46 + name + extra + comment
    return bytes(out)


@pytest.fixture
def inflated(monkeypatch) -> list[int]:
    """Counts every byte any zip entry reader hands back, wherever in the app it is read."""
    total = [0]
    original = zipfile.ZipExtFile.read

    def counting(self, n=-1):
        data = original(self, n)
        total[0] += len(data)
        return data

    monkeypatch.setattr(zipfile.ZipExtFile, "read", counting)
    return total


@pytest.fixture(autouse=True)
def evidence_dir(app, tmp_path, monkeypatch):
    monkeypatch.setitem(app.config, "EVIDENCE_DIR", str(tmp_path / "evidence"))


@pytest.mark.parametrize(
    ("data", "name", "expected"),
    [
        (PDF, "minutes.pdf", "application/pdf"),
        (PNG, "photo.png", "image/png"),
        (b"\xff\xd8\xff\xe0" + b"0" * 20, "x.jpg", "image/jpeg"),
        (b"GIF89a" + b"0" * 20, "x.gif", "image/gif"),
        (DOCX, "plan.docx", filetypes.DOCX.content_type),
        (ODT, "plan.odt", filetypes.ODT.content_type),
        (b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + "WordDocument".encode("utf-16-le"), "old.doc", "application/msword"),
        ("Notes – café".encode(), "notes.txt", "text/plain"),
        (b"name,count\nA,1\n", "figures.csv", "text/csv"),
        (EXE, "minutes.pdf", None),
        (_zip({"evil.exe": EXE}), "plan.docx", None),
        (b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"Workbook", "sheet.doc", None),
        (b"text with a \x00 nul", "a.txt", None),
        (b"\xff\xfe not utf8 \x80", "a.txt", None),
        (b"", "empty.txt", None),
    ],
)
def test_type_is_sniffed_from_content(data, name, expected):
    kind = filetypes.sniff(data, name)
    assert (kind.content_type if kind else None) == expected


def test_archive_limits_are_checked_before_and_while_inflating(inflated):
    document = {"[Content_Types].xml": b"<Types/>", "word/document.xml": b"<w:document/>"}
    parts = {f"word/media/image{i}.png": b"x" for i in range(filetypes.MAX_ARCHIVE_ENTRIES - 1)}
    with pytest.raises(filetypes.ArchiveRefused, match="more than 1,000 separate parts"):
        filetypes.sniff(_zip(document | parts), "plan.docx")
    parts.popitem()
    assert filetypes.sniff(_zip(document | parts), "plan.docx") == filetypes.DOCX  # exactly at the limit
    # Ratio alone: 4 MB of spaces is under the size cap but packs about a thousand to one.
    with pytest.raises(filetypes.ArchiveRefused, match="200 times"):
        filetypes.sniff(_bomb("docx", 4), "plan.docx")
    # Sizes that lie: the index says 13 bytes, the data inflates to 200 MB. Never read past what was declared.
    inflated[0] = 0
    with pytest.raises(filetypes.ArchiveRefused, match="damaged"):
        filetypes.sniff(_understated(_bomb("docx"), 13), "plan.docx")
    assert inflated[0] <= 13 + len(b"<Types/>")
    # Methods whose decompressors cannot be bounded per read (bzip2 packs runs a million to one) are not documents.
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", compression=zipfile.ZIP_BZIP2) as archive:
        archive.writestr("[Content_Types].xml", b"<Types/>")
        archive.writestr("word/document.xml", b"<w:document/>")
    assert filetypes.sniff(buffer.getvalue(), "plan.docx") is None
    assert inflated[0] <= 13 + len(b"<Types/>")


def test_display_names_are_sanitised():
    assert filetypes.display_name("../../etc/pass\x00wd.pdf", filetypes.PDF) == "passwd.pdf"
    assert filetypes.display_name("C:\\Users\\me\\Café plan.png", filetypes.PNG) == "Café plan.png"
    assert filetypes.display_name("report.pdf", filetypes.PNG) == "report.png"
    assert filetypes.safe_name("Café plan.pdf", filetypes.PDF) == "Cafe_plan.pdf"


def _upload(client, team, data, name, **fields):
    payload = {"file": (io.BytesIO(data), name), "consent": "anonymised", "description": "Workshop notes"}
    payload.update(fields)
    return client.post(
        f"/initiatives/{team.initiative.id}/evidence/new", data=payload, content_type="multipart/form-data"
    )


def test_upload_and_download(client, team):
    activity = make_activity(team)
    login(client, team.partner)
    response = _upload(client, team, PDF, "Minutes – March.pdf", activity_id=str(activity.id))
    assert response.status_code == 302
    evidence = db.session.query(Evidence).one()
    assert evidence.activity_id == activity.id and evidence.content_type == "application/pdf"
    assert evidence.sha256 == hashlib.sha256(PDF).hexdigest() and evidence.size == len(PDF)
    assert evidence.filename == "Minutes – March.pdf"
    assert storage.read(evidence.storage_key) == PDF
    assert "evidence.uploaded" in audit_actions()

    response = client.get(f"/initiatives/{team.initiative.id}/evidence/{evidence.id}/download")
    assert response.status_code == 200 and response.data == PDF
    assert response.headers["Content-Type"] == "application/pdf"
    assert response.headers["X-Content-Type-Options"] == "nosniff"
    response.close()
    disposition = response.headers["Content-Disposition"]
    assert disposition.startswith("attachment;") and "filename*=UTF-8''Minutes%20%E2%80%93%20March.pdf" in disposition
    page = client.get(f"/initiatives/{team.initiative.id}/activities/{activity.id}")
    assert "Minutes – March.pdf" in page.get_data(as_text=True)


def test_a_png_named_pdf_is_stored_as_png(client, team):
    login(client, team.commissioner)
    assert _upload(client, team, PNG, "scan.pdf").status_code == 302
    evidence = db.session.query(Evidence).one()
    assert (evidence.content_type, evidence.filename) == ("image/png", "scan.png")


@pytest.mark.parametrize(
    ("data", "name", "message"),
    [
        (EXE, "minutes.pdf", "The selected file must be a PDF, Word"),
        (b"", "empty.txt", "The selected file is empty"),
    ],
)
def test_rejected_uploads_keep_the_rest_of_the_form(client, team, data, name, message):
    login(client, team.commissioner)
    response = _upload(client, team, data, name, description="Keep me")
    assert response.status_code == 200
    page = Page(response).check()
    assert page.errors()[0].startswith(message), page.errors()
    assert page.soup.select_one("textarea#description").text.strip() == "Keep me"
    assert page.soup.select_one("input[name=consent][value=anonymised][checked]")
    assert count(Evidence) == 0


@pytest.mark.parametrize(("kind", "name"), [("odt", "minutes.odt"), ("docx", "plan.docx")])
def test_archive_bombs_are_refused_with_a_form_error_and_nothing_stored(client, team, kind, name, inflated):
    bomb = _bomb(kind)
    assert len(bomb) < 400 * 1024  # a small upload, far under the size limit
    login(client, team.commissioner)
    tracemalloc.start()
    try:
        response = _upload(client, team, bomb, name, description="Keep me")
        _, peak = tracemalloc.get_traced_memory()
    finally:
        tracemalloc.stop()
    page = Page(response).check()
    assert response.status_code == 200
    assert page.errors() == [
        (
            "The selected file unpacks to more than 100 MB, too much to be a document we can check safely, "
            "so it was not saved. Save your document again, or as a PDF, and upload that copy"
        )
    ]
    assert page.soup.select_one("textarea#description").text.strip() == "Keep me"
    assert page.soup.select_one("input[name=consent][value=anonymised][checked]")
    assert count(Evidence) == 0
    assert storage.keys() == []
    assert inflated[0] <= 1024 * 1024  # the 200 MB were never inflated
    assert peak < 50 * 1024 * 1024


def test_an_archive_that_lies_about_its_sizes_is_refused(client, team, inflated):
    login(client, team.commissioner)
    page = Page(_upload(client, team, _understated(_bomb("docx"), 13), "plan.docx")).check()
    assert page.errors()[0].startswith("The selected file is damaged")
    assert count(Evidence) == 0
    assert inflated[0] <= 64 * 1024


def test_a_file_just_over_the_limit_gets_a_form_error(client, team, app, monkeypatch):
    monkeypatch.setitem(app.config, "MAX_CONTENT_LENGTH", 2048)
    monkeypatch.setitem(app.config, "UPLOAD_READ_CEILING", 4096)
    login(client, team.commissioner)
    page = Page(_upload(client, team, b"a" * 3000, "big.txt", description="Keep me")).check()
    assert page.errors()[0].startswith("The selected file must be smaller than")
    assert page.soup.select_one("textarea#description").text.strip() == "Keep me"
    # Only a request over the ceiling the server will read through is refused outright.
    huge = _upload(client, team, b"a" * 5000, "huge.txt")
    assert huge.status_code == 413
    assert count(Evidence) == 0


def test_a_file_well_over_the_limit_re_shows_the_form_keeping_description_and_consent(client, team, app, monkeypatch):
    # As a 25 MB file against the 20 MB limit: the form comes back with a message, not a bare 413 page.
    monkeypatch.setitem(app.config, "MAX_CONTENT_LENGTH", 4000)
    login(client, team.commissioner)
    page = Page(_upload(client, team, b"a" * 5000, "big.txt", description="Keep me", consent="aggregate_only")).check()
    assert page.errors()[0].startswith("The selected file must be smaller than")
    assert page.soup.select_one("textarea#description").text.strip() == "Keep me"
    assert page.soup.select_one("input[name=consent][value=aggregate_only][checked]")
    assert count(Evidence) == 0


def test_any_oversized_upload_re_shows_the_form_without_keeping_the_file(client, team, app, monkeypatch):
    # Fifty times the limit (as 1 GB against 20 MB): the description and consent that follow the file in the
    # request are still read, and of the file only one byte more than the limit is ever kept.
    monkeypatch.setitem(app.config, "MAX_CONTENT_LENGTH", 4000)
    kept: list[int] = []
    real = activities_service.upload_evidence
    monkeypatch.setattr(
        activities_service, "upload_evidence", lambda *a, **k: kept.append(len(k["data"])) or real(*a, **k)
    )
    login(client, team.commissioner)
    response = _upload(client, team, b"a" * 200_000, "huge.txt", description="Keep me", consent="aggregate_only")
    page = Page(response).check()
    assert response.status_code == 200
    assert page.errors()[0].startswith("The selected file must be smaller than")
    assert page.soup.select_one("textarea#description").text.strip() == "Keep me"
    assert page.soup.select_one("input[name=consent][value=aggregate_only][checked]")
    assert kept == [4001]
    assert count(Evidence) == 0


def test_missing_consent_and_file_are_explained(client, team):
    login(client, team.commissioner)
    response = client.post(
        f"/initiatives/{team.initiative.id}/evidence/new", data={"description": "x"}, content_type="multipart/form-data"
    )
    page = Page(response).check()
    assert page.errors() == ["Choose how this file can be used in reports", "Select a file to upload"] or set(
        page.errors()
    ) == {"Choose how this file can be used in reports", "Select a file to upload"}


def test_downloads_only_for_people_who_can_see_the_initiative(client, team, outsider):
    login(client, team.commissioner)
    _upload(client, team, PDF, "a.pdf")
    evidence = db.session.query(Evidence).one()
    url = f"/initiatives/{team.initiative.id}/evidence/{evidence.id}/download"
    for who in (outsider, team.nonmember):
        login(client, who)
        assert client.get(url).status_code == 404
    login(client, team.observer)
    response = client.get(url)
    assert response.status_code == 200
    response.close()
    assert _upload(client, team, PDF, "b.pdf").status_code == 403
