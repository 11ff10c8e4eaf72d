"""Outputs: published and co-authored outputs (X-PUBLISH)."""

from __future__ import annotations

from datetime import date

from ...codes import OutputKind, PartnerKind
from ..snapshot import InitiativeFacts
from .core import Finding, Reason, Status, _check_positive, _member_ref, _not_applicable, _output_ref, _Tally, rule
from .words import OUTPUT_WORDS, _day, _none_yet, _plural, _quote

# ---------------------------------------------------------------------------------------------------
# X-PUBLISH and outputs


def _kinds_of(kind: OutputKind | None, kinds: tuple[OutputKind, ...]) -> tuple[OutputKind, ...]:
    return tuple(dict.fromkeys(((kind,) if kind is not None else ()) + kinds))


@rule("output_published")
def output_published(
    facts: InitiativeFacts,
    *,
    kind: OutputKind | None = None,
    kinds: tuple[OutputKind, ...] = (),
    must_exist: bool = True,
) -> Finding:
    """The output is published: it has a web address and a publication date (on or before ``as_of``).

    Params:
        kind / kinds: which kinds of output (default: every kind recorded).
        must_exist: when True, a kind with no output at all is not met; when False it is skipped.

    Each kind is one item: in order when any version of it is published, partly when one has a web
    address or a date but not both, not in order otherwise.
    """
    wanted = _kinds_of(kind, kinds)
    present = tuple(dict.fromkeys(o.kind for o in facts.outputs))
    tally = _Tally()
    for each in wanted or present:
        outputs = facts.outputs_of(each)
        words = OUTPUT_WORDS[each]
        if not outputs:
            if must_exist and wanted:
                tally.add("none", _none_yet(each))
            continue
        published = [o for o in outputs if o.published_by(facts.as_of)]
        if published:
            latest = max(published, key=lambda o: (o.published_on or date.min, o.id))
            assert latest.published_on is not None
            tally.add(
                "ok",
                f"The {words} {_quote(latest.title)} was published on {_day(latest.published_on)} at "
                f"{latest.published_url}.",
                [_output_ref(latest)],
            )
            continue
        # A publication date after as_of means "not yet" in an as-at report, not "half published".
        half = [
            o
            for o in outputs
            if (o.published_on is None or o.published_on <= facts.as_of) and (o.published_url or o.published_on)
        ]
        if half:
            tally.add(
                "partial",
                f"The {words} {_quote(half[0].title)} needs both a web address and a publication date to count as "
                "published.",
                [_output_ref(half[0])],
            )
        else:
            tally.add(
                "none",
                f"The {words} {_quote(outputs[0].title)} has not been published yet.",
                [_output_ref(o) for o in outputs],
            )
    if tally.ok + tally.partial + tally.none == 0:
        return _not_applicable("Nothing that needs publishing has been recorded yet.")
    return tally.finding()


@rule("co_authored_output")
def co_authored_output(
    facts: InitiativeFacts,
    *,
    kind: OutputKind | None = None,
    min_partners: int = 1,
    require_vcse: bool = False,
) -> Finding:
    """Outputs list citizen partners (and, if required, a voluntary or community organisation) as co-authors.

    Params:
        kind: which kind of output (default: every kind except accessible versions). When given and
            there is no such output, the check is not met.
        min_partners: how many citizen partner co-authors each output needs (default 1).
        require_vcse: also need a co-author from a voluntary or community organisation.
    """
    _check_positive("min_partners", min_partners)
    if kind is not None:
        outputs = facts.outputs_of(kind)
        if not outputs:
            return Finding(Status.NOT_MET, (Reason(_none_yet(kind)),))
    else:
        outputs = tuple(o for o in facts.outputs if o.kind is not OutputKind.ACCESSIBLE_VERSION)
        if not outputs:
            return _not_applicable("No outputs have been recorded yet.")
    tally = _Tally()
    for output in outputs:
        partners = [uid for uid in output.co_author_ids if uid in facts.citizen_partner_ids]
        vcse = [uid for uid in output.co_author_ids if (m := facts.member(uid)) and m.partner_kind is PartnerKind.VCSE]
        refs = [_output_ref(output), *(_member_ref(facts, uid) for uid in partners)]
        title = _quote(output.title)
        if not partners:
            tally.add("none", f"{title} has no citizen partner listed as a co-author.", refs)
            continue
        gaps = []
        if len(partners) < min_partners:
            gaps.append(f"it needs at least {_plural(min_partners, 'citizen partner')} as co-authors")
        if require_vcse and not vcse:
            gaps.append("no voluntary or community organisation is listed as a co-author")
        written = f"{title} was written with {_plural(len(partners), 'citizen partner')}"
        if gaps:
            tally.add("partial", f"{written}, but {' and '.join(gaps)}.", refs)
        else:
            tally.add("ok", f"{written}{' and a voluntary or community organisation' if require_vcse else ''}.", refs)
    return tally.finding()
