"""Outputs: published and co-authored outputs (X-PUBLISH)."""

from __future__ import annotations

from datetime import date

from ...codes import OutputKind, PartnerKind
from ...domain.messages import Message, Phrase
from ..snapshot import InitiativeFacts
from .core import Finding, Reason, Status, _check_positive, _member_ref, _not_applicable, _output_ref, _Tally, rule
from .words import OUTPUT_WORDS, _day, _join, _none_yet, _plural, _quote

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
        words = Phrase(OUTPUT_WORDS[each])
        if not outputs:
            if must_exist and wanted:
                tally.add("none", _none_yet(each))
            continue
        published = [o for o in outputs if o.published_by(facts.as_of)]
        if published:
            latest = max(published, key=lambda o: (o.published_on or date.min, o.id))
            assert latest.published_on is not None
            text = Message.of(
                "criteria.outputs.published",
                output=words,
                title=_quote(latest.title),
                day=_day(latest.published_on),
                url=latest.published_url,
            )
            tally.add("ok", text, [_output_ref(latest)])
            continue
        # A publication date after as_of means "not yet" in an as-at report, not "half published".
        half = [
            o
            for o in outputs
            if (o.published_on is None or o.published_on <= facts.as_of) and (o.published_url or o.published_on)
        ]
        if half:
            text = Message.of("criteria.outputs.half_published", output=words, title=_quote(half[0].title))
            tally.add("partial", text, [_output_ref(half[0])])
        else:
            text = Message.of("criteria.outputs.unpublished", output=words, title=_quote(outputs[0].title))
            tally.add("none", text, [_output_ref(o) for o in outputs])
    if tally.ok + tally.partial + tally.none == 0:
        return _not_applicable(Message.of("criteria.outputs.nothing_to_publish"))
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
            return Finding(Status.NOT_MET, (Reason.of(_none_yet(kind)),))
    else:
        outputs = tuple(o for o in facts.outputs if o.kind is not OutputKind.ACCESSIBLE_VERSION)
        if not outputs:
            return _not_applicable(Message.of("criteria.outputs.none_recorded"))
    tally = _Tally()
    for output in outputs:
        partners = [uid for uid in output.co_author_ids if uid in facts.citizen_partner_ids]
        vcse = [uid for uid in output.co_author_ids if (m := facts.member(uid)) and m.partner_kind is PartnerKind.VCSE]
        refs = [_output_ref(output), *(_member_ref(facts, uid) for uid in partners)]
        title = _quote(output.title)
        if not partners:
            tally.add("none", Message.of("criteria.outputs.no_partner_author", title=title), refs)
            continue
        gaps: list[Message] = []
        if len(partners) < min_partners:
            gaps.append(Message.of("criteria.outputs.gap.partners", partners=_plural(min_partners, "citizen_partner")))
        if require_vcse and not vcse:
            gaps.append(Message.of("criteria.outputs.gap.vcse"))
        written = {"title": title, "partners": _plural(len(partners), "citizen_partner")}
        if gaps:
            tally.add("partial", Message.of("criteria.outputs.written_with_gaps", **written, gaps=_join(gaps)), refs)
        else:
            key = "criteria.outputs.written_with_vcse" if require_vcse else "criteria.outputs.written_with"
            tally.add("ok", Message.of(key, **written), refs)
    return tally.finding()
