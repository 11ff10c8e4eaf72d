"""The immutable snapshot of one initiative that every criteria rule reads.

This module is the contract between the database loader (``criteria/facts.py``, which maps ORM rows to
these values in a fixed number of queries) and the pure rules in ``criteria/rules/``. Nothing here
queries anything: a snapshot is plain data, frozen and hashable, so a finding can be recomputed from it
at any time and two snapshots of the same records compare equal.

Coded fields are ``StrEnum`` members. The loader may pass either members or their string values; both
are normalised on construction, so an unknown code fails loudly at load time rather than silently
never matching in a rule. Collections are tuples (lists are converted) so every value stays hashable.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date, datetime
from enum import StrEnum
from functools import cached_property
from typing import TypeVar

from ..codes import (
    LADDER_RUNGS,
    STAGE_ORDER,
    ActivityKind,
    ConsentLevel,
    EvidenceLinkKind,
    MemberRole,
    Nation,
    OutputFormat,
    OutputKind,
    PartnerKind,
    PaymentStatus,
    Position,
    ReciprocityKind,
    Response,
    Side,
    SignOffDecision,
    StageKind,
    StageStatus,
    StatutoryFunction,
    WelshEffects,
)


def _set_enum(obj: object, name: str, kind: type[StrEnum], optional: bool = False) -> None:
    value = getattr(obj, name)
    if value is None and optional:
        return
    if not isinstance(value, kind):
        # object.__setattr__ because the dataclasses are frozen; this runs once, during construction.
        object.__setattr__(obj, name, kind(value))


def _set_tuple(obj: object, name: str, kind: type[StrEnum] | None = None) -> None:
    value = getattr(obj, name)
    if kind is None and type(value) is tuple:
        return
    object.__setattr__(obj, name, tuple(kind(v) if kind is not None and not isinstance(v, kind) else v for v in value))


@dataclass(frozen=True, slots=True)
class InitiativeInfo:
    id: int
    title: str
    nation: Nation
    statutory_functions: tuple[StatutoryFunction, ...] = ()
    # False for individual-level co-production (one person shaping their own support).
    collective: bool = True
    current_stage: StageKind | None = None
    closed: bool = False
    # Set when an ICB or NHS trust is a partner: the NHS involvement duties then apply as well.
    nhs_partnered: bool = False

    def __post_init__(self) -> None:
        _set_enum(self, "nation", Nation)
        _set_tuple(self, "statutory_functions", StatutoryFunction)
        _set_enum(self, "current_stage", StageKind, optional=True)


@dataclass(frozen=True, slots=True)
class Member:
    """One tenure of one person on the initiative. A person who left and rejoined has two."""

    user_id: int
    display_name: str
    # The side of this membership (codes.Side), fixed when the person joined: who counts as a citizen
    # partner here (domain.people), whatever their organisation role is today.
    side: Side
    partner_kind: PartnerKind | None = None
    role: MemberRole = MemberRole.MEMBER
    joined_on: date | None = None
    # Inclusive: the person still counts as a member on the day they left.
    left_on: date | None = None
    communication_needs: tuple[str, ...] = ()
    communication_needs_other: str = ""
    # False until someone has asked and recorded the answer; True with no needs means "none stated".
    needs_recorded: bool = False
    # None means nobody has asked yet (as opposed to "en", an answer).
    preferred_language: str | None = None

    def __post_init__(self) -> None:
        _set_enum(self, "side", Side)
        _set_enum(self, "partner_kind", PartnerKind, optional=True)
        _set_enum(self, "role", MemberRole)
        _set_tuple(self, "communication_needs")

    @property
    def is_citizen_partner(self) -> bool:
        return self.side is Side.CITIZEN_PARTNER

    @property
    def is_staff(self) -> bool:
        return self.side is Side.COMMISSIONER

    @property
    def needs_none_stated(self) -> bool:
        return self.needs_recorded and not self.communication_needs and not self.communication_needs_other

    def active_on(self, day: date) -> bool:
        started = self.joined_on is None or self.joined_on <= day
        return started and (self.left_on is None or day <= self.left_on)


@dataclass(frozen=True, slots=True)
class SignOff:
    user_id: int
    # The signer's side, carried on the sign-off itself so a gate stays attributable after their tenure ends.
    side: Side
    verdict: SignOffDecision
    reason: str = ""
    on: date | None = None
    # When it was given, to the second: an approval given before the stage's activities last changed no
    # longer counts (domain.gates.approving_sides).
    at: datetime | None = None

    def __post_init__(self) -> None:
        _set_enum(self, "side", Side)
        _set_enum(self, "verdict", SignOffDecision)

    @property
    def by_citizen_partner(self) -> bool:
        return self.side is Side.CITIZEN_PARTNER

    @property
    def by_staff(self) -> bool:
        return self.side is Side.COMMISSIONER


@dataclass(frozen=True, slots=True)
class Stage:
    kind: StageKind
    status: StageStatus = StageStatus.NOT_STARTED
    opened_on: date | None = None
    closed_on: date | None = None
    signoffs: tuple[SignOff, ...] = ()
    # When an activity in the stage was last recorded or changed: approvals given before it are asked for again.
    activities_changed_at: datetime | None = None

    def __post_init__(self) -> None:
        _set_enum(self, "kind", StageKind)
        _set_enum(self, "status", StageStatus)
        _set_tuple(self, "signoffs")

    @property
    def started(self) -> bool:
        return self.status != StageStatus.NOT_STARTED

    @property
    def at_gate(self) -> bool:
        return self.status in (StageStatus.AWAITING_SIGNOFF, StageStatus.COMPLETE)


@dataclass(frozen=True, slots=True)
class Activity:
    id: int
    stage: StageKind
    kind: ActivityKind
    on: date
    title: str
    recorded_by: int | None = None
    # An assisted contribution: recorded by someone else for this person, who should then confirm it.
    on_behalf_of: int | None = None
    on_behalf_confirmed: bool = False
    # Language codes ("en", "cy", "bsl", "other") the activity was held in, interpretation or translation
    # provided ("cy", "bsl", "other"), and the formats material for it was given in.
    languages: tuple[str, ...] = ()
    interpretation: tuple[str, ...] = ()
    material_formats: tuple[OutputFormat, ...] = ()
    # Whether it asked people about the proposals' effects on the Welsh language; None when nobody said.
    asked_about_welsh_effects: bool | None = None

    def __post_init__(self) -> None:
        _set_enum(self, "stage", StageKind)
        _set_enum(self, "kind", ActivityKind)
        _set_tuple(self, "languages")
        _set_tuple(self, "interpretation")
        _set_tuple(self, "material_formats", OutputFormat)

    @property
    def in_welsh(self) -> bool:
        """Held in Welsh, or with Welsh interpretation: a Welsh speaker could take part in Welsh."""
        return "cy" in self.languages or "cy" in self.interpretation


@dataclass(frozen=True, slots=True)
class Attendance:
    activity_id: int
    user_id: int | None = None
    # For people who took part without an account; the loader sets is_citizen_partner for them too.
    guest_name: str = ""
    is_citizen_partner: bool = False
    contributed: bool = False
    adjustments_requested: tuple[str, ...] = ()
    adjustments_provided: tuple[str, ...] = ()
    # The attendee's own TLAP ladder rating of this activity, 1 (coercion) to 7 (co-producing).
    rating: int | None = None

    def __post_init__(self) -> None:
        _set_tuple(self, "adjustments_requested")
        _set_tuple(self, "adjustments_provided")
        if self.rating is not None and self.rating not in LADDER_RUNGS:
            raise ValueError(f"ladder rating must be between 1 and 7, got {self.rating}")

    @property
    def missing_adjustments(self) -> tuple[str, ...]:
        return tuple(a for a in self.adjustments_requested if a not in self.adjustments_provided)


@dataclass(frozen=True, slots=True)
class MemberPosition:
    user_id: int
    stance: Position

    def __post_init__(self) -> None:
        _set_enum(self, "stance", Position)


@dataclass(frozen=True, slots=True)
class Decision:
    id: int
    activity_id: int
    on: date
    text: str
    changed_by_partner_input: bool = False
    how_changed: str = ""
    positions: tuple[MemberPosition, ...] = ()
    # Whether its effects on the Welsh language were considered; None when nobody has said.
    welsh_effects: WelshEffects | None = None
    welsh_effects_note: str = ""

    def __post_init__(self) -> None:
        _set_tuple(self, "positions")
        _set_enum(self, "welsh_effects", WelshEffects, optional=True)

    def stance_of(self, user_id: int) -> Position | None:
        for position in self.positions:
            if position.user_id == user_id:
                return position.stance
        return None


@dataclass(frozen=True, slots=True)
class Recommendation:
    """Something partners said, and what was done about it ("you said, we did")."""

    id: int
    text: str
    raised_on: date | None = None
    from_user_id: int | None = None
    activity_id: int | None = None
    response: Response | None = None
    reason: str = ""
    action: str = ""
    review_on: date | None = None
    # The review actually held: when, who held it, and what it found.
    reviewed_on: date | None = None
    reviewed_by: int | None = None
    review_outcome: str = ""
    # The day the response was recorded: an "as at" report hides responses given after its date.
    responded_on: date | None = None

    def __post_init__(self) -> None:
        _set_enum(self, "response", Response, optional=True)


@dataclass(frozen=True, slots=True)
class Evidence:
    id: int
    name: str
    consent: ConsentLevel
    linked_kind: EvidenceLinkKind = EvidenceLinkKind.INITIATIVE
    linked_id: int | None = None

    def __post_init__(self) -> None:
        _set_enum(self, "consent", ConsentLevel)
        _set_enum(self, "linked_kind", EvidenceLinkKind)


@dataclass(frozen=True, slots=True)
class Output:
    id: int
    kind: OutputKind
    title: str
    co_author_ids: tuple[int, ...] = ()
    version: str = "1"
    published_url: str | None = None
    published_on: date | None = None
    formats: tuple[OutputFormat, ...] = ()
    evidence_id: int | None = None

    def __post_init__(self) -> None:
        _set_enum(self, "kind", OutputKind)
        _set_tuple(self, "co_author_ids")
        _set_tuple(self, "formats", OutputFormat)

    def published_by(self, day: date) -> bool:
        """True when it has a web address and a publication date on or before ``day``."""
        return bool(self.published_url) and self.published_on is not None and self.published_on <= day


@dataclass(frozen=True, slots=True)
class ReciprocityEntry:
    """An offer made to a person (kind: their choice, None until they choose) or an expense claim (EXPENSES).

    Withdrawn offers and claims are not facts: they were never made. An offer declined ("no payment, thank
    you") is still an offer made. ``status`` defaults to PAID, what an entry recorded before offers existed
    means: given, and approved when recorded."""

    id: int
    user_id: int
    kind: ReciprocityKind | None
    activity_id: int | None = None
    amount_pence: int = 0
    hours: float = 0.0
    on: date | None = None
    status: PaymentStatus = PaymentStatus.PAID
    # The day the choice was recorded or the claim made, and the day it was paid: the time from one to the other.
    claimed_on: date | None = None
    paid_on: date | None = None

    def __post_init__(self) -> None:
        _set_enum(self, "kind", ReciprocityKind, optional=True)
        _set_enum(self, "status", PaymentStatus)

    @property
    def days_to_pay(self) -> int | None:
        if self.claimed_on is None or self.paid_on is None:
            return None
        return max((self.paid_on - self.claimed_on).days, 0)


_Dated = TypeVar("_Dated", Activity, Decision)


def _sorted_by_date(items: Iterable[_Dated]) -> tuple[_Dated, ...]:
    return tuple(sorted(items, key=lambda item: (item.on, item.id)))


@dataclass(frozen=True)
class InitiativeFacts:
    """Everything the rules may know about one initiative, as at ``as_of``.

    ``reciprocity`` is None when payments and recognition are not recorded in the tracker at all (the
    rule then asks for a person to confirm), and an empty tuple when they are recorded and there are none.
    """

    initiative: InitiativeInfo
    as_of: date
    members: tuple[Member, ...] = ()
    stages: tuple[Stage, ...] = ()
    activities: tuple[Activity, ...] = ()
    attendance: tuple[Attendance, ...] = ()
    decisions: tuple[Decision, ...] = ()
    recommendations: tuple[Recommendation, ...] = ()
    evidence: tuple[Evidence, ...] = ()
    outputs: tuple[Output, ...] = ()
    reciprocity: tuple[ReciprocityEntry, ...] | None = None

    def __post_init__(self) -> None:
        for name in ("members", "stages", "activities", "attendance", "decisions", "recommendations"):
            _set_tuple(self, name)
        _set_tuple(self, "evidence")
        _set_tuple(self, "outputs")
        if self.reciprocity is not None:
            _set_tuple(self, "reciprocity")

    @classmethod
    def empty(cls, nation: Nation | str = Nation.ENGLAND, as_of: date | None = None) -> InitiativeFacts:
        """A brand-new initiative with nothing recorded: used to dry-run checks when frameworks load."""
        return cls(
            initiative=InitiativeInfo(id=0, title="", nation=Nation(nation)),
            as_of=as_of or date(2000, 1, 1),
            stages=tuple(Stage(kind) for kind in STAGE_ORDER),
        )

    # Indexes are computed on first use and cached on the instance (cached_property writes straight to
    # __dict__, which a frozen dataclass allows); they never change because the snapshot cannot.

    @cached_property
    def _members_by_user(self) -> dict[int, Member]:
        latest: dict[int, Member] = {}
        for member in self.members:
            current = latest.get(member.user_id)
            if current is None or (member.joined_on or date.min) >= (current.joined_on or date.min):
                latest[member.user_id] = member
        return latest

    @cached_property
    def _activities_by_id(self) -> dict[int, Activity]:
        return {activity.id: activity for activity in self.activities}

    @cached_property
    def _attendance_by_activity(self) -> dict[int, tuple[Attendance, ...]]:
        grouped: dict[int, list[Attendance]] = {}
        for row in self.attendance:
            grouped.setdefault(row.activity_id, []).append(row)
        return {key: tuple(rows) for key, rows in grouped.items()}

    @cached_property
    def _partner_attendance_by_activity(self) -> dict[int, tuple[Attendance, ...]]:
        return {
            key: partners
            for key, rows in self._attendance_by_activity.items()
            if (partners := tuple(r for r in rows if r.is_citizen_partner))
        }

    @cached_property
    def _decisions_by_id(self) -> dict[int, Decision]:
        return {decision.id: decision for decision in self.decisions}

    @cached_property
    def _decisions_by_activity(self) -> dict[int, tuple[Decision, ...]]:
        grouped: dict[int, list[Decision]] = {}
        for decision in self.decisions:
            grouped.setdefault(decision.activity_id, []).append(decision)
        return {key: _sorted_by_date(rows) for key, rows in grouped.items()}

    @cached_property
    def citizen_partner_ids(self) -> frozenset[int]:
        """Everyone who has held a citizen-partner membership at any time."""
        return frozenset(m.user_id for m in self.members if m.is_citizen_partner)

    @cached_property
    def staff_ids(self) -> frozenset[int]:
        return frozenset(m.user_id for m in self.members if m.is_staff)

    @property
    def citizen_partners(self) -> tuple[Member, ...]:
        """One entry per citizen partner (their latest tenure), in name order."""
        partners = (m for m in self._members_by_user.values() if m.is_citizen_partner)
        return tuple(sorted(partners, key=lambda m: (m.display_name, m.user_id)))

    def members_on(self, day: date) -> tuple[Member, ...]:
        return tuple(m for m in self.members if m.active_on(day))

    @property
    def current_members(self) -> tuple[Member, ...]:
        return self.members_on(self.as_of)

    def member(self, user_id: int) -> Member | None:
        """The person's latest tenure, or None if they were never a member."""
        return self._members_by_user.get(user_id)

    def name_of(self, user_id: int | None) -> str:
        member = self.member(user_id) if user_id is not None else None
        return member.display_name if member else f"member #{user_id}"

    def stage(self, kind: StageKind | str) -> Stage | None:
        for stage in self.stages:
            if stage.kind == kind:
                return stage
        return None

    @property
    def started_stages(self) -> tuple[Stage, ...]:
        """Stages that have started, in design, delivery, evaluation order."""
        return tuple(s for kind in STAGE_ORDER if (s := self.stage(kind)) is not None and s.started)

    def activity(self, activity_id: int | None) -> Activity | None:
        return self._activities_by_id.get(activity_id) if activity_id is not None else None

    def activities_in(self, stage: StageKind | str) -> tuple[Activity, ...]:
        return _sorted_by_date(a for a in self.activities if a.stage == stage)

    def attendance_at(self, activity_id: int) -> tuple[Attendance, ...]:
        return self._attendance_by_activity.get(activity_id, ())

    def partner_attendance_at(self, activity_id: int) -> tuple[Attendance, ...]:
        return self._partner_attendance_by_activity.get(activity_id, ())

    def decisions_at(self, activity_id: int) -> tuple[Decision, ...]:
        return self._decisions_by_activity.get(activity_id, ())

    def decisions_in(self, stage: StageKind | str) -> tuple[Decision, ...]:
        in_stage = {a.id for a in self.activities if a.stage == stage}
        return _sorted_by_date(d for d in self.decisions if d.activity_id in in_stage)

    def decision(self, decision_id: int | None) -> Decision | None:
        return self._decisions_by_id.get(decision_id) if decision_id is not None else None

    def outputs_of(self, *kinds: OutputKind | str) -> tuple[Output, ...]:
        return tuple(o for o in self.outputs if o.kind in kinds)

    def reciprocity_for(self, user_id: int) -> tuple[ReciprocityEntry, ...]:
        return tuple(e for e in self.reciprocity or () if e.user_id == user_id)
