"""What every service shares: the one error type for a refused write, and optimistic locking.

A service refuses a write by raising ``ServiceError`` with a message written for the person and, where
it is about one answer, the form field it belongs to; the route shows it in the GOV.UK error summary.
``EditConflict`` is the refusal for "someone else saved first": the route shows the person's own
changes beside the saved version (HTTP 409) and nothing is overwritten.

Locking: records that people edit carry a ``version`` column (SQLAlchemy's ``version_id_col``). The
form carries the version the person started from; ``check_version`` refuses a save made from an older
one, and ``commit_or_conflict`` turns SQLAlchemy's stale-data error (a save that raced another) into
the same refusal after rolling back, so no half-saved change survives.
"""

from __future__ import annotations

from flask import has_request_context
from flask_babel import gettext, ngettext
from sqlalchemy.orm.exc import StaleDataError

from .codes import N_
from .extensions import db

CONFLICT = N_("Someone else changed this record while you were editing it")


def in_reader_language(text: str, **values: object) -> str:
    """A message id (with its values) in the reader's language: a page in theirs; a command, which has no
    request, in English."""
    if has_request_context():
        return gettext(text, **values)
    return text % values if values else text


def plural_in_reader_language(singular: str, plural: str, num: int, **values: object) -> str:
    """The same for a message with a count (`num`), whose form the reader's language chooses (Welsh has six)."""
    if has_request_context():
        return ngettext(singular, plural, num, **values)
    return (singular if num == 1 else plural) % {"num": num, **values}


class ServiceError(ValueError):
    """A write the service refused, with a message for the person and the form field it is about.

    The message is a message id (marked ``N_``), which the view translates, or a domain message that renders
    itself (``Message``, ``Listing``...: one with a count, whose form the reader's language chooses). ``str()``
    renders the latter in the request's language, so the views' ``_(str(error))`` shows either kind in it;
    without a request (the CLI) it is English. A message id with values (``%(name)s``, given as keywords)
    cannot be looked up once they are filled in, so it is translated here, before they are; translating the
    result again in the view finds nothing and leaves it as it is."""

    def __init__(self, message: object, field: str | None = None, **values: object) -> None:
        super().__init__(in_reader_language(str(message), **values) if values else message)
        self.field = field

    def __str__(self) -> str:
        message = self.args[0] if self.args else ""
        render = getattr(message, "render", None)
        if render is None:
            return str(message)
        if not has_request_context():
            return render()
        from .labels import translation  # labels needs the models, which need this module

        return render(translation())


class EditConflict(ServiceError):
    """Someone else saved first: nothing is overwritten; the person sees both versions."""


def check_version(
    record: object, expected: int | None, message: str = CONFLICT, field: str | None = None, *, required: bool = True
) -> None:
    """Refuse a save made from another version of ``record`` than the one stored.

    ``required=False`` lets a caller with no version to compare (a create-or-update form's first save)
    through; otherwise a missing version is a conflict, because nobody can say what the person saw.
    """
    if expected is None and not required:
        return
    if expected is None or record.version != expected:  # type: ignore[attr-defined]
        raise EditConflict(message, field)


def flush_or_conflict(message: str = CONFLICT, field: str | None = None) -> None:
    """Flush (to check the version before further work in the same transaction); refuse as commit does."""
    try:
        db.session.flush()
    except StaleDataError as error:
        db.session.rollback()
        raise EditConflict(message, field) from error


def commit_or_conflict(message: str = CONFLICT, field: str | None = None) -> None:
    """Commit; if another save got there first, roll back and refuse with ``EditConflict``."""
    try:
        db.session.commit()
    except StaleDataError as error:
        db.session.rollback()
        raise EditConflict(message, field) from error
