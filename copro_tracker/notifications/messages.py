"""What a notification says and where it leads, for its line in the app and for its email (in the current
locale: the email job writes it in each of the recipient's languages in turn, mail.compose)."""

from __future__ import annotations

from flask_babel import gettext as _
from flask_babel import ngettext

from .. import labels
from ..codes import NotificationKind
from .service import Line


def target(line: Line) -> tuple[str, dict[str, object]]:
    """The endpoint and its values for the thing the notification asks the person to do or look at."""
    n = line.notification
    if n.kind == NotificationKind.SIGN_OFF:
        return "initiatives.sign_off", {"initiative_id": n.initiative_id, "kind": line.stage_kind}
    if n.kind == NotificationKind.CONFIRM:
        return "activities.confirm_activity", {"initiative_id": n.initiative_id, "activity_id": n.subject_id}
    if n.kind == NotificationKind.RATE:
        return "activities.rate_activity", {"initiative_id": n.initiative_id, "activity_id": n.subject_id}
    if n.kind == NotificationKind.INVITATION:
        return "initiatives.overview", {"initiative_id": n.initiative_id}
    if n.kind == NotificationKind.REVIEW_DUE:
        return "activities.respond_recommendation", {
            "initiative_id": n.initiative_id,
            "recommendation_id": n.subject_id,
        }
    return "activities.recommendations", {"initiative_id": n.initiative_id}


def _short(text: str | None, length: int = 80) -> str:
    text = " ".join((text or "").split())
    return text if len(text) <= length else text[: length - 1].rstrip() + "…"


def headline(line: Line) -> str:
    """One sentence saying what waits, naming the initiative and the thing."""
    n, title = line.notification, line.initiative_title or ""
    if n.kind == NotificationKind.SIGN_OFF:
        stage = labels.label(labels.STAGE, line.stage_kind).lower()
        return _("The %(stage)s stage of %(title)s is waiting for your sign-off", stage=stage, title=title)
    if n.kind == NotificationKind.CONFIRM:
        return _(
            "Check what was recorded on your behalf: %(activity)s, %(title)s",
            activity=line.activity_title or "",
            title=title,
        )
    if n.kind == NotificationKind.RATE:
        return _(
            "Rate how co-produced it felt: %(activity)s, %(title)s", activity=line.activity_title or "", title=title
        )
    if n.kind == NotificationKind.REVIEW_DUE:
        return _(
            "The review of a recommendation is due: %(text)s, %(title)s",
            text=_short(line.recommendation_text),
            title=title,
        )
    if n.kind == NotificationKind.INVITATION:
        role = labels.label(labels.MEMBER_ROLE, line.member_role) if line.member_role else ""
        return _("You have been added to an initiative: %(title)s (your role: %(role)s)", title=title, role=role)
    if n.kind == NotificationKind.DIGEST:
        # Listed only in "Your data": the record that a weekly summary went (its cycle is the week).
        return _("Your weekly summary of what was waiting for you, week %(week)s", week=n.cycle)
    return _(
        "Your recommendation has a response: %(text)s, %(title)s", text=_short(line.recommendation_text), title=title
    )


def explanation(line: Line) -> str:
    """Why it is asked of this person, for the email."""
    kind = line.notification.kind
    if kind == NotificationKind.SIGN_OFF:
        return _(
            "Each side signs off a stage before it closes. If you disagreed, your view is kept; the stage "
            "still waits for you until it closes, and you can approve it later or keep your disagreement."
        )
    if kind == NotificationKind.CONFIRM:
        return _("Someone recorded an activity on your behalf. Check it says what happened, and confirm or correct it.")
    if kind == NotificationKind.RATE:
        return _("You took part in this activity. Say how much it felt like co-production to you.")
    if kind == NotificationKind.INVITATION:
        return _(
            "You already have an account, so you do not need to do anything to join. Open the initiative to "
            "see what is happening and what you can do."
        )
    if kind == NotificationKind.REVIEW_DUE:
        return _("As a co-lead, look at whether what was done about this recommendation worked.")
    return _("See what was done about what you said.")


def email(line: Line, name: str, link: str, settings: str) -> tuple[str, str]:
    """Subject and body of a notification's email, in the current locale."""
    return (
        headline(line),
        _(
            "Hello %(name)s,\n\n%(what)s.\n\n%(why)s\n\nOpen it here:\n%(link)s\n\n"
            "You can choose which emails you get from %(service)s here:\n%(settings)s\n",
            name=name,
            what=headline(line),
            why=explanation(line),
            link=link,
            service=labels.service_name(),
            settings=settings,
        ),
    )


def digest(name: str, headlines: list[str], link: str, settings: str) -> tuple[str, str]:
    """Subject and body of the weekly summary of unread notifications, in the current locale."""
    listed = "\n".join(f"- {text}" for text in headlines)
    return (
        ngettext(
            "%(service)s: %(num)s thing waiting for you",
            "%(service)s: %(num)s things waiting for you",
            len(headlines),
            service=labels.service_name(),
        ),
        _(
            "Hello %(name)s,\n\nThese are waiting for you and still unread:\n\n%(list)s\n\n"
            "See them all here:\n%(link)s\n\nYou can stop this weekly summary here:\n%(settings)s\n",
            name=name,
            list=listed,
            link=link,
            settings=settings,
        ),
    )
