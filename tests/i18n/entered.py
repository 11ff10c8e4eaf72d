"""Everything people (or the demo loader) typed: the text a Welsh page may show in English."""

from __future__ import annotations

import sqlalchemy as sa

from copro_tracker.extensions import db


def entered_text() -> list[str]:
    """Every stored free-text value (not coded values: a code shown raw is interface text), longest first."""
    values: set[str] = set()
    for table in db.metadata.sorted_tables:
        columns = [
            c for c in table.columns if isinstance(c.type, (sa.String, sa.Text)) and not isinstance(c.type, sa.Enum)
        ]
        if not columns:
            continue
        for row in db.session.execute(sa.select(*columns)):
            for value in row:
                if isinstance(value, str) and value.strip():
                    values.add(value.strip())
                    # Multi-line text is shown line by line (and names one a line), so each line counts too.
                    values.update(line.strip() for line in value.splitlines() if line.strip())
    return sorted(values, key=len, reverse=True)
