"""The privacy notice says in plain English what issue 13 built: need to know, anonymised sharing, your data,
corrections, consent to being named, and checked erasure."""

from __future__ import annotations

from conftest import get_page


def test_the_privacy_notice_describes_peoples_rights_and_need_to_know(client):
    text = get_page(client, "/privacy").text()
    for promise in (
        "other members only see that adjustments were arranged",
        "each time someone else looks at them, that is recorded",
        "Shared links are anonymised unless the person sharing chooses otherwise",
        "fewer than 5",
        "download a copy as a spreadsheet (CSV)",
        "ask for something to be corrected",
        "say whether reports can use your name",
        "ask for your details to be erased",
        "legal hold",
        "still proves that the rest of the record has not been changed",
        "can withdraw it and must say why",
        "Evidence files: 2 years",
        "Receipts uploaded with expense claims: 6 years",
        "nothing it covers is disposed of",
        "they must type their password again",
    ):
        assert promise in text, promise
