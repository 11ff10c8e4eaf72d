"""Reading records appends nothing to the co-production chain; disclosures (downloads, share-link opens)
are recorded, and the history shows changes by default with disclosures behind its "Show" filter."""

from __future__ import annotations

import sqlalchemy as sa
from conftest import get_page, login
from initiative_factories import make_initiative
from query_counter import count_queries

from copro_tracker.audit import capture
from copro_tracker.audit.views import HISTORY_PAGE_SIZE
from copro_tracker.extensions import db
from copro_tracker.models import AuditCheckpoint, AuditEvent, Initiative, User


def chain_length() -> int:
    return db.session.scalar(sa.select(sa.func.count()).select_from(AuditEvent)) or 0


def test_viewing_pages_including_the_report_appends_nothing(app, client):
    assert app.test_cli_runner().invoke(args=["demo"]).exit_code == 0
    tom = db.session.scalar(sa.select(User).where(User.email == "commissioner@northshire.example"))
    initiative = db.session.scalar(
        sa.select(Initiative).where(Initiative.organisation_id == tom.organisation_id).order_by(Initiative.id)
    )
    login(client, tom)
    before, checkpoints = chain_length(), db.session.scalar(sa.select(sa.func.count()).select_from(AuditCheckpoint))
    for url in (
        "/dashboard",
        "/initiatives",
        f"/initiatives/{initiative.id}",
        f"/initiatives/{initiative.id}/criteria",
        f"/initiatives/{initiative.id}/report",
        f"/initiatives/{initiative.id}/history",
        "/coverage",
        "/reports/portfolio",
    ):
        assert client.get(url).status_code == 200, url
    assert chain_length() == before
    assert db.session.scalar(sa.select(sa.func.count()).select_from(AuditCheckpoint)) == checkpoints
    # A download is a disclosure: it is recorded.
    assert client.get(f"/initiatives/{initiative.id}/report/csv").status_code == 200
    assert db.session.scalar(sa.select(AuditEvent.action).order_by(AuditEvent.id.desc()).limit(1)) == (
        "report.generated"
    )


def test_history_shows_changes_by_default_and_disclosures_behind_the_filter(client, commissioner, partner, login_as):
    initiative = make_initiative(commissioner, partner)
    login_as(commissioner)
    assert client.get(f"/initiatives/{initiative.id}/history?download=csv").status_code == 200  # audit.exported
    # The entries, not the page: the "What happened" filter names every kind of event.
    default = get_page(client, f"/initiatives/{initiative.id}/history").text(".app-timeline")
    assert "started the initiative" in default and "exported audit history" not in default
    disclosures = get_page(client, f"/initiatives/{initiative.id}/history?show=disclosures").text(".app-timeline")
    assert "exported audit history" in disclosures and "started the initiative" not in disclosures
    everything = get_page(client, f"/initiatives/{initiative.id}/history?show=all").text(".app-timeline")
    assert "exported audit history" in everything and "started the initiative" in everything
    # An unknown choice is the default, not an error.
    unknown = get_page(client, f"/initiatives/{initiative.id}/history?show=x").text(".app-timeline")
    assert "exported audit history" not in unknown and "started the initiative" in unknown


def _add_events(initiative, count: int) -> None:
    for _ in range(count):
        capture.record(
            db.session,
            "initiative.updated",
            initiative.organisation_id,
            "initiative",
            initiative.id,
            initiative_id=initiative.id,
        )
    db.session.commit()


def test_history_comes_a_page_at_a_time_at_a_fixed_cost(client, commissioner, partner, login_as):
    initiative = make_initiative(commissioner, partner)
    _add_events(initiative, HISTORY_PAGE_SIZE + 10)
    login_as(commissioner)
    url = f"/initiatives/{initiative.id}/history"
    first = get_page(client, url)
    assert len(first.soup.select(".app-timeline__item")) == HISTORY_PAGE_SIZE
    nav = first.soup.select_one("nav.govuk-pagination")
    assert nav is not None and nav.select_one("a[rel=next]")["href"].endswith("page=2")
    assert first.soup.select_one(".govuk-pagination__item--current a")["aria-current"] == "page"
    second = get_page(client, f"{url}?page=2&show=all")
    assert second.soup.select_one(".govuk-pagination__link[rel=prev]")["href"].endswith("?show=all")  # filters kept
    assert 0 < len(second.soup.select(".app-timeline__item")) < HISTORY_PAGE_SIZE
    # Past the end means the last page; nonsense means the first.
    assert len(get_page(client, f"{url}?page=999").soup.select(".app-timeline__item")) < HISTORY_PAGE_SIZE
    assert len(get_page(client, f"{url}?page=-1").soup.select(".app-timeline__item")) == HISTORY_PAGE_SIZE
    small = count_queries(lambda: client.get(url))
    _add_events(initiative, 600)
    large = count_queries(lambda: client.get(f"{url}?page=7"))
    assert small == large <= 12


def test_initiatives_list_comes_a_page_at_a_time_at_a_fixed_cost(client, commissioner, partner, login_as):
    login_as(commissioner)
    for n in range(3):
        make_initiative(commissioner, partner, title=f"Initiative {n}")
    small = count_queries(lambda: client.get("/initiatives"))
    assert get_page(client, "/initiatives").soup.select_one("nav.govuk-pagination") is None
    for n in range(3, 30):
        make_initiative(commissioner, partner, title=f"Initiative {n}")
    large = count_queries(lambda: client.get("/initiatives"))
    assert small == large <= 12
    first = get_page(client, "/initiatives")
    titles = [a.text for a in first.soup.select("main tbody th a")]
    assert len(titles) == 25 and titles[0] == "Initiative 29"  # newest first
    assert first.soup.select("main tbody td")[1].text.strip() == "2"  # current members, counted in the query
    second = get_page(client, "/initiatives?page=2")
    assert [a.text for a in second.soup.select("main tbody th a")] == [f"Initiative {n}" for n in range(4, -1, -1)]
    # A citizen partner pages through only the initiatives they belong to.
    login_as(partner)
    assert "Initiative 0" in get_page(client, "/initiatives?page=2").text()
