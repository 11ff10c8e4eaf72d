"""Readable history pages built from the audit chain: timelines, diffs, filters, CSV, as-at views, erasure."""

from __future__ import annotations

import csv
import io
import json
from contextlib import contextmanager
from datetime import UTC, date, datetime, timedelta
from zoneinfo import ZoneInfo

import sqlalchemy as sa
from conftest import get_page
from initiative_factories import make_initiative

from copro_tracker import labels
from copro_tracker.audit import history
from copro_tracker.domain.messages import sort_key
from copro_tracker.extensions import db
from copro_tracker.formatting import format_datetime
from copro_tracker.models import AuditEvent, AuditValue, Initiative

NOW = datetime(2026, 11, 26, 12)


@contextmanager
def app_request(client):
    with client.application.test_request_context():
        yield


def test_timeline_names_people_and_shows_field_diffs(client, commissioner, partner, login_as):
    initiative = make_initiative(commissioner, partner)
    login_as(commissioner)
    form = {
        "title": "Day opportunities, version two",
        "summary": "New summary",
        "service_area": "Day services",
        "statutory_functions": ["prevention"],
        "level": "collective",
        "version": str(initiative.version),
    }
    assert client.post(f"/initiatives/{initiative.id}/edit", data=form).status_code == 302
    page = get_page(client, f"/initiatives/{initiative.id}/history")
    text = page.text()
    assert "Tom Commissioner (commissioner) started the initiative" in text
    assert "Redesigning day opportunities" in text and "Day opportunities, version two" in text  # before and after
    assert "added a member" in text


def test_filters_and_csv_export_is_audited(client, commissioner, partner, login_as):
    initiative = make_initiative(commissioner, partner)
    login_as(commissioner)
    page = get_page(client, f"/initiatives/{initiative.id}/history?action=membership.joined")
    titles = " ".join(t.get_text(" ", strip=True) for t in page.soup.select(".app-timeline__title"))
    assert "added a member" in titles and "started the initiative" not in titles
    chosen = page.soup.select_one("#filter-action option[selected]")
    assert chosen["value"] == "membership.joined" and chosen.get_text() == "Someone added a member"
    tomorrow = (date.today() + timedelta(days=1)).isoformat()
    assert "Nothing matches" in get_page(client, f"/initiatives/{initiative.id}/history?from={tomorrow}").text()
    bad = get_page(client, f"/initiatives/{initiative.id}/history?from=31-02-2026")
    assert "'From' must be a real date" in bad.text()
    response = client.get(f"/initiatives/{initiative.id}/history?download=csv&person={commissioner.id}")
    rows = list(csv.DictReader(io.StringIO(response.get_data(as_text=True))))
    assert response.mimetype == "text/csv" and rows
    assert {r["who"] for r in rows} == {"Tom Commissioner (commissioner)"}
    assert "audit.exported" in set(db.session.scalars(sa.select(AuditEvent.action)))


def test_history_csv_defuses_cells_a_spreadsheet_would_run_as_formulas(client, commissioner, login_as):
    initiative = make_initiative(commissioner, title='=HYPERLINK("http://x","y")')
    login_as(commissioner)
    form = {
        "title": "@SUM(1)",
        "summary": "+cmd|' /C calc'!A0",
        "service_area": "-2+3",
        "statutory_functions": ["prevention"],
        "level": "collective",
        "version": str(initiative.version),
    }
    assert client.post(f"/initiatives/{initiative.id}/edit", data=form).status_code == 302
    response = client.get(f"/initiatives/{initiative.id}/history?download=csv")
    rows = list(csv.DictReader(io.StringIO(response.get_data(as_text=True))))
    cells = {cell for row in rows for cell in row.values()}
    assert '\'=HYPERLINK("http://x","y")' in cells
    assert {"'@SUM(1)", "'+cmd|' /C calc'!A0", "'-2+3"} <= cells
    dangerous = ("=", "+", "-", "@", "\t", "\r", "\uff1d", "\uff0b", "\uff0d", "\uff20")
    assert not [c for c in cells if c.startswith(dangerous)]


def test_as_at_view_shows_the_record_on_a_past_date(client, commissioner, login_as):
    initiative = make_initiative(commissioner)
    login_as(commissioner)
    today = date.today().isoformat()
    page = get_page(client, f"/initiatives/{initiative.id}/history/initiative/{initiative.id}?as_at={today}")
    assert "Redesigning day opportunities" in page.text()
    yesterday = (date.today() - timedelta(days=1)).isoformat()
    page = get_page(client, f"/initiatives/{initiative.id}/history/initiative/{initiative.id}?as_at={yesterday}")
    assert "did not exist on that date" in page.text()


def test_personal_text_is_kept_out_of_the_chain_and_can_be_erased(client, commissioner, login_as):
    initiative = make_initiative(commissioner)
    payloads = " ".join(db.session.scalars(sa.select(AuditEvent.payload)))
    assert "Redesigning day opportunities" not in payloads  # only salted references are hashed
    for value in db.session.scalars(sa.select(AuditValue)):
        value.value = None
        value.salt = None
    db.session.commit()
    login_as(commissioner)
    today = date.today().isoformat()
    page = get_page(client, f"/initiatives/{initiative.id}/history/initiative/{initiative.id}?as_at={today}")
    assert "removed at the person's request" in page.text("dl")
    assert "Redesigning day opportunities" not in page.text("dl")
    assert db.session.get(Initiative, initiative.id).title  # the live record is untouched by erasure of history


def test_other_people_cannot_read_history(client, commissioner, outsider, login_as):
    initiative = make_initiative(commissioner)
    login_as(outsider)
    assert client.get(f"/initiatives/{initiative.id}/history").status_code == 404
    assert client.get(f"/initiatives/{initiative.id}/history?download=csv").status_code == 404


def test_history_shows_when_past_work_happened_and_when_it_was_recorded(client, commissioner, partner, login_as):
    from copro_tracker.initiatives import service as initiatives

    initiative = make_initiative(commissioner)
    membership = initiatives.add_member(commissioner, initiative, partner, "member", date(2025, 2, 3))
    initiatives.set_tenure(commissioner, initiative, membership, date(2025, 2, 3), date(2025, 6, 30))
    login_as(commissioner)
    page = get_page(client, f"/initiatives/{initiative.id}/history")
    text = page.text()
    assert "Happened: date they joined 3 February 2025 · recorded" in text
    assert "Happened: date they left 30 June 2025 · recorded" in text
    assert "recorded when a member joined or left" in text
    rows = list(
        csv.DictReader(
            io.StringIO(client.get(f"/initiatives/{initiative.id}/history?download=csv").get_data(as_text=True))
        )
    )
    assert any(r["happened"] == "date they joined 3 February 2025" for r in rows)


def _event(seq: int, actor_id: int, action: str, entity: str, changes: dict, at: datetime) -> AuditEvent:
    # Never added to the session: describe() only reads the event's fields.
    payload = json.dumps({"changes": {k: {"before": b, "after": a} for k, (b, a) in changes.items()}})
    return AuditEvent(seq=seq, occurred_at=at, actor_id=actor_id, action=action, entity_type=entity, payload=payload)


def test_history_sentences_word_codes_dates_and_lists_as_the_rest_of_the_tracker(app, commissioner):
    with app.test_request_context():
        entries = history.describe(
            commissioner.organisation_id,
            [
                _event(
                    7,
                    commissioner.id,
                    "stage.updated",
                    "stage",
                    {"status": ("in_progress", "awaiting_signoff")},
                    datetime(2026, 7, 1, 12),
                ),
                _event(
                    8, commissioner.id, "activity.updated", "activity", {"kind": ("workshop", "steering_group")}, NOW
                ),
                _event(9, commissioner.id, "activity.updated", "activity", {"occurred_on": ("2026-03-27", None)}, NOW),
                _event(
                    10,
                    commissioner.id,
                    "initiative.updated",
                    "initiative",
                    {"statutory_functions": (["prevention"], ["prevention", "market_shaping"])},
                    NOW,
                ),
                _event(
                    11, commissioner.id, "initiative.updated", "initiative", {"service_area": ("Day", "Night")}, NOW
                ),
            ],
        )
    sentences = [e.sentence for e in entries]
    assert sentences[0] == (
        "Tom Commissioner (commissioner) changed the stage status from In progress to Awaiting sign-off"
    )
    assert sentences[1].endswith("changed the activity kind from Workshop to Steering group meeting"), sentences[1]
    assert sentences[2].endswith("changed the activity date from 27 March 2026 to blank"), sentences[2]
    assert "from Prevention" in sentences[3] and "to Prevention, Market shaping and commissioning" in sentences[3], (
        sentences[3]
    )
    # Text someone typed is quoted, so it cannot be read as part of the sentence.
    assert sentences[4].endswith("changed the initiative service area from “Day” to “Night”"), sentences[4]
    assert not any("'" in s or "_" in s for s in sentences[:4])


def test_history_times_are_on_the_uk_clock_in_summer_and_winter(client, commissioner, login_as):
    initiative = make_initiative(commissioner)
    login_as(commissioner)
    page = get_page(client, f"/initiatives/{initiative.id}/history")
    meta = page.soup.select_one(".app-timeline__meta").get_text(" ", strip=True)
    event = db.session.scalar(sa.select(AuditEvent).where(AuditEvent.action == "initiative.created"))
    local = event.occurred_at.replace(tzinfo=UTC).astimezone(ZoneInfo("Europe/London"))
    assert f"{local:%H:%M}" in meta and "UTC" not in meta
    # The entry number is kept, but secondary: the sentence and the time say what happened.
    assert not page.soup.select_one(".app-timeline__title").get_text().strip().lower().startswith("event")
    with app_request(client):
        assert format_datetime(datetime(2026, 7, 1, 12, 30)) == "1 July 2026 at 13:30"  # BST
        assert format_datetime(datetime(2026, 12, 1, 12, 30)) == "1 December 2026 at 12:30"  # GMT


def test_history_in_welsh_is_welsh_sentences_with_what_people_typed_kept_as_typed(client, commissioner, login_as):
    initiative = make_initiative(commissioner)
    login_as(commissioner)
    client.get(f"/language/cy?next=/initiatives/{initiative.id}/history")
    page = get_page(client, f"/initiatives/{initiative.id}/history")
    titles = [t.get_text(" ", strip=True) for t in page.soup.select(".app-timeline__title")]
    assert any(t.startswith("Dechreuodd Tom Commissioner (comisiynydd) y fenter") for t in titles), titles
    # No history sentence is marked as English any more.
    assert not page.soup.select('[data-untranslated="history"]')
    # The CSV download is in the reader's language too.
    rows = list(csv.reader(io.StringIO(client.get(f"/initiatives/{initiative.id}/history?download=csv").text)))
    assert any(row[2] == "Tom Commissioner (comisiynydd)" and row[6].startswith("Dechreuodd") for row in rows[1:])
    with client.application.test_request_context(headers={"Accept-Language": "cy"}):
        entries = history.describe(
            commissioner.organisation_id,
            [_event(11, commissioner.id, "initiative.updated", "initiative", {"service_area": ("Day", "Nos")}, NOW)],
        )
        welsh = entries[0].text(labels.translation())
    assert welsh.startswith("Newidiodd Tom Commissioner"), welsh
    # The values are shown as they were typed (quoted), never translated or mutated.
    assert "Cyn: “Day”. Wedyn: “Nos”" in welsh
    assert entries[0].sentence.endswith("changed the initiative service area from “Day” to “Nos”")


def _action_options(page) -> list[tuple[str, str]]:
    return [(o["value"], o.get_text()) for o in page.soup.select("#filter-action option") if o["value"]]


def test_what_happened_filter_labels_every_event_in_the_readers_language_sorted_by_label(
    client, commissioner, partner, login_as
):
    initiative = make_initiative(commissioner, partner)
    login_as(commissioner)
    english = _action_options(get_page(client, f"/initiatives/{initiative.id}/history"))
    codes = {code for code, _ in english}
    assert {"initiative.created", "membership.joined"} <= codes
    labels_en = dict(english)
    assert labels_en["initiative.created"] == "Someone started the initiative"
    assert [label for _, label in english] == sorted((label for _, label in english), key=str.casefold)
    assert all(code != label and "." not in label for code, label in english), english

    client.get(f"/language/cy?next=/initiatives/{initiative.id}/history")
    page = get_page(client, f"/initiatives/{initiative.id}/history")
    welsh = _action_options(page)
    assert {code for code, _ in welsh} == codes
    assert dict(welsh)["initiative.created"] == "Dechreuodd rhywun y fenter"
    assert dict(welsh)["membership.joined"] == "Ychwanegodd rhywun aelod"
    # Welsh order: the digraphs are letters of their own, so "Dd..." and "Ch..." follow every "D..." and "C...".
    keys = [sort_key(label, "cy") for _, label in welsh]
    assert keys == sorted(keys)
    # No option is marked as English any more (the Welsh crawl no longer meets untranslated event codes).
    assert not page.soup.select("#filter-action option[lang]")
    assert not page.soup.select('[data-untranslated="event-code"]')


def test_every_event_code_has_a_label_of_its_own_and_unknown_codes_still_read(app):
    # A code from an older version of the tracker, with no sentence of its own, is still worded from its parts.
    assert history.action_label("widget.polished").render() == "Someone: widget polished (widget)"
    assert history.action_label("activity.created").render() == "Someone recorded a new activity"
    assert history.action_label("stage.updated").render() == "Someone changed the stage"
    with app.test_request_context(headers={"Accept-Language": "cy"}):
        translate = labels.translation()
        assert history.action_label("activity.recorded").render(translate) == "Cofnododd rhywun weithgaredd"
        assert history.action_label("activity.created").render(translate).startswith("Cofnododd rhywun gofnod")


def test_welsh_sort_key_treats_digraphs_as_letters():
    words = ["Dileodd", "Ddoe", "Dydd", "Cofnododd", "Chwiliodd", "Cyhoeddodd", "Llofnododd", "Lluniodd", "Lun"]
    assert sorted(words, key=lambda w: sort_key(w, "cy")) == [
        "Cofnododd",
        "Cyhoeddodd",
        "Chwiliodd",
        "Dileodd",
        "Dydd",
        "Ddoe",
        "Lun",
        "Llofnododd",
        "Lluniodd",
    ]
    assert sorted(["Zebra", "Éclair", "apple", "eagle"], key=sort_key) == ["apple", "eagle", "Éclair", "Zebra"]
