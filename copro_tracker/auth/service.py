"""Accounts: sign-in with lockout, invitations, password resets, member administration.

Each public function takes plain values and the acting user, changes models and commits once; the
audit capture sees that commit.
"""

from __future__ import annotations

from datetime import timedelta

import sqlalchemy as sa
from flask import current_app

from ..audit import capture
from ..codes import N_, Nation, OrgRole, PartnerKind, TokenPurpose
from ..extensions import db
from ..labels import former_member
from ..models import AccountToken, Organisation, User, utcnow
from ..services import ServiceError
from ..tenancy import scoped
from . import names, passwords, tokens

GENERIC_LOGIN_ERROR = N_("Enter a correct email address and password")


def check_name(display_name: str) -> None:
    problem = names.name_problem(display_name)
    if problem:
        raise ServiceError(problem, "display_name")


def normalise_email(email: str) -> str:
    return email.strip().lower()


def find_user_by_email(email: str) -> User | None:
    return db.session.scalar(sa.select(User).where(User.email == normalise_email(email)))


def account_in(organisation_id: int, email: str) -> User | None:
    """The active account with this address in this organisation, if there is one (an account in another
    organisation is none of its business, and is not found here)."""
    user = find_user_by_email(email)
    if user is None or user.organisation_id != organisation_id or not user.active:
        return None
    return user


def authenticate(email: str, password: str) -> User:
    """Return the user, or raise ServiceError with one message whatever the cause (no account enumeration)."""
    user = find_user_by_email(email)
    now = utcnow()
    if user is None:
        passwords.check_password(None, password)
        raise ServiceError(GENERIC_LOGIN_ERROR)
    attempt = _reserve_attempt(user.id, now)
    if attempt is None:
        passwords.check_password(None, password)
        capture.record(db.session, "auth.login_blocked", user.organisation_id, "user", user.id, actor_id=user.id)
        db.session.commit()
        raise ServiceError(GENERIC_LOGIN_ERROR)
    locked = attempt.locked_until is not None
    if not passwords.check_password(user.password_hash, password) or not user.active:
        capture.record(
            db.session, "auth.login_failed", user.organisation_id, "user", user.id, actor_id=user.id, locked=locked
        )
        db.session.commit()
        raise ServiceError(GENERIC_LOGIN_ERROR)
    user.failed_logins = 0
    user.locked_until = None
    user.last_login_at = now
    capture.record(db.session, "auth.login", user.organisation_id, "user", user.id, actor_id=user.id)
    db.session.commit()
    return user


def _reserve_attempt(user_id: int, now) -> sa.Row | None:
    """Count this sign-in attempt before its password is checked, in one SQL statement; None when locked.

    Reading the counter, checking the (slow, on purpose) password and writing the counter back let N
    concurrent guesses all be checked before any of them locked the account. Here the database counts:
    each attempt increments the counter atomically, and the attempt that reaches the threshold locks the
    account in the same statement, before its own password is checked (a right password then unlocks it).
    So at most LOCKOUT_THRESHOLD passwords are ever checked per lock period, however many arrive at once.
    The attempt is committed at once so that concurrent attempts see it while this one checks its password.
    """
    threshold = current_app.config["LOCKOUT_THRESHOLD"]
    reaches = User.failed_logins + 1 >= threshold
    until = now + timedelta(minutes=current_app.config["LOCKOUT_MINUTES"])
    row = db.session.execute(
        sa.update(User)
        .where(User.id == user_id, sa.or_(User.locked_until.is_(None), User.locked_until <= now))
        .values(
            failed_logins=sa.case((reaches, 0), else_=User.failed_logins + 1),
            locked_until=sa.case((reaches, until), else_=None),
        )
        .returning(User.failed_logins, User.locked_until),
        execution_options={"synchronize_session": False},
    ).first()
    db.session.commit()
    return row


def end_sessions(user: User, action: str) -> None:
    """Bump the session version: every cookie issued before now stops working."""
    user.session_version += 1
    capture.name_action(user, action)
    db.session.commit()


def password_problems(password: str, organisation: Organisation, *personal: str | None) -> list[str]:
    """The password policy with the words an attacker would try first for this person fed to zxcvbn."""
    words = passwords.context_words(
        organisation.name,
        organisation.slug,
        current_app.config["SERVICE_NAME"],
        *personal,
        year=utcnow().year,
    )
    return passwords.password_problems(password, words)


def invite(
    actor: User,
    *,
    email: str,
    display_name: str,
    role: OrgRole,
    partner_kind: PartnerKind,
    initiative_id: int | None = None,
    initiative_role: str | None = None,
) -> tuple[AccountToken, str]:
    """Create a pending invitation. Returns it with its secret, which exists only in memory, for the link."""
    email = normalise_email(email)
    check_name(display_name)
    if role == OrgRole.ADMIN and actor.role != OrgRole.ADMIN:
        raise ServiceError(N_("Only an admin can invite another admin"), "role")
    existing = find_user_by_email(email)
    if existing is not None and existing.organisation_id == actor.organisation_id:
        raise ServiceError(N_("Someone with this email address already has an account"), "email")
    # An account in another organisation is none of this organisation's business: the invitation is made
    # exactly as for a new address, and the clash is explained only to whoever opens the link.
    # Inviting the same address again (to the same place) replaces the invitation still waiting: one link works.
    _withdraw_pending(actor.organisation_id, email, "invitation.replaced", initiative_id=initiative_id)
    raw, hashed = tokens.new_secret()
    token = AccountToken(
        organisation_id=actor.organisation_id,
        purpose=TokenPurpose.INVITATION,
        token_hash=hashed,
        email=email,
        display_name=display_name.strip(),
        role=role,
        partner_kind=partner_kind,
        initiative_id=initiative_id,
        initiative_role=initiative_role,
        created_by_id=actor.id,
        expires_at=utcnow() + timedelta(days=current_app.config["INVITATION_DAYS"]),
    )
    db.session.add(token)
    capture.name_action(token, "user.invited")
    db.session.commit()
    return token, raw


ACCOUNT_EXISTS = N_("There is already an account with this email address")


def account_exists(invitation: AccountToken) -> bool:
    """Whether the invited address already has an account (here or in another organisation)."""
    return find_user_by_email(invitation.email) is not None


def usable_token(raw: str, purpose: TokenPurpose) -> AccountToken | None:
    token = tokens.find(raw, purpose)
    if token is None or not token.is_usable(utcnow()):
        return None
    return token


def accept_invitation(
    raw: str,
    *,
    display_name: str,
    password: str,
    communication_needs: list[str],
    communication_needs_other: str,
    preferred_language: str,
) -> User:
    token = usable_token(raw, TokenPurpose.INVITATION)
    if token is None:
        raise ServiceError(N_("This invitation link has expired or has already been used"))
    check_name(display_name)
    if account_exists(token):
        raise ServiceError(ACCOUNT_EXISTS)
    problems = password_problems(
        password, db.session.get(Organisation, token.organisation_id), token.email, display_name
    )
    if problems:
        raise ServiceError(problems[0], "password")
    user = User(
        organisation_id=token.organisation_id,
        email=token.email,
        display_name=display_name.strip(),
        password_hash=passwords.hash_password(password),
        role=token.role or OrgRole.CITIZEN_PARTNER,
        partner_kind=token.partner_kind or PartnerKind.DRAWS_ON_CARE,
        preferred_language=preferred_language,
        communication_needs=sorted(set(communication_needs)),
        communication_needs_other=communication_needs_other.strip(),
        needs_recorded=True,
    )
    db.session.add(user)
    token.used_at = utcnow()
    token.user = user
    capture.set_actor(db.session, None)
    capture.name_action(user, "user.joined", invitation_id=token.id)
    capture.name_action(token, "invitation.accepted")
    # The person has joined: any other invitation to their address can no longer be used, so it leaves the list.
    _withdraw_pending(token.organisation_id, token.email, "invitation.superseded", keep=token)
    db.session.commit()
    after_accept_invitation(token, user)
    return user


def after_accept_invitation(token: AccountToken, user: User) -> None:
    """Hook for features that attach an invitation to something (e.g. an initiative). No-op by default."""
    for hook in current_app.extensions.get("invitation_hooks", []):
        hook(token, user)


def issue_password_reset(
    user: User, actor: User | None, secret: tuple[str, str] | None = None
) -> tuple[AccountToken, str]:
    raw, hashed = secret or tokens.new_secret()
    token = AccountToken(
        organisation_id=user.organisation_id,
        purpose=TokenPurpose.PASSWORD_RESET,
        token_hash=hashed,
        email=user.email,
        user_id=user.id,
        created_by_id=actor.id if actor else None,
        expires_at=utcnow() + timedelta(hours=current_app.config["RESET_HOURS"]),
    )
    db.session.add(token)
    if actor is None:
        capture.set_actor(db.session, None)
    capture.name_action(token, "password_reset.issued")
    db.session.commit()
    return token, raw


def request_password_reset(email: str, language: str) -> None:
    """Someone asked for a reset link by email: queue the job that sends one if the address has an account.

    Nothing is looked up here: the request queues the same job whatever the address, so neither its
    answer nor its timing can tell anyone whether an account exists (auth/jobs.py does the rest).
    """
    from .jobs import send_password_reset

    send_password_reset(normalise_email(email), language)


def reset_password(raw: str, password: str) -> User:
    token = usable_token(raw, TokenPurpose.PASSWORD_RESET)
    if token is None or token.user is None or not token.user.active:
        raise ServiceError(N_("This password reset link has expired or has already been used"))
    user = token.user
    problems = password_problems(password, user.organisation, user.email, user.display_name)
    if problems:
        raise ServiceError(problems[0], "password")
    user.password_hash = passwords.hash_password(password)
    user.session_version += 1
    user.failed_logins = 0
    user.locked_until = None
    token.used_at = utcnow()
    capture.set_actor(db.session, user.id)
    capture.name_action(user, "user.password_reset")
    capture.name_action(token, "password_reset.used")
    _revoke_reset_links(user, except_for=token)
    db.session.commit()
    return user


def _revoke_reset_links(user: User, except_for: AccountToken | None = None) -> None:
    """A password change makes every reset link still outstanding for this person useless.

    A link sent earlier (and perhaps seen by someone else) must not outlive the password it was for.
    Call it after naming the change's other audit events: its query flushes them.
    """
    now = utcnow()
    outstanding = db.session.scalars(
        sa.select(AccountToken).where(
            AccountToken.user_id == user.id,
            AccountToken.purpose == TokenPurpose.PASSWORD_RESET,
            AccountToken.used_at.is_(None),
            AccountToken.revoked_at.is_(None),
            AccountToken.expires_at > now,
        )
    )
    for token in outstanding:
        if token is not except_for:
            token.revoked_at = now
            capture.name_action(token, "password_reset.revoked")


def change_password(user: User, current: str, new: str) -> None:
    if not passwords.check_password(user.password_hash, current):
        raise ServiceError(N_("Your current password is not right"), "current_password")
    problems = password_problems(new, user.organisation, user.email, user.display_name)
    if problems:
        raise ServiceError(problems[0], "password")
    user.password_hash = passwords.hash_password(new)
    user.session_version += 1
    capture.name_action(user, "user.password_changed")
    _revoke_reset_links(user)
    db.session.commit()


def update_profile(
    user: User,
    *,
    display_name: str,
    communication_needs: list[str],
    communication_needs_other: str,
    preferred_language: str,
) -> None:
    check_name(display_name)
    user.display_name = display_name.strip()
    user.communication_needs = sorted(set(communication_needs))
    user.communication_needs_other = communication_needs_other.strip()
    user.preferred_language = preferred_language
    user.needs_recorded = True
    capture.name_action(user, "user.profile_updated")
    db.session.commit()


def change_role(actor: User, member: User, role: OrgRole, partner_kind: PartnerKind) -> None:
    if member.id == actor.id:
        raise ServiceError(N_("You cannot change your own role"), "role")
    if member.role == role and member.partner_kind == partner_kind:
        return
    member.role = role
    member.partner_kind = partner_kind
    # A changed role changes what the person may see: make them sign in again.
    member.session_version += 1
    capture.name_action(member, "user.role_changed")
    db.session.commit()


def set_active(actor: User, member: User, active: bool) -> None:
    if member.id == actor.id:
        raise ServiceError(N_("You cannot deactivate your own account"))
    if member.active == active:
        return
    member.active = active
    member.session_version += 1
    capture.name_action(member, "user.reactivated" if active else "user.deactivated")
    db.session.commit()


_ANY = object()


def _withdraw_pending(
    organisation_id: int, email: str, action: str, *, initiative_id: object = _ANY, keep: AccountToken | None = None
) -> None:
    """Revoke the organisation's usable invitations to this address (only those for `initiative_id`, if given)."""
    stmt = sa.select(AccountToken).where(
        AccountToken.organisation_id == organisation_id,
        AccountToken.purpose == TokenPurpose.INVITATION,
        AccountToken.email == email,
        AccountToken.used_at.is_(None),
        AccountToken.revoked_at.is_(None),
    )
    if initiative_id is not _ANY:
        stmt = stmt.where(
            AccountToken.initiative_id.is_(None)
            if initiative_id is None
            else AccountToken.initiative_id == initiative_id
        )
    now = utcnow()
    for token in db.session.scalars(stmt):
        if token is not keep:
            token.revoked_at = now
            capture.name_action(token, action)


def revoke_invitation(actor: User, token: AccountToken) -> None:
    if token.used_at or token.revoked_at:
        return
    token.revoked_at = utcnow()
    capture.name_action(token, "invitation.revoked")
    db.session.commit()


def members_of(organisation_id: int, *, name: str = "", role: str = "") -> list[User]:
    """The organisation's people by name, narrowed to a name (contains, any case) or a role when asked."""
    stmt = scoped(User, organisation_id).order_by(User.display_name, User.id)
    if name.strip():
        escaped = name.strip().replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_")
        # An erased person is listed by a label in the reader's language (User.shown_name), not by the English
        # one stored as their name, so they are found by the words the reader sees.
        erased = db.session.scalars(
            scoped(User, organisation_id).with_only_columns(User.id).where(User.erased_at.is_not(None))
        )
        wanted = name.strip().casefold()
        found = [person_id for person_id in erased if wanted in former_member(person_id).casefold()]
        stmt = stmt.where(
            sa.or_(
                sa.and_(User.erased_at.is_(None), User.display_name.ilike(f"%{escaped}%", escape="\\")),
                User.id.in_(found),
            )
        )
    if role in {r.value for r in OrgRole}:
        stmt = stmt.where(User.role == OrgRole(role))
    return list(db.session.scalars(stmt))


def pending_invitations(organisation_id: int) -> list[AccountToken]:
    now = utcnow()
    return list(
        db.session.scalars(
            sa.select(AccountToken)
            .where(
                AccountToken.organisation_id == organisation_id,
                AccountToken.purpose == TokenPurpose.INVITATION,
                AccountToken.used_at.is_(None),
                AccountToken.revoked_at.is_(None),
                AccountToken.expires_at > now,
            )
            .order_by(AccountToken.created_at.desc())
        )
    )


def create_organisation(name: str, slug: str, nation: str) -> Organisation:
    if db.session.scalar(sa.select(Organisation).where(Organisation.slug == slug)):
        raise ServiceError(f"An organisation with the short name {slug!r} already exists", "slug")
    organisation = Organisation(name=name, slug=slug, nation=nation)
    db.session.add(organisation)
    capture.set_actor(db.session, None)
    db.session.commit()
    return organisation


def create_user(
    organisation: Organisation,
    *,
    email: str,
    display_name: str,
    password: str,
    role: OrgRole,
    partner_kind: PartnerKind,
    check_strength: bool = True,
) -> User:
    email = normalise_email(email)
    check_name(display_name)
    if find_user_by_email(email):
        raise ServiceError(N_("Someone with this email address already has an account"), "email")
    if check_strength:
        problems = password_problems(password, organisation, email, display_name)
        if problems:
            raise ServiceError(problems[0], "password")
    user = User(
        organisation_id=organisation.id,
        email=email,
        display_name=display_name,
        password_hash=passwords.hash_password(password),
        role=role,
        partner_kind=partner_kind,
    )
    db.session.add(user)
    capture.set_actor(db.session, None)
    db.session.commit()
    return user


def active_offer() -> bool:
    """Whether the sign-in page offers Welsh first: when any organisation on this service is in Wales.

    Before sign-in the service cannot know whose organisation someone belongs to, and a deployment
    usually serves one council or health board; offering the choice to everyone when a Welsh body uses
    the service is how the Active Offer ("without having to ask") reaches its people on the first page.
    """
    return bool(db.session.scalar(sa.select(sa.exists().where(Organisation.nation == Nation.WALES))))
