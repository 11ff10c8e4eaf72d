"""Equality monitoring: each person's own answers, and the admins' suppressed comparison with reference figures."""

from flask import Blueprint

bp = Blueprint("equality", __name__)

from . import views  # noqa: E402,F401
