"""Evidence reports: build.py (pure: inputs -> Report), data.py (loads the inputs), render_*.py (HTML,
PDF, CSV, JSON bundle, SVG charts), service.py (produce and audit; share links) and the blueprint."""

from flask import Blueprint

bp = Blueprint("reports", __name__)

from . import views  # noqa: E402,F401
