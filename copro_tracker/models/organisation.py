"""Organisations (tenants), their people, and single-use account tokens."""

from __future__ import annotations

import enum
from datetime import UTC, datetime

import sqlalchemy as sa
from sqlalchemy.orm import Mapped, mapped_column, relationship

from ..codes import DataRequestKind, DataRequestStatus, Nation, OrgRole, PartnerKind, TokenPurpose
from ..extensions import db


def utcnow() -> datetime:
    return datetime.now(UTC).replace(tzinfo=None)


def _enum(kind: type[enum.StrEnum], length: int = 32) -> sa.Enum:
    # Stored as plain strings with a CHECK so SQLite and PostgreSQL behave the same.
    return sa.Enum(kind, native_enum=False, length=length, values_callable=lambda e: [m.value for m in e])


class Organisation(db.Model):
    __tablename__ = "organisation"

    id: Mapped[int] = mapped_column(primary_key=True)
    name: Mapped[str] = mapped_column(sa.String(200))
    slug: Mapped[str] = mapped_column(sa.String(80), unique=True)
    nation: Mapped[Nation] = mapped_column(_enum(Nation))
    created_at: Mapped[datetime] = mapped_column(default=utcnow)

    members: Mapped[list[User]] = relationship(back_populates="organisation", order_by="User.display_name")


class User(db.Model):
    __tablename__ = "user_account"

    id: Mapped[int] = mapped_column(primary_key=True)
    organisation_id: Mapped[int] = mapped_column(sa.ForeignKey("organisation.id"), index=True)
    email: Mapped[str] = mapped_column(sa.String(254), unique=True)
    display_name: Mapped[str] = mapped_column(sa.String(120))
    password_hash: Mapped[str] = mapped_column(sa.String(256))
    role: Mapped[OrgRole] = mapped_column(_enum(OrgRole))
    partner_kind: Mapped[PartnerKind] = mapped_column(_enum(PartnerKind))
    # None until the person has been asked: "not asked yet" is not the same answer as English.
    preferred_language: Mapped[str | None] = mapped_column(sa.String(2))
    # JSON list of CommunicationNeed values; an empty list with needs_stated=True means "none stated".
    communication_needs: Mapped[list[str]] = mapped_column(sa.JSON, default=list)
    communication_needs_other: Mapped[str] = mapped_column(sa.String(500), default="")
    needs_recorded: Mapped[bool] = mapped_column(default=False)
    active: Mapped[bool] = mapped_column(default=True)
    session_version: Mapped[int] = mapped_column(default=1)
    failed_logins: Mapped[int] = mapped_column(default=0)
    locked_until: Mapped[datetime | None]
    last_login_at: Mapped[datetime | None]
    created_at: Mapped[datetime] = mapped_column(default=utcnow)
    # The person withdrew consent to being named: every report made afterwards shows them by a pseudonym.
    named_use_withdrawn_at: Mapped[datetime | None]
    # Erased at the person's request: the row stays (records refer to it) but holds nothing that identifies them.
    erased_at: Mapped[datetime | None]
    # How the person hears of what waits for them (notifications/): the app always lists it; email is
    # their choice, and so is a weekly summary of what is still unread.
    email_notifications: Mapped[bool] = mapped_column(default=True, server_default=sa.true())
    weekly_digest: Mapped[bool] = mapped_column(default=False, server_default=sa.false())

    organisation: Mapped[Organisation] = relationship(back_populates="members")

    @property
    def shown_name(self) -> str:
        """The name to show people. An erased person's stored name stays "Former member 12" in English (the
        audit trail recorded that change, and its hash chain must keep verifying); erased_at marks them, and
        the label is put in the reader's language when it is shown."""
        if self.erased_at is None:
            return self.display_name
        from ..labels import former_member  # the web layer's translations, which import the models

        return former_member(self.id)

    @property
    def named_use(self) -> bool:
        return self.named_use_withdrawn_at is None and self.erased_at is None

    # Flask-Login protocol. The id carries the session version so that bumping it (logout, password
    # change, deactivation) invalidates every copy of an old session cookie at once.
    @property
    def is_authenticated(self) -> bool:
        return True

    @property
    def is_active(self) -> bool:
        return self.active

    @property
    def is_anonymous(self) -> bool:
        return False

    def get_id(self) -> str:
        return f"{self.id}:{self.session_version}"

    @property
    def is_commissioner_side(self) -> bool:
        return self.role in (OrgRole.ADMIN, OrgRole.COMMISSIONER)

    @property
    def is_citizen_partner(self) -> bool:
        return self.role == OrgRole.CITIZEN_PARTNER


class AccountToken(db.Model):
    """An invitation or a password reset. Only a SHA-256 of the secret is stored."""

    __tablename__ = "account_token"

    id: Mapped[int] = mapped_column(primary_key=True)
    organisation_id: Mapped[int] = mapped_column(sa.ForeignKey("organisation.id"), index=True)
    purpose: Mapped[TokenPurpose] = mapped_column(_enum(TokenPurpose))
    token_hash: Mapped[str] = mapped_column(sa.String(64), unique=True)
    email: Mapped[str] = mapped_column(sa.String(254))
    display_name: Mapped[str] = mapped_column(sa.String(120), default="")
    role: Mapped[OrgRole | None] = mapped_column(_enum(OrgRole))
    partner_kind: Mapped[PartnerKind | None] = mapped_column(_enum(PartnerKind))
    user_id: Mapped[int | None] = mapped_column(sa.ForeignKey("user_account.id"))
    # An invitation can bring the person straight into an initiative with a role there.
    initiative_id: Mapped[int | None] = mapped_column(sa.ForeignKey("initiative.id"))
    initiative_role: Mapped[str | None] = mapped_column(sa.String(20))
    created_by_id: Mapped[int | None] = mapped_column(sa.ForeignKey("user_account.id"))
    created_at: Mapped[datetime] = mapped_column(default=utcnow)
    expires_at: Mapped[datetime]
    used_at: Mapped[datetime | None]
    revoked_at: Mapped[datetime | None]

    created_by: Mapped[User | None] = relationship(foreign_keys=[created_by_id])
    user: Mapped[User | None] = relationship(foreign_keys=[user_id])

    def is_usable(self, now: datetime) -> bool:
        return self.used_at is None and self.revoked_at is None and now < self.expires_at


class DataRequest(db.Model):
    """A person's request about their own data: correct something, or erase their details. Admins handle it."""

    __tablename__ = "data_request"

    id: Mapped[int] = mapped_column(primary_key=True)
    organisation_id: Mapped[int] = mapped_column(sa.ForeignKey("organisation.id"), index=True)
    user_id: Mapped[int] = mapped_column(sa.ForeignKey("user_account.id"), index=True)
    kind: Mapped[DataRequestKind] = mapped_column(_enum(DataRequestKind))
    details: Mapped[str] = mapped_column(sa.Text, default="")
    status: Mapped[DataRequestStatus] = mapped_column(_enum(DataRequestStatus), default=DataRequestStatus.OPEN)
    created_at: Mapped[datetime] = mapped_column(default=utcnow)
    handled_by_id: Mapped[int | None] = mapped_column(sa.ForeignKey("user_account.id"))
    handled_at: Mapped[datetime | None]
    outcome: Mapped[str] = mapped_column(sa.Text, default="")
    version: Mapped[int] = mapped_column(default=1)

    user: Mapped[User] = relationship(foreign_keys=[user_id])
    handled_by: Mapped[User | None] = relationship(foreign_keys=[handled_by_id])

    __mapper_args__ = {"version_id_col": version}
