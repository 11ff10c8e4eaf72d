"""Coded values as people read them, translated for the current request.

The words themselves live once, beside the codes, in ``copro_tracker.codes``; this module only wraps
each table so the text is translated when it is shown (``lazy_gettext`` looks the English text up in the
catalogue at render time). Forms, pages and the audit history use these; the pure core uses the English
tables in ``codes`` directly.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Mapping
from typing import Any

from flask import current_app, g, has_app_context
from flask_babel import LazyString, get_locale, get_translations, gettext
from flask_babel import lazy_gettext as _l
from markupsafe import Markup
from wtforms.fields.choices import SelectChoice

from . import codes
from .domain.messages import CATALOGUE, Message, Text, Translation


def _with_hint(text: str, hint: str) -> LazyString:
    return LazyString(lambda: f"{gettext(text)}: {gettext(hint)}")


def _translated(table: Mapping, hints: Mapping | None = None) -> dict:
    hints = hints or {}
    return {key: _with_hint(text, hints[key]) if key in hints else _l(text) for key, text in table.items()}


ROLE = _translated(codes.ORG_ROLE_LABELS)
SIDE = _translated(codes.SIDE_LABELS)
PARTNER_KIND = _translated(codes.PARTNER_KIND_LABELS)
COMMUNICATION_NEED = _translated(codes.COMMUNICATION_NEED_LABELS)
NATION = _translated(codes.NATION_LABELS)
STATUTORY_FUNCTION = _translated(codes.STATUTORY_FUNCTION_LABELS)
LEVEL = _translated(codes.LEVEL_LABELS)
STAGE = _translated(codes.STAGE_LABELS)
STAGE_STATUS = _translated(codes.STAGE_STATUS_LABELS)
MEMBER_ROLE = _translated(codes.MEMBER_ROLE_LABELS)
SIGN_OFF = _translated(codes.SIGN_OFF_LABELS)
OUTPUT_KIND = _translated(codes.OUTPUT_KIND_LABELS)
OUTPUT_FORMAT = _translated(codes.OUTPUT_FORMAT_LABELS)
RECIPROCITY_KIND = _translated(codes.RECIPROCITY_KIND_LABELS)
PAYMENT_CHOICE = _translated(
    {kind: codes.RECIPROCITY_KIND_LABELS[kind] for kind in codes.PAYMENT_CHOICES}, codes.PAYMENT_CHOICE_HINTS
)
PAYMENT_STATUS = _translated(codes.PAYMENT_STATUS_LABELS)
RATE_BASIS = _translated(codes.RATE_BASIS_LABELS)
LANGUAGE = _translated(codes.LANGUAGE_LABELS)
ACTIVITY_LANGUAGE = _translated(codes.ACTIVITY_LANGUAGE_LABELS)
INTERPRETATION = _translated(codes.INTERPRETATION_LABELS)
ACTIVITY_KIND = _translated(codes.ACTIVITY_KIND_LABELS)
POSITION = _translated(codes.POSITION_LABELS)
WELSH_EFFECTS = _translated(codes.WELSH_EFFECTS_LABELS)
# Offered as choices, where the short label alone would not say what answering it commits the council to.
RESPONSE = _translated(codes.RESPONSE_LABELS, codes.RESPONSE_HINTS)
CONSENT = _translated(codes.CONSENT_LABELS, codes.CONSENT_HINTS)
ASSESSMENT_LINK = _translated(codes.ASSESSMENT_LINK_LABELS)
DATA_REQUEST_KIND = _translated(codes.DATA_REQUEST_KIND_LABELS)
DATA_REQUEST_STATUS = _translated(codes.DATA_REQUEST_STATUS_LABELS)
EQUALITY_QUESTION = _translated(codes.EQUALITY_QUESTION_LABELS)
EQUALITY_QUESTION_ASKED = _translated(codes.EQUALITY_QUESTION_ASKED)
# Each single-choice equality question's answers, by question code.
EQUALITY_ANSWERS = {question.value: _translated(codes.LABELS[kind]) for question, kind in codes.EQUALITY_CODES.items()}
RETAINED_RECORD = _translated(codes.RETAINED_RECORD_LABELS)
RETAINED_RECORD_HINT = _translated(codes.RETAINED_RECORD_HINTS)
NOTIFICATION_KIND = _translated(codes.NOTIFICATION_KIND_LABELS)
# Criteria: the automatic check's statuses (the people's assessment uses the first four).
FINDING_STATUS = _translated(codes.FINDING_STATUS_LABELS)
CRITERION_TOPIC = _translated(codes.CRITERION_TOPIC_LABELS)
CRITERION_TOPIC_ACTION = _translated(codes.CRITERION_TOPIC_ACTIONS)
LADDER = {rung: LazyString(lambda r=rung, t=text: f"{r}. {gettext(t)}") for rung, text in codes.LADDER_LABELS.items()}
LADDER_HINT = _translated(codes.LADDER_HINTS)


# The service's own name is translated too ("Traciwr Cyd-gynhyrchu"); a deployment that renames it in
# config.SERVICE_NAME shows its own name, untranslated unless the catalogue has it.
DEFAULT_SERVICE_NAME = _l("Co-production Tracker")


def service_name() -> str:
    return gettext(current_app.config["SERVICE_NAME"])


def choices(mapping: dict) -> list[SelectChoice]:
    # The labels stay lazy: forms build their choices once, at import, and each page shows them in its own language.
    return [SelectChoice(str(getattr(key, "value", key)), label) for key, label in mapping.items()]


def label(mapping: dict, key: object) -> str:
    if not has_app_context():
        return _label(mapping, key)
    # A page shows the same few labels many times (a stage, a kind and a status on each of 100 rows): each is
    # looked up and translated once per request and language. The mapping is kept with the text, so a
    # short-lived mapping whose id is reused later in the request cannot be mistaken for another.
    cache = g.setdefault("labels", {})
    try:
        entry = cache.get((id(mapping), key, get_locale()))
    except TypeError:  # a key that cannot be hashed
        return _label(mapping, key)
    if entry is not None and entry[0] is mapping:
        return entry[1]
    text = _label(mapping, key)
    cache[(id(mapping), key, get_locale())] = (mapping, text)
    return text


def _label(mapping: dict, key: object) -> str:
    for candidate, text in mapping.items():
        if candidate == key or getattr(candidate, "value", None) == key:
            return str(text)
    return str(key)


def translation() -> Translation:
    """The current request's language as a translator for the domain core's messages (plural forms included)."""
    translations = get_translations()
    locale = get_locale()
    return Translation(locale.language if locale else "en", translations.gettext, translations.ngettext)


def message(value: Message) -> str:
    """A message from the domain core, in the current request's language."""
    return value.render(translation())


def reason_text(reason: object) -> Markup:
    """A criteria reason in the current request's language.

    A reason stored before message ids gives English only: on a Welsh page that sentence is marked lang="en",
    so it is read out as English and the Welsh page check can tell it from an interface word that was missed.
    """
    text = reason.render(translation())  # type: ignore[attr-defined]
    message = getattr(reason, "message", None)
    welsh_page = str(get_locale() or "en") != "en"
    if message is not None:
        text = _former_members_in_reader_language(text, getattr(reason, "refs", ()))
    if message is None and welsh_page:
        return Markup('<span lang="en" data-untranslated="reason">%s</span>') % text
    what = dict(message.params).get("what") if message is not None and message.id == ATTESTATION else None
    if welsh_page and what is not None and not Text.of(what).cy:
        # The framework file has no Welsh yet for what a person must confirm (or the reason was stored before
        # it had): the sentence around it is translated and that part is marked as English for screen readers.
        english = Markup('<span lang="en" data-untranslated="criterion">%s</span>') % Text.of(what).en
        return Markup.escape(gettext(CATALOGUE[ATTESTATION])) % {"what": english}
    return Markup.escape(text)


ATTESTATION = "criteria.attestation"


def is_former_member(person_id: object, label: object) -> bool:
    """Whether `label` is the stored English name of an erased person (the rules name people by their stored
    name, and erasure stores this label: people/erasure.py)."""
    return isinstance(person_id, int) and label == Message.of("person.former_member", id=person_id).render()


def _former_members_in_reader_language(text: str, refs: Iterable[Any]) -> str:
    """A reason's text with each erased person it names (a member reference labelled with their stored English
    name, as the rules make it) named in the reader's language instead."""
    for ref in refs:
        if ref.kind == "member" and is_former_member(ref.id, ref.label):
            shown = former_member(ref.id)
            text = re.sub(rf"(?<!\w){re.escape(ref.label)}(?!\w)", lambda _match, shown=shown: shown, text)
    return text


def former_member(person_id: int) -> str:
    """The name an erased person is shown by, in the current request's language (English without one)."""
    value = Message.of("person.former_member", id=person_id)
    return message(value) if has_app_context() else value.render()
