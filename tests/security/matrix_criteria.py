"""The criteria blueprint's part of the permission matrix: an assessment in the world, and expected statuses.

`extend_world(world)` adds to the world's initiative an assessment of X-STAGE recorded by the commissioner
and not yet answered, so that partner_member (a citizen-partner co-lead) may co-sign it or disagree.
"""

from __future__ import annotations

from flask import current_app
from matrix_world import Spec, World, by_role

from copro_tracker.criteria import service


def extend_world(world: World) -> None:
    library = current_app.extensions["criteria_library"]
    criterion = library.criterion("X-STAGE")
    assessment = service.record_assessment(
        world.commissioner,
        world.extra["initiative"],
        library.framework(criterion.framework_id),
        criterion,
        status="partly_met",
        narrative="Secret-narrative: delivery has no shared decision yet.",
    )
    world.extra["assessment"] = assessment
    world.extra.setdefault("secrets", []).append("Secret-narrative")


def _c(w: World) -> str:
    return f"/initiatives/{w.extra['initiative'].id}/criteria"


def specs() -> dict[str, Spec]:
    return {
        "criteria.initiative_criteria": Spec("GET", _c, by_role(200, 200, 200, 404, 404)),
        # Staff (and commissioner-side members) assess; citizen partners co-sign or disagree.
        "criteria.assess": Spec("GET", lambda w: f"{_c(w)}/X-STAGE/assess", by_role(200, 200, 403, 404, 404)),
        "criteria.respond": Spec(
            "GET",
            lambda w: f"{_c(w)}/assessments/{w.extra['assessment'].id}/respond",
            by_role(403, 403, 200, 404, 404),
        ),
        # The outsider is another council's admin: they see their own organisation's coverage and library.
        "criteria.coverage": Spec("GET", lambda w: "/coverage", by_role(200, 200, 403, 403, 200)),
        "criteria.library": Spec("GET", lambda w: "/admin/criteria-library", by_role(200, 403, 403, 403, 200)),
    }
