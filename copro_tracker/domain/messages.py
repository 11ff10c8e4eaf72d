"""Sentences the domain core says to people, as message ids with parameters.

The core returns ``Message`` values, never finished text, so the web layer can translate them (a later
issue adds the Welsh catalogue) and the pure core stays free of Flask-Babel. ``render`` turns a message
into text through a translator function; the default is the English text itself. The English templates
are marked with ``N_`` so ``make extract-messages`` finds them.

A message that embeds a count is a plural message (``Np_(singular, plural)``) with a ``count`` parameter: the
translator's ``ngettext`` picks the form, so Welsh gets each of its six forms (zero, one, two, few, many,
other) rather than English's two. A translator is any ``str -> str`` function; a ``Translation`` also
carries ``ngettext`` and its language code (a plain function is taken as English plural rules).
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from datetime import date
from types import MappingProxyType
from typing import Any

from ..codes import N_, Np_

Translator = Callable[[str], str]
Plural = tuple[str, str]

MONTHS = (
    N_("January"),
    N_("February"),
    N_("March"),
    N_("April"),
    N_("May"),
    N_("June"),
    N_("July"),
    N_("August"),
    N_("September"),
    N_("October"),
    N_("November"),
    N_("December"),
)

CATALOGUE: Mapping[str, str | Plural] = MappingProxyType(
    {
        # A list in a sentence: "A, B and C".
        "list.and": N_("%(items)s and %(last)s"),
        # What a stage gate still needs (shown as a list under "Before this stage can close, it needs:").
        "gate.needs.partner_contribution": N_(
            "an activity in this stage where a citizen partner took part and contributed"
        ),
        "gate.needs.commissioner_co_lead": N_("a commissioner co-lead"),
        "gate.needs.partner_co_lead": N_("a citizen partner co-lead"),
        "gate.needs.commissioner_approval": N_("sign-off by a commissioner member"),
        "gate.needs.partner_approval": N_("sign-off by a citizen partner member"),
        # Why an approval was refused: the first thing the gate is waiting for, named.
        "gate.refused": N_("This stage cannot be approved yet: it still needs %(need)s"),
        # Criteria reasons (criteria/rules/): every reason a rule gives is one of these, by family.
        "criteria.stage.design": N_("Design stage"),
        "criteria.stage.delivery": N_("Delivery stage"),
        "criteria.stage.evaluation": N_("Evaluation stage"),
        "criteria.sides.commissioner": N_("a commissioner"),
        "criteria.sides.citizen_partner": N_("a citizen partner"),
        "criteria.sides.both": N_("a commissioner and a citizen partner"),
        "criteria.stage_in_sentence.design": N_("design stage"),
        "criteria.stage_in_sentence.delivery": N_("delivery stage"),
        "criteria.stage_in_sentence.evaluation": N_("evaluation stage"),
        # Phrases the reasons share.
        "criteria.at": N_("%(title)s on %(day)s"),
        "criteria.rung": N_("rung %(rung)s of 7 (%(word)s)"),
        "criteria.who.named": N_("%(name)s, a citizen partner,"),
        "criteria.who.anyone": N_("a citizen partner"),
        "criteria.count.decision": Np_("%(count)s decision", "%(count)s decisions"),
        "criteria.count.citizen_partner": Np_("%(count)s citizen partner", "%(count)s citizen partners"),
        "criteria.count.activity": Np_("%(count)s activity", "%(count)s activities"),
        "criteria.count.request": Np_("%(count)s request", "%(count)s requests"),
        "criteria.every.citizen_partner.one": N_("the citizen partner"),
        "criteria.every.citizen_partner.two": N_("both citizen partners"),
        # Used for three or more only; the Welsh noun still changes with the count (3 and 6 mutate).
        "criteria.every.citizen_partner.many": Np_("all %(count)s citizen partners", "all %(count)s citizen partners"),
        "criteria.not_started": N_("Nothing to check yet: the %(stages)s stage has not started."),
        "criteria.attestation": N_("A person needs to confirm: %(what)s."),
        "criteria.decisions.none_yet": N_("No decision has been recorded yet."),
        # Which initiatives a criterion applies to.
        "criteria.applies.functions": N_("This applies only to work on %(functions)s."),
        "criteria.applies.collective": N_(
            "This applies only when people come together to shape services, not to one person's own support."
        ),
        "criteria.applies.individual": N_("This applies only to one person shaping their own care and support."),
        "criteria.applies.nhs": N_("This applies only when an NHS body is a partner in the work."),
        # Follow-through: decisions changed by partners.
        "criteria.changed.how": N_(
            "%(decision)s (%(day)s) changed because of what citizen partners said. How: %(how)s."
        ),
        "criteria.changed.unexplained": N_(
            "%(decision)s (%(day)s) is marked as changed by citizen partners, but does not say how."
        ),
        "criteria.changed.only_unchanged": N_(
            "The only decision so far, %(decision)s (%(day)s), does not record a change made because of what "
            "citizen partners said."
        ),
        # Used for two or more decisions (one is "criteria.changed.only_unchanged", which names it).
        "criteria.changed.none_of": Np_(
            "None of the %(count)s decisions so far records a change made because of what citizen partners said.",
            "None of the %(count)s decisions so far records a change made because of what citizen partners said.",
        ),
        "criteria.changed.some": N_(
            "%(changed)s of the %(decisions)s so far changed because of what citizen partners said."
        ),
        "criteria.changed.some_aim": N_(
            "%(changed)s of the %(decisions)s so far changed because of what citizen partners said. The aim is at "
            "least %(aim)s with the change explained."
        ),
        "criteria.changed.only": N_("The only decision so far changed because of what citizen partners said."),
        "criteria.changed.only_aim": N_(
            "The only decision so far changed because of what citizen partners said. The aim is at least %(aim)s "
            "with the change explained."
        ),
        # Follow-through: "you said, we did".
        "criteria.loop.none": N_("Citizen partners have not made any recommendations yet."),
        "criteria.loop.you_said": N_("You said %(text)s"),
        "criteria.loop.you_said_on": N_("You said %(text)s (%(day)s)"),
        "criteria.loop.person_said": N_("%(name)s said %(text)s"),
        "criteria.loop.person_said_on": N_("%(name)s said %(text)s (%(day)s)"),
        "criteria.loop.no_response": N_("%(said)s. No response is recorded yet."),
        "criteria.loop.gaps": N_("%(said)s. %(gaps)s."),
        "criteria.loop.gap.no_reason": N_("the answer was no, but no reason is recorded"),
        "criteria.loop.gap.accepted": N_("it was accepted, but what was done is not recorded"),
        "criteria.loop.gap.adapted": N_("it was adapted, but what was done is not recorded"),
        "criteria.loop.gap.review_overdue": N_("the review due on %(day)s has passed with no review recorded"),
        "criteria.loop.answered": N_("%(said)s. %(response)s"),
        "criteria.loop.reviewed": N_("%(said)s. %(response)s Reviewed on %(day)s: %(outcome)s."),
        "criteria.loop.reviewed_by": N_("%(said)s. %(response)s Reviewed on %(day)s by %(name)s: %(outcome)s."),
        "criteria.loop.rejected": N_("We could not do this. Why: %(reason)s."),
        "criteria.loop.accepted": N_("We did it: %(action)s."),
        "criteria.loop.adapted": N_("We did it a different way: %(action)s."),
        # Outputs: published and co-authored.
        "criteria.outputs.none_yet": N_("No %(output)s has been recorded yet."),
        "criteria.outputs.none_yet_plural": N_("No %(output)s have been recorded yet."),
        "criteria.outputs.published": N_("The %(output)s %(title)s was published on %(day)s at %(url)s."),
        "criteria.outputs.half_published": N_(
            "The %(output)s %(title)s needs both a web address and a publication date to count as published."
        ),
        "criteria.outputs.unpublished": N_("The %(output)s %(title)s has not been published yet."),
        "criteria.outputs.nothing_to_publish": N_("Nothing that needs publishing has been recorded yet."),
        "criteria.outputs.none_recorded": N_("No outputs have been recorded yet."),
        "criteria.outputs.no_partner_author": N_("%(title)s has no citizen partner listed as a co-author."),
        "criteria.outputs.written_with": N_("%(title)s was written with %(partners)s."),
        "criteria.outputs.written_with_vcse": N_(
            "%(title)s was written with %(partners)s and a voluntary or community organisation."
        ),
        "criteria.outputs.written_with_gaps": N_("%(title)s was written with %(partners)s, but %(gaps)s."),
        "criteria.outputs.gap.partners": N_("it needs at least %(partners)s as co-authors"),
        "criteria.outputs.gap.vcse": N_("no voluntary or community organisation is listed as a co-author"),
        # Evaluation with partners.
        "criteria.evaluation.not_started": N_("The evaluation stage has not started yet."),
        "criteria.evaluation.analysed": N_("Evaluation stage: %(who)s analysed the results with others at %(at)s."),
        "criteria.evaluation.report_with": N_("The evaluation report %(title)s was written with %(names)s."),
        "criteria.evaluation.attended_only": N_(
            "Evaluation stage: citizen partners took part in %(activities)s, but none is recorded as contributing "
            "to the analysis (answering a survey is giving views, not analysing together)."
        ),
        "criteria.evaluation.none": N_(
            "Evaluation stage: no activity yet where citizen partners analysed the results together."
        ),
        "criteria.evaluation.output_with": N_("The %(output)s %(title)s was written with %(names)s."),
        "criteria.evaluation.output_without": N_("The %(output)s %(title)s has no citizen partner as a co-author."),
        "criteria.evaluation.output_missing": N_("There is no %(output)s yet."),
        # Participation: partners in every stage.
        "criteria.stage.helped": N_(
            "%(stage)s: %(name)s, a citizen partner, helped make the decision %(decision)s at %(at)s."
        ),
        "criteria.stage.helped_rated": N_(
            "%(stage)s: %(name)s, a citizen partner, helped make the decision %(decision)s at %(at)s and rated it "
            "%(rung)s."
        ),
        "criteria.stage.gap.not_contributing": N_("is not recorded as contributing there"),
        "criteria.stage.gap.not_rated": N_("has not rated it yet, so it cannot show it reached %(aim)s"),
        "criteria.stage.gap.rated_lower": N_("rated it %(rung)s, below the %(aim)s asked for"),
        "criteria.stage.there_when": N_(
            "%(stage)s: %(who)s was there when %(decision)s was decided at %(at)s, but %(gap)s."
        ),
        "criteria.stage.views_only": N_(
            "%(stage)s: citizen partners gave their views at %(activities)s, but no decision there was taken with "
            "them. That is consultation, not co-production."
        ),
        "criteria.stage.attended_only": N_(
            "%(stage)s: citizen partners attended %(activities)s, but no decision there was taken with them. That is "
            "consultation, not co-production."
        ),
        "criteria.stage.no_decision_activity": N_(
            "%(stage)s: no activity yet where a citizen partner contributed to a decision."
        ),
        "criteria.stage.took_part": N_("%(stage)s: %(who)s took part in %(at)s."),
        "criteria.stage.took_part_rated": N_("%(stage)s: %(who)s took part in %(at)s and rated it %(rung)s."),
        "criteria.stage.how.rated": N_("rated it %(rung)s"),
        "criteria.stage.how.not_rated": N_("have not rated it yet"),
        "criteria.stage.took_part_lower": N_(
            "%(stage)s: citizen partners took part in %(at)s, but %(how)s; the aim is %(aim)s."
        ),
        "criteria.stage.no_activity": N_("%(stage)s: no activity yet where a citizen partner took part."),
        # Participation: early involvement.
        "criteria.early.before_any": N_("%(who)s first contributed at %(at)s, before any decision in the %(stage)s."),
        "criteria.early.too_early": N_(
            "No decision has been recorded in the %(stage)s yet, so it is too early to tell."
        ),
        "criteria.early.decided": N_("the first decision in the %(stage)s, %(decision)s (%(day)s)"),
        "criteria.early.contributed_at": N_("%(who)s contributed at %(at)s, at %(decided)s."),
        "criteria.early.contributed_before": N_("%(who)s contributed at %(at)s, before %(decided)s."),
        "criteria.early.views_before": N_(
            "Citizen partners gave their views at %(activities)s, before %(decided)s, but answering a survey or "
            "consultation is not being involved in the decision."
        ),
        "criteria.early.present_one": N_(
            "%(names)s was present for %(decided)s, but no citizen partner is recorded as contributing to it."
        ),
        "criteria.early.present_many": N_(
            "%(names)s were present for %(decided)s, but no citizen partner is recorded as contributing to it."
        ),
        "criteria.early.later": N_(
            "%(decided)s was made without citizen partners. %(who)s first contributed later, at %(at)s."
        ),
        "criteria.early.after_last": N_(
            "%(decided)s was made without citizen partners, and %(who)s first contributed only after the last "
            "decision in the %(stage)s, at %(at)s."
        ),
        "criteria.early.never": N_(
            "%(decided)s was made without citizen partners, and no citizen partner has contributed to a meeting or "
            "workshop since."
        ),
        # Participation: ladder ratings and positions.
        "criteria.ladder.rated_one": N_("%(at)s: a citizen partner rated it %(given)s."),
        "criteria.ladder.rated_many": N_("%(at)s: citizen partners rated it %(given)s."),
        "criteria.ladder.below_one": N_("%(at)s: a citizen partner rated it %(given)s; the aim is %(aim)s or above."),
        "criteria.ladder.below_many": N_("%(at)s: citizen partners rated it %(given)s; the aim is %(aim)s or above."),
        "criteria.ladder.differ": N_(
            "%(at)s: the two sides rated it differently. Citizen partners: %(partners)s. Staff: %(staff)s. It is "
            "worth talking about why you see it differently."
        ),
        "criteria.ladder.unrated": N_("Citizen partners have not rated %(activities)s they took part in."),
        "criteria.ladder.coerced": N_(
            "A citizen partner rated an activity rung 1 (coercion): they felt they had no say at all."
        ),
        "criteria.ladder.rating": N_("%(who)s %(rung)s"),
        "criteria.ladder.a_guest": N_("a guest"),
        "criteria.partners.none_took_part": N_("No citizen partner has taken part in an activity yet."),
        "criteria.positions.recorded": N_("Decision %(decision)s (%(day)s): citizen partners' positions are recorded."),
        "criteria.positions.missing_one": N_(
            "Decision %(decision)s (%(day)s): %(partners)s who took part has no position recorded."
        ),
        "criteria.positions.missing_many": N_(
            "Decision %(decision)s (%(day)s): %(partners)s who took part have no position recorded."
        ),
        "criteria.positions.none": N_("Decision %(decision)s (%(day)s): no citizen partner's position is recorded."),
        "criteria.positions.dissent": N_(
            "Decision %(decision)s (%(day)s): a citizen partner disagreed, and this is kept on the record."
        ),
        # Participation: payment and recognition.
        "criteria.reward.not_recorded": N_(
            "Payments and other thanks are not recorded in the tracker for this initiative. Someone needs to confirm "
            "what citizen partners were offered for their time."
        ),
        "criteria.reward.none": N_(
            "A citizen partner took part in %(activities)s, but no payment, voucher, expenses, time credit, training "
            "or 'declined' is recorded for them."
        ),
        "criteria.reward.unanswered_offer": N_("an offer not answered yet"),
        "criteria.reward.recorded": N_("A citizen partner has recognition recorded (%(kinds)s)."),
        "criteria.reward.every_activity": N_("A citizen partner has recognition recorded for every activity."),
        "criteria.reward.missing": N_(
            "A citizen partner has no payment or other recognition recorded for %(activities)s."
        ),
        # Participation: diversity, methods and regularity.
        "criteria.diversity.no_partners": N_("There are no citizen partners on this initiative yet."),
        "criteria.diversity.no_members": N_("No one is involved in this initiative yet."),
        "criteria.diversity.partners_include": N_("Citizen partners include %(groups)s."),
        "criteria.diversity.members_include": N_("The people involved include %(groups)s."),
        "criteria.diversity.partners_missing": N_("Not yet represented among citizen partners: %(groups)s."),
        "criteria.diversity.members_missing": N_("Not yet represented among the people involved: %(groups)s."),
        "criteria.diversity.no_lived_experience": N_(
            "None of the citizen partners is recorded as someone who draws on care or as an unpaid carer."
        ),
        "criteria.diversity.confirm": N_(
            "A person needs to confirm that the people most likely to be left out were reached and heard."
        ),
        "criteria.methods.ways": Np_(
            "%(stage)s: people could take part in %(count)s way (%(kinds)s).",
            "%(stage)s: people could take part in %(count)s ways (%(kinds)s).",
        ),
        "criteria.methods.one_way": N_("%(stage)s: only one way to take part so far (%(kind)s)."),
        "criteria.methods.none": N_("%(stage)s: no activities recorded yet."),
        "criteria.regular.none": N_("No activities have been recorded yet."),
        "criteria.regular.gap": Np_(
            "%(count)s day passed between %(before)s and %(after)s.",
            "%(count)s days passed between %(before)s and %(after)s.",
        ),
        "criteria.regular.since": Np_(
            "It is %(count)s day since the last activity, %(at)s.",
            "It is %(count)s days since the last activity, %(at)s.",
        ),
        "criteria.regular.only_one": N_("Only one activity was recorded, so there is no gap to measure."),
        "criteria.regular.met": Np_(
            "No gap between activities has been longer than %(count)s day.",
            "No gap between activities has been longer than %(count)s days.",
        ),
        # A sentence made of clauses: the clauses with a full stop.
        "criteria.sentence": N_("%(text)s."),
        # Access: communication needs and help recording.
        "criteria.needs.not_asked": N_(
            "%(name)s has not yet been asked what they need to take part, or the answer is not recorded."
        ),
        "criteria.needs.not_provided": Np_(
            "%(at)s: %(who)s asked for %(count)s adjustment that was not provided.",
            "%(at)s: %(who)s asked for %(count)s adjustments that were not provided.",
        ),
        "criteria.needs.recorded_one": N_("%(partners)s has communication needs recorded"),
        "criteria.needs.recorded_many": N_("%(partners)s have communication needs recorded"),
        "criteria.needs.all_provided": N_("every adjustment asked for was provided (%(requests)s)"),
        "criteria.assisted.confirmed": N_("%(at)s: recorded with help, and confirmed by the person."),
        "criteria.assisted.unconfirmed": N_(
            "%(at)s: recorded on someone's behalf, and they have not yet confirmed it is right."
        ),
        "criteria.assisted.none": N_("Nothing has been recorded on anyone's behalf."),
        # Access: formats of published outputs.
        "criteria.formats.nothing_published": N_("Nothing has been published yet."),
        "criteria.formats.none_asked": N_(
            "No citizen partner has asked for a particular format, such as Easy Read or large print."
        ),
        "criteria.formats.why_one": N_("which %(names)s needs"),
        "criteria.formats.why_many": N_("which %(names)s need"),
        "criteria.formats.why_criterion": N_("which this criterion expects of everything published"),
        "criteria.formats.available": N_("%(title)s is available in %(format)s, %(why)s."),
        "criteria.formats.missing": N_("%(title)s is not available in %(format)s, %(why)s."),
        # Language: preferred language and the Welsh active offer.
        "criteria.language.not_asked": N_("%(name)s has not been asked which language they prefer yet."),
        "criteria.language.recorded_one": N_("%(partners)s has a preferred language recorded."),
        "criteria.language.recorded_many": N_("%(partners)s have a preferred language recorded."),
        "criteria.welsh.duties_elsewhere": N_("The Welsh language duties do not apply in %(nation)s."),
        "criteria.welsh.standards_elsewhere": N_("The Welsh language standards do not apply in %(nation)s."),
        "criteria.welsh.not_asked": N_("%(name)s has not been asked whether they would like to use Welsh."),
        "criteria.welsh.way.held": N_("held in Welsh"),
        "criteria.welsh.way.interpretation": N_("had Welsh interpretation"),
        "criteria.welsh.way.papers": N_("gave out its papers in Welsh"),
        "criteria.welsh.offered_one": N_("%(at)s %(ways)s, for %(names)s, who prefers Welsh."),
        "criteria.welsh.offered_many": N_("%(at)s %(ways)s, for %(names)s, who prefer Welsh."),
        "criteria.welsh.not_offered_one": N_(
            "%(at)s: %(names)s prefers Welsh, but it was not held in Welsh, had no Welsh interpretation and gave "
            "out no papers in Welsh."
        ),
        "criteria.welsh.not_offered_many": N_(
            "%(at)s: %(names)s prefer Welsh, but it was not held in Welsh, had no Welsh interpretation and gave out "
            "no papers in Welsh."
        ),
        "criteria.welsh.output_in_welsh": N_("%(title)s is published in Welsh."),
        "criteria.welsh.output_not_in_welsh": N_("%(title)s is not published in Welsh yet."),
        "criteria.welsh.nothing_yet": N_(
            "Everyone has been asked which language they prefer. Nobody who prefers Welsh has taken part in an "
            "activity yet, and nothing has been published."
        ),
        "criteria.welsh.no_one_yet": N_("There are no citizen partners or published outputs yet."),
        "criteria.welsh.nothing_offered_one": N_(
            "%(names)s prefers Welsh, and nothing (a meeting, interpretation, papers or a published output) has been "
            "offered in Welsh. Asking which language people prefer is only the first step."
        ),
        "criteria.welsh.nothing_offered_many": N_(
            "%(names)s prefer Welsh, and nothing (a meeting, interpretation, papers or a published output) has been "
            "offered in Welsh. Asking which language people prefer is only the first step."
        ),
        # Language: effects of decisions on the Welsh language (standards 88-91).
        "criteria.effects.nothing_yet": N_("No decisions or consultations are recorded yet."),
        "criteria.effects.considered": N_(
            "The decision %(decision)s on %(day)s: its effects on the Welsh language were considered: %(note)s"
        ),
        "criteria.effects.not_relevant_because": N_(
            "The decision %(decision)s on %(day)s: recorded as not affecting the Welsh language: %(note)s"
        ),
        "criteria.effects.not_relevant": N_(
            "The decision %(decision)s on %(day)s: recorded as not affecting the Welsh language."
        ),
        "criteria.effects.not_considered": N_(
            "The decision %(decision)s on %(day)s: its effects on the Welsh language were not considered."
        ),
        "criteria.effects.unanswered": N_(
            "The decision %(decision)s on %(day)s: nobody has recorded whether its effects on the Welsh language "
            "were considered."
        ),
        "criteria.effects.asked": N_("%(at)s: asked people how the proposals would affect the Welsh language."),
        "criteria.effects.not_asked": N_(
            "%(at)s: did not ask people how the proposals would affect the Welsh language."
        ),
        "criteria.effects.asked_unknown": N_(
            "%(at)s: nobody has recorded whether it asked people how the proposals would affect the Welsh language."
        ),
        # Governance: dual sign-off and co-leads.
        "criteria.signoff.signed": N_("%(stage)s was signed off by a commissioner and a citizen partner."),
        "criteria.signoff.waiting": N_("%(stage)s is waiting for sign-off from %(sides)s."),
        "criteria.signoff.closed_without": N_("%(stage)s was closed without sign-off from %(sides)s."),
        "criteria.signoff.dissent": N_("%(stage)s: %(who)s disagreed at the sign-off: %(quote)s."),
        "criteria.signoff.dissent_no_reason": N_(
            "%(stage)s: %(who)s disagreed at the sign-off, without giving a reason."
        ),
        "criteria.signoff.none_yet": N_("No stage has reached its sign-off yet."),
        "criteria.co_leads.citizen_partner": N_("A citizen partner is a co-lead."),
        "criteria.co_leads.commissioner": N_("A commissioner is a co-lead."),
        "criteria.co_leads.no_citizen_partner": N_("There is no citizen partner co-lead."),
        "criteria.co_leads.no_commissioner": N_("There is no commissioner co-lead."),
        "criteria.co_leads.no_citizen_partner_now": N_("There is no citizen partner co-lead at the moment."),
        "criteria.co_leads.no_commissioner_now": N_("There is no commissioner co-lead at the moment."),
        # History sentences (audit/history.py): who did what, with the record and field words as phrases.
        "history.actor": N_("%(name)s (%(role)s)"),
        "history.system": N_("the system"),
        # The actor in the labels of the history page's "What happened" filter ("Someone signed in"): each event
        # code is labelled by its own sentence, so the filter and the timeline word an event the same way.
        "history.someone": N_("someone"),
        "history.updated_one": N_("%(actor)s changed the %(thing)s %(field)s from %(before)s to %(after)s"),
        "history.updated": N_("%(actor)s changed the %(thing)s"),
        "history.created": N_("%(actor)s recorded a new %(thing)s"),
        "history.deleted": N_("%(actor)s deleted a %(thing)s"),
        "history.other": N_("%(actor)s: %(action)s (%(thing)s)"),
        "history.initiative.created": N_("%(actor)s started the initiative"),
        "history.initiative.closed": N_("%(actor)s closed the initiative (all stages complete)"),
        "history.initiative.reopened": N_("%(actor)s reopened the initiative"),
        "history.membership.joined": N_("%(actor)s added a member"),
        "history.membership.left": N_("%(actor)s recorded that a member left"),
        "history.membership.role_changed": N_("%(actor)s gave a member a new role"),
        "history.membership.role_ended": N_("%(actor)s ended a member's previous role"),
        "history.stage.signed_off": N_("%(actor)s signed off a stage"),
        "history.stage.dissent_recorded": N_("%(actor)s recorded disagreement with a stage sign-off"),
        "history.stage.completed": N_("%(actor)s completed a stage (both sides signed off)"),
        "history.stage.opened": N_("%(actor)s opened the next stage"),
        "history.stage.reopened": N_("%(actor)s reopened a stage"),
        "history.auth.login": N_("%(actor)s signed in"),
        "history.auth.logout": N_("%(actor)s signed out"),
        "history.auth.login_failed": N_("%(actor)s failed to sign in"),
        "history.auth.login_blocked": N_("%(actor)s was blocked from signing in (account locked)"),
        "history.user.invited": N_("%(actor)s invited someone"),
        "history.user.joined": N_("%(actor)s accepted an invitation and joined"),
        "history.user.deactivated": N_("%(actor)s deactivated a person"),
        "history.user.reactivated": N_("%(actor)s reactivated a person"),
        "history.user.role_changed": N_("%(actor)s changed a person's role"),
        "history.audit.exported": N_("%(actor)s exported audit history"),
        "history.audit.checkpoint_made": N_("%(actor)s signed a checkpoint of the audit trail"),
        "history.audit.verified": N_("%(actor)s checked the audit trail"),
        "history.audit.bundle_exported": N_("%(actor)s exported audit evidence for inspection"),
        "history.audit.values_erased": N_("%(actor)s erased personal details from the audit trail"),
        "history.assessment.recorded": N_("%(actor)s recorded an assessment of a criterion"),
        "history.assessment.cosigned": N_("%(actor)s co-signed an assessment of a criterion"),
        "history.assessment.disagreed": N_("%(actor)s recorded disagreement with an assessment of a criterion"),
        "history.recommendation.reviewed": N_("%(actor)s recorded the review of a recommendation"),
        "history.membership.dates_changed": N_("%(actor)s recorded when a member joined or left"),
        "history.stage.dates_changed": N_("%(actor)s recorded when a stage started or finished"),
        "history.needs.viewed": N_("%(actor)s looked at people's communication needs or adjustments"),
        "history.person.data_exported": N_("%(actor)s downloaded a copy of their own data"),
        "history.person.named_use_withdrawn": N_("%(actor)s withdrew consent to being named in reports"),
        "history.person.named_use_given": N_("%(actor)s agreed to being named in reports again"),
        "history.person.anonymised": N_("%(actor)s anonymised a person at their request"),
        "history.person.erased": N_("%(actor)s erased a person's details at their request"),
        "history.data_request.correction_asked": N_("%(actor)s asked for a correction to their data"),
        "history.data_request.erasure_asked": N_("%(actor)s asked for their details to be erased"),
        "history.data_request.answered": N_("%(actor)s answered a request about personal data"),
        "history.rate_card.added": N_("%(actor)s set new rates for involvement"),
        "history.payment.offered": N_("%(actor)s made an offer of payment"),
        "history.payment.offer_changed": N_("%(actor)s changed an offer of payment"),
        "history.payment.chosen": N_("%(actor)s recorded how a person chose to be paid"),
        "history.payment.declined": N_("%(actor)s recorded a choice of no payment, thank you"),
        "history.payment.claimed": N_("%(actor)s claimed expenses"),
        "history.payment.approved": N_("%(actor)s approved a payment"),
        "history.payment.paid": N_("%(actor)s marked a payment as paid"),
        "history.payment.withdrawn": N_("%(actor)s withdrew an offer or claim"),
        "history.payment.receipt_downloaded": N_("%(actor)s downloaded a receipt"),
        "history.payment.exported": N_("%(actor)s exported payments for finance"),
        "history.payment.own_downloaded": N_("%(actor)s downloaded their own payments"),
        "history.equality.answered": N_("%(actor)s changed their answers to the equality questions"),
        "history.equality.erased": N_("%(actor)s erased a person's answers to the equality questions"),
        "history.equality.group_added": N_("%(actor)s added a seldom-heard group to the equality questions"),
        "history.equality.group_retired": N_("%(actor)s stopped asking about a seldom-heard group"),
        "history.equality.reference_set": N_("%(actor)s set reference figures for equality monitoring"),
        "history.activity.withdrawn": N_("%(actor)s withdrew an activity recorded by mistake"),
        "history.decision.withdrawn": N_("%(actor)s withdrew a decision recorded by mistake"),
        "history.recommendation.withdrawn": N_("%(actor)s withdrew a recommendation recorded by mistake"),
        "history.retention.rule_set": N_("%(actor)s changed how long a kind of record is kept"),
        "history.retention.disposed": N_("%(actor)s disposed of records past their retention period"),
        "history.legal_hold.placed": N_("%(actor)s placed a legal hold"),
        "history.legal_hold.lifted": N_("%(actor)s lifted a legal hold"),
        "history.auth.step_up": N_("%(actor)s typed their password again to confirm an action"),
        "history.activity.disposed": N_("%(actor)s disposed of an activity past its retention period"),
        "history.decision.disposed": N_("%(actor)s disposed of a decision past its retention period"),
        "history.recommendation.disposed": N_("%(actor)s disposed of a recommendation past its retention period"),
        "history.evidence.disposed": N_(
            "%(actor)s disposed of a file past its retention period (its contents were deleted)"
        ),
        "history.decision_position.disposed": N_(
            "%(actor)s removed a position on a decision past its retention period"
        ),
        "history.attendance.needs_disposed": N_("%(actor)s removed adjustments past their retention period"),
        "history.attendance.rating_disposed": N_("%(actor)s removed a rating past its retention period"),
        "history.reciprocity_entry.receipt_disposed": N_("%(actor)s deleted a receipt past its retention period"),
        "history.evidence.withdrawn": N_("%(actor)s withdrew a file added by mistake (its contents were deleted)"),
        "history.activity.attendance_recorded": N_("%(actor)s recorded who attended an activity"),
        "history.activity.corrected": N_("%(actor)s corrected the record of an activity"),
        "history.attendance.rated": N_("%(actor)s rated how much say people had in an activity"),
        "history.decision.dissent_recorded": N_("%(actor)s recorded disagreement with a decision"),
        "history.evidence.uploaded": N_("%(actor)s added an evidence file"),
        "history.invitation.accepted": N_("%(actor)s accepted an invitation"),
        "history.invitation.revoked": N_("%(actor)s cancelled an invitation"),
        "history.invitation.replaced": N_("%(actor)s replaced an invitation with a new one"),
        "history.invitation.superseded": N_("%(actor)s made a newer invitation that replaced an older one"),
        "history.password_reset.issued": N_("%(actor)s made a password reset link"),
        "history.password_reset.revoked": N_("%(actor)s cancelled a password reset link"),
        "history.password_reset.used": N_("%(actor)s used a password reset link"),
        "history.recommendation.made": N_("%(actor)s made a recommendation"),
        "history.recommendation.responded": N_("%(actor)s responded to a recommendation"),
        "history.share_link.created": N_("%(actor)s made a share link"),
        "history.share_link.revoked": N_("%(actor)s cancelled a share link"),
        "history.share_link.used": N_("%(actor)s opened a share link"),
        "history.report.generated": N_("%(actor)s produced a report"),
        "history.user.password_changed": N_("%(actor)s changed their password"),
        "history.user.password_reset": N_("%(actor)s reset their password"),
        "history.user.profile_updated": N_("%(actor)s updated their profile"),
        "history.user.notifications_changed": N_("%(actor)s changed how they hear of what waits for them"),
        # Why a password is refused (auth/passwords.py): the lengths are counts, so Welsh has each form.
        "password.too_short": Np_(
            "Password must be at least %(count)s character", "Password must be at least %(count)s characters"
        ),
        "password.too_long": Np_(
            "Password must be %(count)s character or fewer", "Password must be %(count)s characters or fewer"
        ),
        # The name an erased person is shown by (people/erasure.py), with their number.
        "person.former_member": N_("Former member %(id)s"),
        # How long a share link may last (reports/service.py).
        "share_link.days": Np_("A link can last from 1 to %(count)s day", "A link can last from 1 to %(count)s days"),
        "history.activity.recorded": N_("%(actor)s recorded an activity"),
        "history.activity.recorded_on_behalf": N_("%(actor)s recorded an activity on behalf of a citizen partner"),
        "history.activity.confirmed": N_("%(actor)s confirmed the record of an activity"),
        "history.decision.recorded": N_("%(actor)s recorded a decision"),
        "history.output.recorded": N_("%(actor)s recorded an output"),
        "history.output.published": N_("%(actor)s recorded that an output was published"),
        # What the audit trail's check found (audit/ledger.py, outside.py, copies.py, service.py). They are
        # stored as ids with values, so the admin page and the admins' email show them in each reader's
        # language; `flask audit verify` prints the English. Counts that may be large arrive already grouped
        # ("12,345"), so they are values, not plural counts.
        "audit.gap": N_("Event %(seq)s is missing: %(where)s (%(why)s)."),
        "audit.gap.where.start": N_("the chain should start at event 1 but the first stored event is %(num)s"),
        "audit.gap.where.after": N_("after event %(before)s the next stored event is %(num)s"),
        "audit.gap.why.deleted": N_("events were deleted or reordered"),
        "audit.gap.why.disorder": N_("events are out of order or duplicated"),
        "audit.link.genesis": N_(
            "Event 1: its previous hash is not the genesis value (events before it were removed or forged)."
        ),
        "audit.link.broken": N_(
            "Event %(seq)s: its link to event %(before)s is broken (the stored previous hash does not match "
            "event %(before)s's hash)."
        ),
        "audit.hash": N_("Event %(seq)s: stored hash does not match its contents (the event was altered)."),
        "audit.checkpoint.bad_signature": N_(
            "The checkpoint of %(size)s events issued at %(time)s does not carry a valid signature from this key "
            "(it was forged or altered, or the wrong key was used)."
        ),
        "audit.checkpoint.other_key": N_("%(failure)s It names key %(key)s…, not the configured key %(configured)s…."),
        "audit.checkpoint.wrong_organisation": N_(
            "The checkpoint is for organisation '%(found)s', not '%(expected)s'."
        ),
        "audit.checkpoint.truncated": N_(
            "The chain ends at event %(last)s but the checkpoint issued at %(time)s covers %(size)s events: events "
            "%(first)s to %(size)s are missing (the log was truncated or rolled back)."
        ),
        "audit.checkpoint.rewritten": N_(
            "The first %(size)s events do not match the checkpoint issued at %(time)s (history up to that "
            "checkpoint was rewritten)."
        ),
        "audit.checkpoint.order": N_(
            "The checkpoint issued at %(time)s covering %(size)s events comes after one issued at %(earlier_time)s "
            "covering %(earlier_size)s: checkpoints must never go back in size or time (one was inserted or altered)."
        ),
        "audit.checkpoint.numbered": N_("checkpoint #%(num)s (issued %(time)s)"),
        "audit.checkpoint.signed_more": N_(
            "The chain has %(last)s events but %(which)s signed %(size)s: events %(first)s to %(size)s are missing "
            "(the log was truncated or rolled back)."
        ),
        "audit.checkpoint.previous_truncated": N_(
            "The chain ends at event %(last)s but the previous checkpoint covers %(size)s events: events %(first)s "
            "to %(size)s are missing (the log was truncated or rolled back)."
        ),
        "audit.checkpoint.previous_rewritten": N_(
            "The first %(size)s events no longer match the checkpoint issued at %(time)s (history up to that "
            "checkpoint was rewritten)."
        ),
        "audit.checkpoint.hashes_missing": N_("Stored hashes the checkpoint needs are missing."),
        "audit.rollback": N_(
            "ROLLBACK: the database has %(last)s events but the checkpoint kept outside it (issued %(time)s) signed "
            "%(size)s: events %(first)s to %(size)s are gone. The database was restored from an older backup or its "
            "audit trail was truncated."
        ),
        "audit.fork": N_(
            "FORK: the database's first %(size)s events are not the ones the checkpoint kept outside it (issued "
            "%(time)s) signed. Its history was rewritten, or it was restored from an older backup and has been "
            "written to since, so two different histories exist."
        ),
        "audit.copy.unreadable": N_("The outside checkpoint copy %(where)s cannot be read: %(error)s."),
        "audit.copy.old_unreadable": N_("The outside checkpoint %(where)s cannot be read: %(error)s."),
        "audit.copy.store_unreadable": N_(
            "The checkpoint copies kept outside the database cannot be read (%(error)s), so a rollback or a "
            "truncated chain end could not be checked. Try again once the file store answers."
        ),
        "audit.copy.wrong_organisation": N_(
            "The outside copy %(where)s is a checkpoint of '%(found)s', not '%(expected)s'."
        ),
        "audit.copy.failure": N_("%(failure)s (Outside copy %(where)s.)"),
        "audit.head.truncated": N_(
            "The chain ends at event %(last)s but its head records %(size)s events: events %(first)s to %(size)s "
            "are missing (deleted after they were written)."
        ),
        "audit.head.replaced": N_(
            "Event %(seq)s: its hash is not the one the chain head recorded when it was appended (the event, or "
            "the chain from it onwards, was replaced)."
        ),
        "audit.head.merkle": N_(
            "The Merkle state stored with the chain head does not match the events (it was altered): proofs and "
            "checkpoints made from it would be refused."
        ),
        "audit.head.not_last": N_("Event %(seq)s is not the one the chain head recorded."),
        "audit.head.numbering": N_(
            "The stored events are not numbered 1 to the chain head's count: run flask audit verify."
        ),
        "audit.value.somewhere": N_("a field"),
        "audit.value.field_before": N_("field '%(field)s' (before)"),
        "audit.value.field_after": N_("field '%(field)s' (after)"),
        "audit.value.missing": N_(
            "Event %(seq)s, %(where)s: the value it refers to is missing from the audit values (deleted, or its "
            "reference changed); an erased value keeps its row."
        ),
        "audit.value.edited": N_(
            "Event %(seq)s, %(where)s: the stored value no longer matches the reference signed into the event (the "
            "value or its salt was edited after it was recorded, which changes what the history shows)."
        ),
        "audit.value.orphan": N_(
            "An audit value (reference %(ref)s…) no longer matches its reference, and no event refers to it."
        ),
        "audit.unguarded.one": N_(
            "%(table)s is not append-only: its trigger %(names)s is missing or disabled, so its rows can be changed "
            "or deleted without the database refusing. Restore them ('flask db upgrade' on a fresh database creates "
            "them)."
        ),
        "audit.unguarded.many": N_(
            "%(table)s is not append-only: its triggers %(names)s are missing or disabled, so its rows can be "
            "changed or deleted without the database refusing. Restore them ('flask db upgrade' on a fresh database "
            "creates them)."
        ),
        "audit.proof.gap": N_("Event %(seq)s is missing, so no proof can be made."),
        "audit.proof.truncated": N_("The chain ends at event %(last)s but the checkpoint covers %(size)s."),
        "audit.proof.hashes_missing": N_("%(num)s stored hashes a proof needs are missing, so no proof can be made."),
        "audit.proof.rewritten": N_("The stored events no longer reproduce the checkpoint issued at %(time)s."),
        "audit.export.refused": N_("Cannot export: %(error)s."),
        "audit.export.altered": N_("Cannot export: event %(seq)s was altered."),
        "audit.export.missing": N_("Cannot export: a cited event is missing."),
        "audit.no_checkpoint": N_("No checkpoint was made, because the audit trail failed its check: %(reason)s"),
        # What a check that found nothing wrong says.
        "audit.verified": N_("All %(events)s verified: every link and hash is intact. %(signed)s"),
        "audit.verified.events_one": N_("%(size)s event"),
        "audit.verified.events": N_("%(size)s events"),
        "audit.verified.first_checkpoint": N_(
            "There was no signed checkpoint, so a truncated chain end could not have been detected; a first "
            "checkpoint is made now."
        ),
        "audit.verified.no_checkpoint": N_("There is no signed checkpoint yet."),
        "audit.verified.one_checkpoint": N_("Its signed checkpoint matches (%(size)s events, issued %(time)s)."),
        "audit.verified.checkpoints": N_(
            "All %(num)s signed checkpoints match (the latest covers %(size)s events, issued %(time)s)."
        ),
        "audit.verified.outside": N_(
            "It holds all %(size)s events of the checkpoint kept outside the database (issued %(time)s)."
        ),
        "audit.verified.copy": N_(
            "It holds all %(size)s events of the newest checkpoint copy kept outside the database (issued %(time)s)."
        ),
    }
)


def identity(text: str) -> str:
    return text


def english_plural(singular: str, plural: str, count: int) -> str:
    return singular if count == 1 else plural


@dataclass(frozen=True, slots=True)
class Translation:
    """A translator for one language: ``gettext`` for plain messages, ``ngettext`` for plural ones (the
    catalogue's Plural-Forms picks among the language's forms) and the language code, which chooses between
    texts written beside each other in a framework file (``Text``)."""

    language: str
    gettext: Translator = identity
    ngettext: Callable[[str, str, int], str] = english_plural

    def __call__(self, text: str) -> str:
        return self.gettext(text)


ENGLISH = Translation("en")


def language_of(translate: Translator) -> str:
    return getattr(translate, "language", "en")


# The Welsh alphabet's order: its digraphs are letters of their own ("ch" comes after every other "c", "ll"
# after "l"), and the English letters Welsh borrows sit where English puts them.
_WELSH_ORDER = (
    *("a", "b", "c", "ch", "d", "dd", "e", "f", "ff", "g", "ng", "h", "i", "j", "k", "l", "ll", "m", "n", "o"),
    *("p", "ph", "q", "r", "rh", "s", "t", "th", "u", "v", "w", "x", "y", "z"),
)
_WELSH_RANK = {letter: chr(0x100 + rank) for rank, letter in enumerate(_WELSH_ORDER)}


def sort_key(text: str, language: str = "en") -> str:
    """A key that sorts texts alphabetically for readers of `language`: case and accents ignored; in Welsh, the
    digraphs count as single letters. ("ng" is taken as a letter, as dictionaries do, though in a few words
    such as "Bangor" it is n and g.)"""
    plain = "".join(c for c in unicodedata.normalize("NFD", text.casefold()) if not unicodedata.combining(c))
    if language != "cy":
        return plain
    out, i = [], 0
    while i < len(plain):
        pair = plain[i : i + 2]
        if pair in _WELSH_RANK:
            out.append(_WELSH_RANK[pair])
            i += 2
        else:
            out.append(_WELSH_RANK.get(plain[i], plain[i]))
            i += 1
    return "".join(out)


def plural(translate: Translator, forms: Plural, count: int) -> str:
    """The form of a plural message for ``count`` in the translator's language (English rules for a plain
    function: it has no plural forms to offer)."""
    ngettext = getattr(translate, "ngettext", None)
    if ngettext is not None:
        return ngettext(forms[0], forms[1], count)
    return translate(english_plural(forms[0], forms[1], count))


def _placeholders(entry: str | Plural) -> frozenset[str]:
    texts = (entry,) if isinstance(entry, str) else entry
    return frozenset(name for text in texts for name in re.findall(r"%\((\w+)\)", text))


# Every %(name)s a message's English text needs: a message is refused unless it fills exactly these, so a
# finished sentence never shows a placeholder or drops a name. A plural message always has ``count``, in both
# forms: Babel checks a translation's first form (Welsh: zero) against the singular's placeholders.
_PARAMS: Mapping[str, frozenset[str]] = MappingProxyType(
    {
        key: _placeholders(entry) | (frozenset() if isinstance(entry, str) else {"count"})
        for key, entry in CATALOGUE.items()
    }
)


def _render(value: object, translate: Translator) -> object:
    render = getattr(value, "render", None)
    return render(translate) if render is not None else value


@dataclass(frozen=True, slots=True)
class Message:
    """A message id and its parameters (kept as sorted pairs, so a message is hashable and comparable).

    A parameter is data (a name, a title, quoted text, a number) or something that renders in the reader's
    language itself: another ``Message``, a ``Phrase``, a ``Day`` or an ``AndList``.
    """

    id: str
    params: tuple[tuple[str, object], ...] = ()

    def __post_init__(self) -> None:
        if self.id not in CATALOGUE:
            raise KeyError(f"unknown message id {self.id!r}")
        given = {key for key, _ in self.params}
        if given != _PARAMS[self.id]:
            raise KeyError(f"message {self.id!r} needs {sorted(_PARAMS[self.id])}, was given {sorted(given)}")
        if self.is_plural:
            count = dict(self.params)["count"]
            if not isinstance(count, int) or isinstance(count, bool):
                raise TypeError(f"message {self.id!r} needs a whole number as its count, was given {count!r}")

    @property
    def is_plural(self) -> bool:
        return not isinstance(CATALOGUE[self.id], str)

    @classmethod
    def of(cls, message_id: str, **params: object) -> Message:
        return cls(message_id, tuple(sorted(params.items())))

    def render(self, translate: Translator = identity) -> str:
        entry = CATALOGUE[self.id]
        if isinstance(entry, str):
            text = translate(entry)
        else:
            text = plural(translate, entry, dict(self.params)["count"])
        if not self.params:
            return text
        # Parameters that render themselves (messages, phrases, dates, lists) use the same translator.
        return text % {key: _render(value, translate) for key, value in self.params}

    def __str__(self) -> str:
        return self.render()


@dataclass(frozen=True, slots=True)
class Phrase:
    """A word or phrase from a table of words for codes (marked with ``N_`` where the table is written).

    ``lower``: a label written to stand alone ("Time credits"), used within a sentence.
    """

    text: str
    lower: bool = False

    def render(self, translate: Translator = identity) -> str:
        text = translate(self.text)
        return text.lower() if self.lower else text

    def __str__(self) -> str:
        return self.render()


@dataclass(frozen=True, slots=True)
class Text:
    """Words written in a framework file (what a person must confirm), with the Welsh written beside the English.

    Shown in Welsh when the translator's language is Welsh and ``cy`` is written; otherwise in English (a page
    marks that part lang="en")."""

    en: str
    cy: str = ""

    @classmethod
    def of(cls, value: object) -> Text:
        return value if isinstance(value, Text) else cls(str(value))

    def trimmed(self) -> Text:
        """Without surrounding space or a closing full stop (the sentence around it has its own)."""
        return Text(self.en.strip().rstrip("."), self.cy.strip().rstrip("."))

    def has(self, language: str) -> bool:
        return language != "cy" or bool(self.cy)

    def render(self, translate: Translator = identity) -> str:
        return self.cy if self.cy and language_of(translate) == "cy" else self.en

    def __str__(self) -> str:
        return self.en


@dataclass(frozen=True, slots=True)
class Day:
    """A date as people write it ("3 March 2025"), with the month in the reader's language."""

    value: date

    def render(self, translate: Translator = identity) -> str:
        return f"{self.value.day} {translate(MONTHS[self.value.month - 1])} {self.value.year}"

    def __str__(self) -> str:
        return self.render()


@dataclass(frozen=True, slots=True)
class Cap:
    """A parameter that starts a sentence: its first letter in upper case."""

    value: object

    def render(self, translate: Translator = identity) -> str:
        text = str(_render(self.value, translate))
        return text[:1].upper() + text[1:]

    def __str__(self) -> str:
        return self.render()


@dataclass(frozen=True, slots=True)
class Listing:
    """Clauses joined by a separator that is punctuation, the same in every language ("; ")."""

    items: tuple[object, ...]
    separator: str = "; "

    def render(self, translate: Translator = identity) -> str:
        return self.separator.join(str(_render(item, translate)) for item in self.items)

    def __str__(self) -> str:
        return self.render()


@dataclass(frozen=True, slots=True)
class AndList:
    """Items joined as a list in a sentence: "A", "A and B", "A, B and C"."""

    items: tuple[object, ...]

    @classmethod
    def of(cls, items: object) -> AndList:
        return cls(tuple(items))  # type: ignore[call-overload]

    def render(self, translate: Translator = identity) -> str:
        parts = [str(_render(item, translate)) for item in self.items]
        if len(parts) <= 1:
            return "".join(parts)
        return translate(CATALOGUE["list.and"]) % {"items": ", ".join(parts[:-1]), "last": parts[-1]}

    def __str__(self) -> str:
        return self.render()


# ---------------------------------------------------------------------------------------------------
# Messages as JSON, for sentences stored now and shown later in whichever language the reader has: the
# criteria findings (criteria/stored.py) and the audit trail's checks (models.AuditVerification).


def encode_value(value: Any) -> Any:
    """A message (or one of its values) as JSON-ready data that ``decode_value`` turns back into it."""
    if isinstance(value, Message):
        return {"m": value.id, "p": [[k, encode_value(v)] for k, v in value.params]}
    if isinstance(value, Phrase):
        return {"w": value.text, "lower": value.lower}
    if isinstance(value, Day):
        return {"day": value.value.isoformat()}
    if isinstance(value, AndList):
        return {"and": [encode_value(v) for v in value.items]}
    if isinstance(value, Listing):
        return {"list": [encode_value(v) for v in value.items], "sep": value.separator}
    if isinstance(value, Cap):
        return {"cap": encode_value(value.value)}
    if isinstance(value, Text):
        return {"text": value.en, "welsh": value.cy}
    if isinstance(value, date):
        return {"d": value.isoformat()}
    if value is None or isinstance(value, str | int | float | bool):
        return value
    return str(value)


def decode_value(value: Any) -> Any:
    if not isinstance(value, dict):
        return value
    if "m" in value:
        return Message(value["m"], tuple((k, decode_value(v)) for k, v in value["p"]))
    if "w" in value:
        return Phrase(value["w"], value.get("lower", False))
    if "day" in value:
        return Day(date.fromisoformat(value["day"]))
    if "and" in value:
        return AndList(tuple(decode_value(v) for v in value["and"]))
    if "list" in value:
        return Listing(tuple(decode_value(v) for v in value["list"]), value["sep"])
    if "cap" in value:
        return Cap(decode_value(value["cap"]))
    if "text" in value:
        return Text(value["text"], value.get("welsh", ""))
    return date.fromisoformat(value["d"])
