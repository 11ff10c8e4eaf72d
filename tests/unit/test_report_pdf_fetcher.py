"""The PDF renderer's URL fetcher serves files under static/ and nothing else, however the URL is spelt."""

from __future__ import annotations

import pytest

from copro_tracker.reports import render_pdf
from copro_tracker.reports.render_pdf import STATIC, NetworkRefused

OUTSIDE = [
    f"file://{STATIC}/%2e%2e/pyproject.toml",
    f"file://{STATIC}/%2E%2E/%2e%2e/%2e%2e/etc/passwd",
    f"file://{STATIC}/reports/%252e%252e/%252e%252e/pyproject.toml",
    f"file://{STATIC}/reports/%25252e%25252e/%25252e%25252e/pyproject.toml",
    f"file://{STATIC}/..%2fpyproject.toml",
    f"file://{STATIC}/..%5cpyproject.toml",
    f"file://{STATIC}\\..\\pyproject.toml",
    f"file://{STATIC}/reports/../../pyproject.toml",
    f"file:{STATIC}/../pyproject.toml",
    "file:///etc/passwd",
    "file:///etc/passwd?x=/static/reports/pdf.css",
    f"file://evil.example{STATIC}/reports/pdf.css",
    f"file://{STATIC}/reports/pdf.css%00.png",
    "http://127.0.0.1/static/reports/pdf.css",
    "https://evil.example/x.css",
    "data:text/css,body{}",
    "ftp://evil.example/x",
    "/etc/passwd",
    f"file://{STATIC}/reports/%ff%fe.css",
    "",
]


@pytest.mark.parametrize("url", OUTSIDE)
def test_urls_outside_static_are_refused(url):
    assert render_pdf.static_path(url) is None


@pytest.mark.parametrize("url", OUTSIDE)
def test_the_fetcher_refuses_them(url):
    with pytest.raises((NetworkRefused, ValueError)):
        render_pdf._fetcher().fetch(url)


def test_the_percent_encoded_climb_no_longer_reads_the_project_files():
    # This URL used to pass the check (the literal '%2e%2e' folder is "inside" static/) and then
    # urllib decoded it to '..' and served the file beside static/.
    with pytest.raises(NetworkRefused):
        render_pdf._fetcher().fetch(f"file://{STATIC}/%2e%2e/pyproject.toml")


@pytest.mark.parametrize(
    "url",
    [
        f"file://{STATIC}/reports/pdf.css",
        f"FILE://localhost{STATIC}/reports/pdf.css",
        f"file://{STATIC}/reports/./pdf.css?v=1#top",
        f"file://{STATIC}/reports/%70df.css",
    ],
)
def test_files_under_static_are_served(url):
    assert render_pdf.static_path(url) == (STATIC / "reports" / "pdf.css").resolve()
    response = render_pdf._fetcher().fetch(url)
    try:
        assert response.read() == (STATIC / "reports" / "pdf.css").read_bytes()
    finally:
        response.close()
