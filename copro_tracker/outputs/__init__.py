"""Outputs (plans, strategies, accessible versions) and reciprocity (what people were offered)."""

from flask import Blueprint

bp = Blueprint("outputs", __name__)

from . import views  # noqa: E402,F401
