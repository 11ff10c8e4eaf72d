"""Every page and download of the app within the statement budget at two data sizes (issue 11, DESIGN §10).

The demo's Northshire data is counted, then the same pages again after it has grown by many activities,
decisions, recommendations, payments, files, outputs, people, requests and notifications: no page may cost
more statements with more records, nor more than the budget (PostgreSQL's per-transaction timeout statement
included). test_every_get_route_is_counted_or_exempt keeps that true for routes added later: each GET route is
counted here or in test_statement_budget.py, or exempt below with its reason.
"""

from __future__ import annotations

import re
from datetime import date
from itertools import count

import pytest
import sqlalchemy as sa
from conftest import login, make_user
from initiative_factories import add_activity
from query_counter import count_queries

from copro_tracker.activities import service as activities
from copro_tracker.auth import service as auth
from copro_tracker.auth import step_up
from copro_tracker.codes import MemberRole, OrgRole, OutputKind, PartnerKind, Position, Side
from copro_tracker.extensions import db
from copro_tracker.models import (
    Activity,
    DataRequest,
    Decision,
    DecisionPosition,
    Initiative,
    Membership,
    Output,
    ReciprocityEntry,
    Recommendation,
    ShareLink,
    User,
    utcnow,
)
from copro_tracker.payments import service as payments
from copro_tracker.people import service as people

BUDGET = 12
# Still over the budget: a person's copy of everything held about them reads each kind of record they have
# (profile, equality answers, memberships, activities, positions, recommendations, payments, files, requests,
# notifications, audit events, looks at their needs: people/your_data.py), and a download also writes its
# disclosure to the audit trail. Counted exactly per database, so more records never cost more and a saving
# must lower the figure here; the budget for these pages is not met yet (issue 11).
OVER_BUDGET = {
    "your-data": {"sqlite": 13, "postgresql": 14},
    "your-data-csv": {"sqlite": 16, "postgresql": 16},
    "your-data-json": {"sqlite": 16, "postgresql": 16},
}
PDF = b"%PDF-1.7\n%\xe2\xe3\xcf\xd3\n1 0 obj\n<<>>\nendobj\n%%EOF\n"

# Who opens each page, and its address ({name} filled from the world below). Admin pages are opened by the
# admin (after confirming their password where the page asks), initiative pages by the lead or a partner.
PAGES: dict[str, tuple[str, str]] = {
    "accessibility": ("anonymous", "/accessibility"),
    "help": ("amira", "/help"),
    "privacy": ("anonymous", "/privacy"),
    "sign-in": ("anonymous", "/sign-in"),
    "forgotten-password": ("anonymous", "/forgotten-password"),
    "accept-invitation": ("anonymous", "/invitations/{invitation}"),
    "reset-password": ("anonymous", "/reset-password/{reset}"),
    "admin-audit": ("admin", "/admin/audit"),
    "admin-disclosures": ("admin", "/admin/audit/disclosures"),
    "criteria-library": ("admin", "/admin/criteria-library"),
    "data-requests": ("admin", "/admin/data-requests"),
    "data-request": ("admin", "/admin/data-requests/{data_request}"),
    "rates": ("admin", "/admin/payments"),
    "people": ("admin", "/people"),
    "person": ("admin", "/people/{amira_id}"),
    "person-needs": ("admin", "/people/{amira_id}/needs"),
    "invite": ("admin", "/people/invite"),
    "profile": ("amira", "/profile"),
    "password": ("amira", "/profile/password"),
    "notification-settings": ("amira", "/profile/notifications"),
    "your-data": ("amira", "/profile/your-data"),
    "your-data-csv": ("amira", "/profile/your-data/csv"),
    "your-data-json": ("amira", "/profile/your-data/json"),
    "your-data-correction": ("amira", "/profile/your-data/correction"),
    "your-data-erasure": ("amira", "/profile/your-data/erasure"),
    "my-payments": ("george", "/profile/payments"),
    "my-payments-download": ("george", "/profile/payments/download"),
    "reports": ("tom", "/reports"),
    "finance-export": ("admin", "/payments/export"),
    "finance-export-csv": ("admin", "/payments/export/csv?{span}"),
    "new-initiative": ("tom", "/initiatives/new"),
    "edit-initiative": ("tom", "{base}/edit"),
    "members": ("tom", "{base}/members"),
    "invite-member": ("tom", "{base}/members/invite"),
    "tenure-dates": ("tom", "{base}/members/{membership}/dates"),
    "stage-dates": ("tom", "{base}/stages/design/dates"),
    "reopen-stage": ("tom", "{base}/stages/design/reopen"),
    "sign-off": ("tom", "{base}/stages/design/sign-off"),
    "new-activity": ("tom", "{base}/activities/new"),
    "edit-activity": ("tom", "{base}/activities/{activity}/edit"),
    "withdraw-activity": ("tom", "{base}/activities/{activity}/withdraw"),
    "attendance": ("tom", "{base}/activities/{activity}/attendance"),
    "adjustments": ("tom", "{base}/activities/{activity}/adjustments"),
    "confirm-activity": ("amira", "{base}/activities/{behalf_activity}/confirm"),
    "rate-activity": ("amira", "{base}/activities/{activity}/rating"),
    "new-decision": ("tom", "{base}/activities/{activity}/decisions/new"),
    "edit-decision": ("tom", "{base}/decisions/{decision}/edit"),
    "withdraw-decision": ("tom", "{base}/decisions/{decision}/withdraw"),
    "new-recommendation": ("amira", "{base}/recommendations/new"),
    "review-recommendation": ("tom", "{base}/recommendations/{recommendation}/review"),
    "withdraw-recommendation": ("amira", "{base}/recommendations/{recommendation}/withdraw"),
    "you-said-we-did": ("amira", "{base}/you-said-we-did"),
    "evidence": ("tom", "{base}/evidence"),
    "upload-evidence": ("tom", "{base}/evidence/new"),
    "download-evidence": ("tom", "{base}/evidence/{evidence}/download"),
    "withdraw-evidence": ("amira", "{base}/evidence/{evidence}/withdraw"),
    "record-history": ("tom", "{base}/history/activity/{activity}"),
    "outputs": ("tom", "{base}/outputs"),
    "new-output": ("tom", "{base}/outputs/new"),
    "edit-output": ("tom", "{base}/outputs/{output}/edit"),
    "payments": ("tom", "{base}/payments"),
    "payment": ("tom", "{base}/payments/{payment}"),
    "change-offer": ("tom", "{base}/payments/{payment}/change"),
    "receipt": ("tom", "{base}/payments/{claim}/receipt"),
    "claim": ("george", "{base}/payments/claim"),
    "offer": ("tom", "{base}/payments/offer"),
    "quality-statement": ("tom", "/reports/quality-statements/{statement}"),
    "quality-statement-csv": ("tom", "/reports/quality-statements/{statement}/csv"),
    "quality-statement-json": ("tom", "/reports/quality-statements/{statement}/json"),
    "portfolio-json": ("tom", "/reports/portfolio/json"),
    "new-share-link": ("tom", "/reports/share-links/new?kind=initiative&initiative={initiative}"),
    "shared-report": ("anonymous", "/shared/{share}"),
    "shared-csv": ("anonymous", "/shared/{share}/csv"),
    "shared-json": ("anonymous", "/shared/{share}/json"),
    "pdf-status": ("tom", "/reports/pdf/{render}"),
    "pdf-file": ("tom", "/reports/pdf/{render}/file"),
    "shared-pdf-status": ("anonymous", "/shared/{share}/pdf/{shared_render}"),
    "shared-pdf-file": ("anonymous", "/shared/{share}/pdf/{shared_render}/file"),
}

# Endpoints test_statement_budget.py counts at two sizes (criteria, reports, coverage, portfolio, equality,
# retention, assessment pages and the everyday pages).
COUNTED_ELSEWHERE = {
    "criteria.initiative_criteria",
    "reports.initiative_report",
    "reports.initiative_download",
    "criteria.coverage",
    "reports.portfolio",
    "reports.portfolio_download",
    "equality.overview",
    "equality.own_answers",
    "equality.manage_groups",
    "equality.reference",
    "retention.rules",
    "retention.disposals",
    "retention.holds",
    "retention.lift",
    "auth.step_up",
    "main.dashboard",
    "initiatives.list_initiatives",
    "initiatives.overview",
    "activities.activity",
    "audit.initiative_history",
    "notifications.index",
    "criteria.assess",
    "criteria.respond",
    "activities.respond_recommendation",
}

# GET routes that are not a page read from the database, each with why it is not counted.
EXEMPT = {
    "static": "files from disk; no database",
    "main.index": "a redirect to the dashboard or sign-in page",
    "main.set_language": "sets the language cookie and redirects back",
}


def _endpoint(app, url: str) -> str:
    path = url.split("?")[0]
    endpoint, _args = app.url_map.bind("localhost").match(path, method="GET")
    return endpoint


def test_every_get_route_is_counted_or_exempt(app):
    """A new page or download must join a two-size count (here or in test_statement_budget.py) or be exempt."""
    example = {"base": "/initiatives/1"}
    counted = {_endpoint(app, url.format_map(_Ones(example))) for _who, url in PAGES.values()} | COUNTED_ELSEWHERE
    routes = {rule.endpoint for rule in app.url_map.iter_rules() if "GET" in (rule.methods or ())}
    assert not counted & set(EXEMPT), counted & set(EXEMPT)
    assert routes - counted - set(EXEMPT) == set(), sorted(routes - counted - set(EXEMPT))
    assert (counted | set(EXEMPT)) - routes == set(), "counted or exempt but no longer a route"


class _Ones(dict):
    def __missing__(self, key: str) -> int:
        return 1


_names = count()


def _grow(world: dict) -> None:
    """Many more of every kind of record the counted pages list."""
    org_id = world["tom"].organisation_id
    initiative = db.session.get(Initiative, world["initiative"])
    tom, amira, george = (db.session.get(User, world[n].id) for n in ("tom", "amira", "george"))
    newcomers = [
        make_user(
            tom.organisation,
            OrgRole.CITIZEN_PARTNER,
            name=f"Newcomer {next(_names)}",
            communication_needs=["easy_read"],
        )
        for _ in range(8)
    ]
    for person in newcomers:
        db.session.add(
            Membership(
                organisation_id=org_id,
                initiative_id=initiative.id,
                user_id=person.id,
                role=MemberRole.MEMBER,
                side=Side.CITIZEN_PARTNER,
                joined_on=date(2026, 9, 1),
            )
        )
        people.ask(person, "correction", "My name is spelt wrongly")
    db.session.commit()
    for n in range(12):
        activity = add_activity(initiative, tom, [tom, amira, george, *newcomers])
        decision = Decision(
            organisation_id=org_id, activity_id=activity.id, what=f"Decision {n}", recorded_by_id=tom.id
        )
        for person in (amira, george):
            decision.positions.append(
                DecisionPosition(organisation_id=org_id, user_id=person.id, position=Position.AGREED)
            )
        db.session.add(decision)
        db.session.add(
            Recommendation(
                organisation_id=org_id,
                initiative_id=initiative.id,
                activity_id=activity.id,
                made_by_id=amira.id,
                text=f"Recommendation {n}",
            )
        )
        db.session.add(
            Output(
                organisation_id=org_id,
                initiative_id=initiative.id,
                kind=OutputKind.INFORMATION_ADVICE_PLAN,
                title=f"Output {n}",
                document_version="1",
                co_author_ids=[amira.id, george.id],
                created_by_id=tom.id,
            )
        )
        db.session.commit()
        for person in (amira, george):
            payments.make_offer(tom, initiative, user_id=person.id, activity_id=activity.id, units=1, amount_pence=None)
        activities.upload_evidence(
            amira,
            initiative,
            data=PDF + str(n).encode(),
            filename=f"notes-{n}.pdf",
            consent="named",
            description=f"Notes {n}",
            activity_id=activity.id,
            decision_id=None,
        )
        payments.claim_expenses(
            george,
            initiative,
            user_id=george.id,
            activity_id=activity.id,
            amount_pence=500,
            note="Bus",
            spent_on=activity.occurred_on,
            receipt=PDF + b"ticket" + str(n).encode(),
            receipt_name="ticket.pdf",
        )
    from copro_tracker.notifications.service import notify_everyone

    notify_everyone(date.today())


@pytest.fixture
def world(app, client) -> dict:
    result = app.test_cli_runner().invoke(args=["demo"])
    assert result.exit_code == 0, result.output

    def user(email: str) -> User:
        return db.session.scalar(sa.select(User).where(User.email == email))

    tom, amira = user("commissioner@northshire.example"), user("partner@northshire.example")
    admin, george = user("admin@northshire.example"), user("george.blake@northshire.example")
    initiative = db.session.scalar(
        sa.select(Initiative).where(Initiative.organisation_id == tom.organisation_id).order_by(Initiative.id).limit(1)
    )

    def first(model, *where):
        return db.session.scalar(sa.select(model.id).where(*where).order_by(model.id).limit(1))

    activity = first(Activity, Activity.initiative_id == initiative.id)
    behalf = db.session.get(Activity, first(Activity, Activity.initiative_id == initiative.id, Activity.id != activity))
    behalf.on_behalf_of_id = amira.id
    behalf.confirmed_at = None
    db.session.add(
        Recommendation(
            organisation_id=tom.organisation_id,
            initiative_id=initiative.id,
            activity_id=activity,
            made_by_id=amira.id,
            text="Meet in the library",
        )
    )
    db.session.add(
        Output(
            organisation_id=tom.organisation_id,
            initiative_id=initiative.id,
            kind=OutputKind.INFORMATION_ADVICE_PLAN,
            title="Our plan",
            document_version="1",
            co_author_ids=[amira.id],
            created_by_id=tom.id,
        )
    )
    db.session.commit()
    evidence = activities.upload_evidence(
        amira,
        initiative,
        data=PDF,
        filename="notes.pdf",
        consent="named",
        description="Notes",
        activity_id=activity,
        decision_id=None,
    )
    library = app.extensions["criteria_library"]
    _invitation, invitation = auth.invite(
        admin,
        email="new.person@example.org",
        display_name="New Person",
        role=OrgRole.CITIZEN_PARTNER,
        partner_kind=PartnerKind.CARER,
    )
    _reset, reset = auth.issue_password_reset(george, admin)
    db.session.commit()
    people.ask(amira, "correction", "My email address changed")
    # A look at someone's needs, so the list of looks is counted with one row and then with many.
    login(client, admin)
    assert client.get(f"/people/{amira.id}/needs").status_code == 200
    login(client, tom)
    response = client.post(
        f"/reports/share-links/new?kind=initiative&initiative={initiative.id}", data={"expiry_days": "7"}
    )
    assert db.session.scalar(sa.select(sa.func.count()).select_from(ShareLink)) == 1, response.status_code
    if response.status_code == 302:
        response = client.get(response.headers["Location"])
    token = re.search(r"/shared/([A-Za-z0-9_-]+)", response.get_data(as_text=True)).group(1)
    # A PDF of the report for Tom and one through the link: rendered once here (at once, in tests), then their
    # status pages and files are counted like every other page.
    asked = client.get(f"/initiatives/{initiative.id}/report/pdf")
    render = int(re.search(r"/reports/pdf/(\d+)", asked.headers["Location"]).group(1))
    asked = app.test_client().get(f"/shared/{token}/pdf")
    shared_render = int(re.search(r"/pdf/(\d+)", asked.headers["Location"]).group(1))
    today = date.today()
    activity_ids = sa.select(Activity.id).where(Activity.initiative_id == initiative.id)
    return {
        "tom": tom,
        "amira": amira,
        "admin": admin,
        "george": george,
        "initiative": initiative.id,
        "base": f"/initiatives/{initiative.id}",
        "activity": activity,
        "behalf_activity": behalf.id,
        "decision": first(Decision, Decision.activity_id.in_(activity_ids)),
        "recommendation": first(Recommendation, Recommendation.made_by_id == amira.id),
        "evidence": evidence.id,
        "output": first(Output, Output.initiative_id == initiative.id),
        "membership": first(Membership, Membership.initiative_id == initiative.id),
        "payment": first(ReciprocityEntry, ReciprocityEntry.receipt_storage_key.is_(None)),
        "claim": first(ReciprocityEntry, ReciprocityEntry.receipt_storage_key.is_not(None)),
        "data_request": first(DataRequest, DataRequest.user_id == amira.id),
        "amira_id": amira.id,
        "invitation": invitation,
        "reset": reset,
        "share": token,
        "render": render,
        "shared_render": shared_render,
        "statement": library.cqc_for("england").cqc.quality_statements[0].id,
        # The whole year so far, as the form's day, month and year boxes send it.
        "span": "&".join(
            f"{field}={value}"
            for field, day in (("start", payments.financial_year_start(today)), ("end", today))
            for value in (day.day, day.month, day.year)
        ),
    }


def _counts(app, world: dict) -> dict[str, int]:
    counts = {}
    for name, (who, template) in PAGES.items():
        url = template.format_map(world)
        client = app.test_client()
        if who != "anonymous":
            person = world[who]
            login(client, person)
            with client.session_transaction() as session:  # as if they had just confirmed their password
                session[step_up.KEY] = {
                    "user": person.id,
                    "version": person.session_version,
                    "at": utcnow().timestamp(),
                }
        first = client.get(url)
        assert first.status_code == 200, (name, url, first.status_code, first.headers.get("Location"))
        counts[name] = count_queries(lambda: client.get(url))  # noqa: B023 - called at once
    return counts


def test_every_page_costs_the_same_statements_with_few_or_many_records(app, world):
    few = _counts(app, world)
    _grow(world)
    many = _counts(app, world)
    grew = {name: (few[name], many[name]) for name in PAGES if many[name] != few[name]}
    assert grew == {}, grew
    dialect = db.engine.dialect.name
    allowed = {name: OVER_BUDGET[name][dialect] if name in OVER_BUDGET else BUDGET for name in PAGES}
    assert {name: n for name, n in many.items() if n > allowed[name]} == {}, many
    # A saving on a page over the budget lowers its figure above (and, at 12 or fewer, removes it).
    assert {name: many[name] for name in OVER_BUDGET if many[name] < allowed[name]} == {}, many
