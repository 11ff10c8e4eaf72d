"""What each person sees first: built from what exists, never placeholders."""

from __future__ import annotations

from dataclasses import dataclass, field

import sqlalchemy as sa

from ..auth.service import pending_invitations
from ..extensions import db
from ..models import AccountToken, OrgRole, User


@dataclass
class DashboardSummary:
    role: OrgRole
    organisation_name: str
    member_counts: dict[str, int] = field(default_factory=dict)
    pending_invitations: list[AccountToken] = field(default_factory=list)
    needs_recorded: bool = True


def summary_for(user: User) -> DashboardSummary:
    summary = DashboardSummary(
        role=user.role, organisation_name=user.organisation.name, needs_recorded=user.needs_recorded
    )
    if user.role in (OrgRole.ADMIN, OrgRole.COMMISSIONER):
        rows = db.session.execute(
            sa.select(User.role, sa.func.count())
            .where(User.organisation_id == user.organisation_id, User.active.is_(True))
            .group_by(User.role)
        )
        summary.member_counts = {str(role.value): count for role, count in rows}
        summary.pending_invitations = pending_invitations(user.organisation_id)
    return summary
