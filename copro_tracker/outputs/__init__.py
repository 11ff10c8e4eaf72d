"""Outputs: plans, strategies and their accessible versions. Payments are in copro_tracker/payments."""

from flask import Blueprint

bp = Blueprint("outputs", __name__)

from . import views  # noqa: E402,F401
