"""Demo data: two councils (England and Wales), each with an admin, two commissioners and three
citizen partners, and initiatives at each stage (demo_initiatives.py). Loading twice changes nothing."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date

import sqlalchemy as sa

from .auth import service
from .codes import CommunicationNeed, Nation, OrgRole, PartnerKind
from .demo_initiatives import load_demo_initiatives
from .demo_payments import load_demo_payments
from .extensions import db
from .models import Organisation, User

DEMO_PASSWORD = "together-we-decide-2026"  # noqa: S105 - printed for the demo on purpose

ORGANISATIONS = [
    {
        "name": "Northshire County Council",
        "slug": "northshire",
        "nation": Nation.ENGLAND,
        "people": [
            ("admin@northshire.example", "Priya Shah", OrgRole.ADMIN, PartnerKind.OFFICER, []),
            ("commissioner@northshire.example", "Tom Evans", OrgRole.COMMISSIONER, PartnerKind.OFFICER, []),
            ("lena.kowalski@northshire.example", "Lena Kowalski", OrgRole.COMMISSIONER, PartnerKind.OFFICER, []),
            (
                "partner@northshire.example",
                "Amira Hassan",
                OrgRole.CITIZEN_PARTNER,
                PartnerKind.DRAWS_ON_CARE,
                [CommunicationNeed.EASY_READ, CommunicationNeed.SUPPORTER_PRESENT],
            ),
            (
                "george.blake@northshire.example",
                "George Blake",
                OrgRole.CITIZEN_PARTNER,
                PartnerKind.CARER,
                [CommunicationNeed.LARGE_PRINT],
            ),
            ("ruth.okafor@northshire.example", "Ruth Okafor", OrgRole.CITIZEN_PARTNER, PartnerKind.COMMUNITY, []),
        ],
    },
    {
        "name": "Cyngor Sir Glanyrafon / Glanyrafon County Council",
        "slug": "glanyrafon",
        "nation": Nation.WALES,
        "people": [
            ("admin@glanyrafon.example", "Siân Roberts", OrgRole.ADMIN, PartnerKind.OFFICER, []),
            ("commissioner@glanyrafon.example", "Dafydd Morgan", OrgRole.COMMISSIONER, PartnerKind.OFFICER, []),
            ("carys.jones@glanyrafon.example", "Carys Jones", OrgRole.COMMISSIONER, PartnerKind.OFFICER, []),
            (
                "partner@glanyrafon.example",
                "Gareth Hughes",
                OrgRole.CITIZEN_PARTNER,
                PartnerKind.DRAWS_ON_CARE,
                [CommunicationNeed.BSL_INTERPRETER],
            ),
            (
                "megan.price@glanyrafon.example",
                "Megan Price",
                OrgRole.CITIZEN_PARTNER,
                PartnerKind.CARER,
                [CommunicationNeed.EXTRA_TIME],
            ),
            ("owen.davies@glanyrafon.example", "Owen Davies", OrgRole.CITIZEN_PARTNER, PartnerKind.COMMUNITY, []),
        ],
    },
]


@dataclass
class DemoResult:
    organisations: list[Organisation] = field(default_factory=list)
    logins: list[tuple[str, str, str]] = field(default_factory=list)

    def describe(self) -> str:
        lines = [f"Demo logins (password for all: {DEMO_PASSWORD})"]
        for org, email, role in self.logins:
            lines.append(f"  {org:<12} {role:<16} {email}")
        return "\n".join(lines)


def load_demo() -> DemoResult:
    result = DemoResult()
    for spec in ORGANISATIONS:
        organisation = db.session.scalar(sa.select(Organisation).where(Organisation.slug == spec["slug"]))
        if organisation is None:
            organisation = service.create_organisation(spec["name"], spec["slug"], spec["nation"])
        result.organisations.append(organisation)
        for email, name, role, kind, needs in spec["people"]:
            user = db.session.scalar(sa.select(User).where(User.email == email))
            if user is None:
                user = service.create_user(
                    organisation,
                    email=email,
                    display_name=name,
                    password=DEMO_PASSWORD,
                    role=role,
                    partner_kind=kind,
                    check_strength=False,
                )
                service.update_profile(
                    user,
                    display_name=name,
                    communication_needs=[n.value for n in needs],
                    communication_needs_other="",
                    preferred_language="cy"
                    if spec["nation"] == Nation.WALES and role == OrgRole.CITIZEN_PARTNER and email.startswith("megan")
                    else "en",
                )
            result.logins.append((spec["slug"], email, role.value))
    load_demo_initiatives(result)
    load_demo_payments(result.organisations[0])
    # What the daily job would tell each person today (no emails: the demo is not the job).
    from .notifications.service import notify_everyone

    notify_everyone(date.today())
    return result
