"""Welsh plural forms: the catalogue has CLDR's six (zero, one, two, few, many, other), every plural message
fills all six, and a domain message with a count picks the right one through the translator passed in."""

from __future__ import annotations

import gettext
import io
from collections.abc import Iterator

import pytest
from babel.core import Locale
from babel.messages.mofile import write_mo

from copro_tracker.domain.messages import CATALOGUE, Message, Translation

from .catalogue import welsh_catalogue

COUNTS = (0, 1, 2, 3, 6, 7)


@pytest.fixture(autouse=True)
def _app_context() -> Iterator[None]:
    """Overrides tests/conftest.py's fixture of this name: these tests read files only."""
    yield


@pytest.fixture(scope="module")
def welsh() -> Translation:
    """The Welsh catalogue compiled in memory, exactly as `make translations` compiles it."""
    buffer = io.BytesIO()
    write_mo(buffer, welsh_catalogue())
    buffer.seek(0)
    compiled = gettext.GNUTranslations(buffer)
    return Translation("cy", compiled.gettext, compiled.ngettext)


def test_the_catalogue_declares_the_six_welsh_plural_forms_in_cldr_order() -> None:
    catalogue = welsh_catalogue()
    assert catalogue.num_plurals == 6
    # CLDR's categories for Welsh, and the form each count below must land in.
    assert Locale("cy").plural_form.tags | {"other"} == {"zero", "one", "two", "few", "many", "other"}
    expected = {0: "zero", 1: "one", 2: "two", 3: "few", 6: "many", 7: "other", 4: "other", 100: "other"}
    order = ["zero", "one", "two", "few", "many", "other"]
    choose = gettext.c2py(catalogue.plural_expr)
    for count, category in expected.items():
        assert Locale("cy").plural_form(count) == category
        assert choose(count) == order.index(category), count


def test_every_plural_message_in_the_catalogue_has_six_forms_all_written() -> None:
    short = [m.id for m in welsh_catalogue() if isinstance(m.id, tuple) and len(m.string) != 6]
    blank = [m.id for m in welsh_catalogue() if isinstance(m.id, tuple) and not all(s.strip() for s in m.string)]
    assert not short, f"plural messages without all six Welsh forms: {short}"
    assert not blank, f"plural messages with an empty Welsh form: {blank}"


def test_domain_plural_messages_carry_the_count_in_both_english_forms() -> None:
    plurals = {key: forms for key, forms in CATALOGUE.items() if not isinstance(forms, str)}
    assert len(plurals) >= 10
    for key, forms in plurals.items():
        assert all("%(count)s" in form for form in forms), key


@pytest.mark.parametrize(
    ("message_id", "params", "expected"),
    [
        (
            "criteria.count.decision",
            {},
            [
                "0 penderfyniadau",
                "1 penderfyniad",
                "2 benderfyniad",
                "3 phenderfyniad",
                "6 phenderfyniad",
                "7 penderfyniad",
            ],
        ),
        (
            "criteria.count.citizen_partner",
            {},
            [
                "0 partneriaid dinasyddion",
                "1 partner dinasyddion",
                "2 bartner dinasyddion",
                "3 phartner dinasyddion",
                "6 phartner dinasyddion",
                "7 partner dinasyddion",
            ],
        ),
        (
            "criteria.count.request",
            {},
            ["0 ceisiadau", "1 cais", "2 gais", "3 chais", "6 chais", "7 cais"],
        ),
        (
            "criteria.count.activity",
            {},
            [
                "0 gweithgareddau",
                "1 gweithgaredd",
                "2 weithgaredd",
                "3 gweithgaredd",
                "6 gweithgaredd",
                "7 gweithgaredd",
            ],
        ),
        (
            "password.too_short",
            {},
            [
                f"Rhaid i'r cyfrinair gynnwys o leiaf {n} {word}"
                for n, word in zip(COUNTS, ["nodau", "nod", "nod", "nod", "nod", "nod"], strict=True)
            ],
        ),
        (
            "share_link.days",
            {},
            [
                f"Gall dolen rannu bara rhwng 1 a {n} {word}"
                for n, word in zip(
                    COUNTS, ["diwrnodau", "diwrnod", "ddiwrnod", "diwrnod", "diwrnod", "diwrnod"], strict=True
                )
            ],
        ),
        (
            "criteria.regular.met",
            {},
            [
                f"Nid oes unrhyw fwlch rhwng gweithgareddau wedi bod yn hirach na {n} {word}."
                for n, word in zip(
                    COUNTS, ["diwrnodau", "diwrnod", "ddiwrnod", "diwrnod", "diwrnod", "diwrnod"], strict=True
                )
            ],
        ),
    ],
)
def test_welsh_counts_take_the_form_cldr_gives_them(
    welsh: Translation, message_id: str, params: dict, expected: list[str]
) -> None:
    assert [Message.of(message_id, count=n, **params).render(welsh) for n in COUNTS] == expected


def test_english_has_two_forms_and_a_plain_function_gets_english_rules() -> None:
    rendered = [Message.of("criteria.count.decision", count=n).render() for n in COUNTS]
    assert rendered == ["0 decisions", "1 decision", "2 decisions", "3 decisions", "6 decisions", "7 decisions"]
    assert (
        Message.of("criteria.count.activity", count=1).render(lambda text: text.replace("activity", "ACT")) == "1 ACT"
    )


def test_a_plural_message_needs_a_whole_number_count() -> None:
    with pytest.raises(KeyError):
        Message.of("criteria.count.decision")
    with pytest.raises(TypeError):
        Message.of("criteria.count.decision", count="3")
    with pytest.raises(TypeError):
        Message.of("criteria.count.decision", count=True)


@pytest.mark.parametrize(
    ("singular", "plural", "values", "expected"),
    [
        (
            "%(num)s thing is waiting for you. Showing %(first)s to %(last)s.",
            "%(num)s things are waiting for you. Showing %(first)s to %(last)s.",
            {"first": 1, "last": 10},
            [
                f"Mae {n} {w} yn aros amdanoch. Yn dangos 1–10."
                for n, w in zip(COUNTS, ["pethau", "peth", "beth", "pheth", "pheth", "peth"], strict=True)
            ],
        ),
        (
            "Total (%(num)s item)",
            "Total (%(num)s items)",
            {},
            [
                f"Cyfanswm ({n} {w})"
                for n, w in zip(COUNTS, ["eitemau", "eitem", "eitem", "eitem", "eitem", "eitem"], strict=True)
            ],
        ),
        (
            "%(num)s entry, signed %(when)s",
            "%(num)s entries, signed %(when)s",
            {"when": "ddoe"},
            ["0 cofnodion, wedi'u llofnodi ddoe", "1 cofnod, wedi'i lofnodi ddoe", "2 gofnod, wedi'u llofnodi ddoe"]
            + [
                f"{n} {w}, wedi'u llofnodi ddoe"
                for n, w in zip(COUNTS[3:], ["chofnod", "chofnod", "cofnod"], strict=True)
            ],
        ),
        (
            (
                "They were paid in an initiative that is still open: payment records are kept for %(num)s month "
                "after it closes."
            ),
            (
                "They were paid in an initiative that is still open: payment records are kept for %(num)s months "
                "after it closes."
            ),
            {},
            [
                "Cawson nhw eu talu mewn menter sy'n dal ar agor: mae cofnodion taliadau yn cael eu cadw "
                f"am {n} {w} ar ôl iddi gau."
                for n, w in zip(COUNTS, ["misoedd", "mis", "fis", "mis", "mis", "mis"], strict=True)
            ],
        ),
        (
            (
                "Open this link to choose a new password. It works once, for %(num)s hour:\n%(link)s\n\n"
                "If you did not ask for this, you can ignore this email."
            ),
            (
                "Open this link to choose a new password. It works once, for %(num)s hours:\n%(link)s\n\n"
                "If you did not ask for this, you can ignore this email."
            ),
            {"link": "L"},
            [
                f"Agorwch y ddolen hon i ddewis cyfrinair newydd. Mae'n gweithio unwaith, am {n} {w}:\nL\n\n"
                "Os na wnaethoch chi ofyn am hyn, gallwch anwybyddu'r e-bost hwn."
                for n, w in zip(COUNTS, ["oriau", "awr", "awr", "awr", "awr", "awr"], strict=True)
            ],
        ),
        (
            "Due in the next %(num)s day",
            "Due in the next %(num)s days",
            {},
            [
                f"I'w gwaredu yn ystod y {n} {w} nesaf"
                for n, w in zip(
                    COUNTS, ["diwrnodau", "diwrnod", "ddiwrnod", "diwrnod", "diwrnod", "diwrnod"], strict=True
                )
            ],
        ),
    ],
)
def test_page_and_email_counts_take_the_welsh_form_cldr_gives_them(
    welsh: Translation, singular: str, plural: str, values: dict, expected: list[str]
) -> None:
    """Sentences the pages and emails count with ngettext (not domain messages): each Welsh form is written."""
    assert [welsh.ngettext(singular, plural, n) % {"num": n, **values} for n in COUNTS] == expected
