"""Co-production Tracker.

The package import stays free of Flask so that `python -m copro_tracker.audit.verify` runs on an
inspector's machine with only `cryptography` installed; the factory is imported on first use.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from flask import Flask


def create_app(*args: Any, **kwargs: Any) -> Flask:
    from .app import create_app as factory

    return factory(*args, **kwargs)
