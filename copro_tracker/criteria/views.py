"""Criteria pages: an initiative's criteria with the automatic check and the people's assessment side by side,
recording and co-signing assessments, the organisation's coverage matrix and the admin's criteria library.

Routes are thin: form → permission → service (writes) or ``pages`` (what to show) → template.
"""

from __future__ import annotations

from flask import Blueprint, abort, current_app, flash, redirect, render_template, request, url_for
from flask_babel import get_locale, ngettext
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from flask_login import current_user
from wtforms.fields.choices import SelectChoice

from .. import codes, labels
from ..formatting import format_date
from ..initiatives import queries
from ..permissions import authorize, can, requires
from ..reports import data as report_data
from ..services import ServiceError
from ..tenancy import parse_id
from ..web.forms import add_error
from ..web.paging import pagination, requested_page
from . import citations, pages, service, stored
from . import facts as facts_loader
from .forms import AssessmentForm, CoverageFilters, RespondForm
from .framework import CONFIDENCE, Criterion, Framework, Library
from .rules import Status
from .snapshot import InitiativeFacts

bp = Blueprint("criteria", __name__)
REASON_LIMIT = 8
# Every page that names a criterion's source takes its words from the one pure function (reports too).
bp.add_app_template_global(citations.cite, "cite")
bp.add_app_template_global(citations.framework_checks, "framework_checks")
bp.add_app_template_global(
    lambda framework: citations.framework_checks(framework).notice_in(_, ngettext), "framework_notice_text"
)


# Where in the tracker each kind of gap is closed: "What needs doing" links there (endpoint, anchor, link text).
TOPIC_PLACES = {
    codes.CriterionTopic.EARLY: ("initiatives.overview", "stage-design", _l("Go to the design stage")),
    codes.CriterionTopic.DECISIONS: ("initiatives.overview", "initiative-pages", _l("Go to the stages and activities")),
    codes.CriterionTopic.PEOPLE: ("initiatives.members", None, _l("Go to the members")),
    codes.CriterionTopic.ACCESS: ("initiatives.overview", "initiative-pages", _l("Go to the activities")),
    codes.CriterionTopic.FOLLOW_THROUGH: ("activities.recommendations", None, _l("Go to you said, we did")),
    codes.CriterionTopic.OUTPUTS: ("outputs.list_outputs", None, _l("Go to the outputs")),
    codes.CriterionTopic.EVALUATION: ("initiatives.overview", "stage-evaluation", _l("Go to the evaluation stage")),
    codes.CriterionTopic.GOVERNANCE: ("initiatives.members", None, _l("Go to the members")),
}


@bp.app_template_global("topic_place")
def topic_place(topic: codes.CriterionTopic, initiative_id: int) -> tuple[str, str]:
    """The address and link text of the page where a gap on ``topic`` is closed, for one initiative."""
    endpoint, anchor, text = TOPIC_PLACES[topic]
    return url_for(endpoint, initiative_id=initiative_id, _anchor=anchor), str(text)


def _library() -> Library:
    return current_app.extensions["criteria_library"]


def _nation() -> str:
    return current_user.organisation.nation.value


def _initiative(initiative_id: int, action: str):
    # Memberships only: the permission check reads them and the pages show the title (DESIGN §10 counts statements).
    initiative = queries.get_initiative_with_members(initiative_id, current_user.organisation_id)
    if initiative is None:
        abort(404)
    authorize(action, initiative)
    return initiative


def _facts(initiative) -> InitiativeFacts:
    """Today's facts of the initiative, from its report snapshot when it has one (one query, not ten): never
    stale, as every write to its records clears the snapshot in the same transaction."""
    facts = report_data.facts_today(current_user.organisation, initiative.id)
    return facts if facts is not None else facts_loader.load(initiative)


def _criterion(criterion_id: str) -> tuple[Framework, Criterion]:
    """A criterion of a framework that applies to the user's nation; anything else is not found."""
    library = _library()
    criterion = library.criterion(criterion_id)
    if criterion is None:
        abort(404)
    framework = next((f for f in library.checked_for(_nation()) if f.id == criterion.framework_id), None)
    if framework is None:
        abort(404)
    return framework, criterion


class _Links:
    """Where each record named by a finding or an assessment can be seen, and what to call it."""

    def __init__(self, initiative_id: int, records: pages.RecordIndex) -> None:
        self.initiative_id, self.records = initiative_id, records
        self._cache: dict[tuple[str, object], str | None] = {}

    def href(self, kind: str, ident: object) -> str | None:
        key = (kind, ident)
        if key not in self._cache:
            self._cache[key] = self._href(kind, ident)
        return self._cache[key]

    def _href(self, kind: str, ident: object) -> str | None:
        i = self.initiative_id
        if kind == "decision":
            decision = self.records.decisions.get(ident) if isinstance(ident, int) else None
            kind, ident = "activity", decision[1] if decision else None
            if ident is None:
                return None
        if kind == "activity":
            return url_for("activities.activity", initiative_id=i, activity_id=ident)
        if kind == "stage":
            return url_for("initiatives.overview", initiative_id=i, _anchor=f"stage-{ident}")
        simple = {
            "member": "initiatives.members",
            "output": "outputs.list_outputs",
            "recommendation": "activities.recommendations",
            "evidence": "activities.evidence_list",
        }
        return url_for(simple[kind], initiative_id=i) if kind in simple else None

    def label(self, kind: str, ident: int) -> str:
        records = self.records
        if kind == "activity" and (activity := records.activities.get(ident)):
            title, on = activity
            return _("%(title)s (%(date)s)", title=title, date=format_date(on))
        if kind == "decision" and (decision := records.decisions.get(ident)):
            return decision[0]
        if kind == "evidence" and (name := records.evidence.get(ident)):
            return name
        if kind == "output" and (title := records.outputs.get(ident)):
            return title
        return _("%(kind)s number %(id)s", kind=labels.label(labels.ASSESSMENT_LINK, kind), id=ident)


def _finding(initiative, criterion: Criterion, facts: InitiativeFacts | None = None):
    """Today's stored finding of one criterion: the same one the criteria page and coverage show (recomputed
    from `facts`, when given, if stale)."""
    snapshots = {initiative.id: facts} if facts is not None else None
    found = stored.read([initiative.id], initiative.organisation_id, _library(), _nation(), snapshots=snapshots)
    return found[initiative.id].get(criterion.id)


def personal_steps(page: pages.InitiativePage, may_assess: bool, may_respond: bool) -> list[dict[str, str]]:
    """What only this person can do on the criteria: co-sign assessments waiting for them, or confirm criteria
    that need a person's word. Listed under "What needs doing" before the gaps."""
    steps = []
    initiative_id = page.initiative.id
    waiting = [r for r in page.rows if r.assessment and r.assessment.awaits_response_from(current_user.id)]
    if may_respond and waiting:
        steps.append(
            {
                "href": url_for(
                    "criteria.respond", initiative_id=initiative_id, assessment_id=waiting[0].assessment.id
                ),
                "text": ngettext(
                    "Co-sign, or say you disagree with, the assessment waiting for you",
                    "Co-sign, or say you disagree with, the %(num)s assessments waiting for you",
                    len(waiting),
                ),
            }
        )
    unconfirmed = [r for r in page.rows if r.finding.status is Status.NEEDS_ATTESTATION and r.assessment is None]
    if may_assess and unconfirmed:
        steps.append(
            {
                "href": url_for(
                    "criteria.assess", initiative_id=initiative_id, criterion_id=unconfirmed[0].criterion.id
                ),
                "text": ngettext(
                    "Record whether the criterion that needs a person to confirm it is met",
                    "Record whether the %(num)s criteria that need a person to confirm them are met",
                    len(unconfirmed),
                ),
            }
        )
    return steps


@bp.get("/initiatives/<int:initiative_id>/criteria")
@requires("criteria.view")
def initiative_criteria(initiative_id: int):
    page = pages.initiative_page(initiative_id, current_user.organisation_id, _nation(), _library())
    if page is None:
        abort(404)
    initiative = page.initiative
    authorize("criteria.view", initiative)
    may_assess = can(current_user, "criteria.assess", initiative)
    may_respond = can(current_user, "criteria.respond", initiative)
    return render_template(
        "criteria/initiative.html",
        initiative=initiative,
        page=page,
        extra=personal_steps(page, may_assess, may_respond),
        links=_Links(initiative.id, page.records),
        may_assess=may_assess,
        may_respond=may_respond,
        statuses=codes.STATUS_ORDER,
        # A large initiative can give thousands of reasons: show a few, and all of them for one criterion on request.
        reason_limit=REASON_LIMIT,
        expanded=request.args.get("all", ""),
    )


def _link_choices(form: AssessmentForm, facts: InitiativeFacts) -> None:
    form.link_activity.choices = [
        SelectChoice(a.id, f"{a.title} ({format_date(a.on)})") for a in sorted(facts.activities, key=lambda a: a.on)
    ]
    form.link_decision.choices = [SelectChoice(d.id, d.text[:200]) for d in facts.decisions]
    form.link_evidence.choices = [SelectChoice(e.id, e.name) for e in facts.evidence]
    form.link_output.choices = [SelectChoice(o.id, o.title) for o in facts.outputs]


@bp.route("/initiatives/<int:initiative_id>/criteria/<criterion_id>/assess", methods=["GET", "POST"])
@requires("criteria.assess")
def assess(initiative_id: int, criterion_id: str):
    initiative = _initiative(initiative_id, "criteria.assess")
    framework, criterion = _criterion(criterion_id)
    facts = _facts(initiative)
    earlier = service.history(initiative, criterion.id)
    form = AssessmentForm()
    _link_choices(form, facts)
    if not form.is_submitted():
        form.latest_id.data = str(earlier[0].id) if earlier else ""
        if earlier:
            # Start from the assessment that counts now: re-assessing usually changes part of it.
            form.status.data = earlier[0].status.value
            form.narrative.data = earlier[0].narrative
            for name in AssessmentForm.LINK_FIELDS:
                getattr(form, name).data = [
                    link["id"] for link in earlier[0].links if link["kind"] == name.removeprefix("link_")
                ]
    if form.validate_on_submit():
        latest = form.latest_id.data or ""
        try:
            service.record_assessment(
                current_user,
                initiative,
                framework,
                criterion,
                status=form.status.data,
                narrative=form.narrative.data,
                links=form.links(),
                expected_latest_id=parse_id(latest),
            )
        except ServiceError as error:
            # A checkbox group with no records is not on the page: put the message on the first question.
            field = error.field
            if field in AssessmentForm.LINK_FIELDS and not getattr(form, field).choices:
                field = None
            add_error(form, _(str(error)), field)
            earlier = service.history(initiative, criterion.id)
            form.latest_id.data = str(earlier[0].id) if earlier else ""
        else:
            flash(
                _(
                    "Your assessment of %(id)s has been recorded. A citizen partner can now co-sign it or say "
                    "they disagree.",
                    id=criterion.id,
                ),
                "success",
            )
            return redirect(
                url_for(
                    "criteria.initiative_criteria", initiative_id=initiative.id, _anchor=f"criterion-{criterion.id}"
                )
            )
    return render_template(
        "criteria/assess.html",
        initiative=initiative,
        framework=framework,
        criterion=criterion,
        finding=_finding(initiative, criterion, facts),
        earlier=earlier,
        form=form,
        links=_Links(initiative.id, pages.RecordIndex.from_facts(facts)),
    )


@bp.route("/initiatives/<int:initiative_id>/criteria/assessments/<int:assessment_id>/respond", methods=["GET", "POST"])
@requires("criteria.respond")
def respond(initiative_id: int, assessment_id: int):
    initiative = _initiative(initiative_id, "criteria.respond")
    assessment = service.get_assessment(initiative, assessment_id)
    if assessment is None:
        abort(404)
    library = _library()
    criterion = library.criterion(assessment.criterion_id)
    facts = _facts(initiative)
    form = RespondForm()
    if not form.is_submitted():
        form.version.data = str(assessment.version)
    if form.validate_on_submit():
        version = form.version.data or ""
        try:
            service.respond(
                current_user,
                initiative,
                assessment,
                agree=form.decision.data == "cosign",
                reason=form.reason.data or "",
                expected_version=parse_id(version),
            )
        except ServiceError as error:
            add_error(form, _(str(error)), error.field)
            assessment = service.get_assessment(initiative, assessment_id)
        else:
            flash(
                _("You have co-signed the assessment of %(id)s.", id=assessment.criterion_id)
                if assessment.cosigned
                else _(
                    "Your disagreement with the assessment of %(id)s has been recorded.", id=assessment.criterion_id
                ),
                "success",
            )
            return redirect(
                url_for(
                    "criteria.initiative_criteria",
                    initiative_id=initiative.id,
                    _anchor=f"criterion-{assessment.criterion_id}",
                )
            )
    finding = _finding(initiative, criterion, facts) if criterion else None
    return render_template(
        "criteria/respond.html",
        initiative=initiative,
        assessment=assessment,
        criterion=criterion,
        finding=finding,
        disagree=finding is not None and pages.differs(finding, assessment),
        form=form,
        links=_Links(initiative.id, pages.RecordIndex.from_facts(facts)),
    )


@bp.get("/coverage")
@requires("coverage.view")
def coverage():
    library, nation = _library(), _nation()
    frameworks = library.checked_for(nation)
    filters = CoverageFilters(request.args)
    filters.framework.choices = [SelectChoice("", _("All frameworks"))] + [
        SelectChoice(f.id, f.text("title", str(get_locale() or "en"))) for f in frameworks
    ]
    filters.status.choices = [SelectChoice("", _("Any status"))] + [
        SelectChoice(s.value, labels.label(labels.FINDING_STATUS, s.value)) for s in codes.STATUS_ORDER
    ]
    framework_id = filters.framework.data if filters.framework.data in {f.id for f in frameworks} else None
    status = Status(filters.status.data) if filters.status.data in {s.value for s in Status} else None
    by_statement = filters.show.data == "cqc"
    result = pages.coverage(
        current_user.organisation_id,
        nation,
        library,
        framework_id=framework_id,
        status=status,
        by_statement=by_statement,
        page=requested_page(),
    )
    return render_template(
        "criteria/coverage.html",
        filters=filters,
        result=result,
        pages=pagination(result.paging, _("Pages of initiatives")),
        statuses=codes.STATUS_ORDER,
        by_statement=by_statement,
        status=status,
        framework_id=framework_id,
    )


@bp.get("/admin/criteria-library")
@requires("criteria.library")
def library():
    library = _library()
    nation = _nation()
    applies = {f.id for f in library.for_nation(nation)}
    return render_template(
        "criteria/library.html", library=library, applies=applies, nation=nation, confidence=CONFIDENCE
    )
