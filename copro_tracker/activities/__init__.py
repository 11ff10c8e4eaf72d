"""Activities in a stage: attendance, adjustments, ladder ratings, decisions, recommendations, evidence."""

from flask import Blueprint

bp = Blueprint("activities", __name__)

from . import views  # noqa: E402,F401
