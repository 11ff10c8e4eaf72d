"""Retention (how long each kind of record is kept after its initiative closes), legal holds, and the
scheduled disposal of what is due."""

from flask import Blueprint

bp = Blueprint("retention", __name__)

from . import checks, views  # noqa: E402,F401
