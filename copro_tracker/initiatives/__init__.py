"""Initiatives: creation, members with tenure, stages and their gates."""

from flask import Blueprint

bp = Blueprint("initiatives", __name__)

from . import service, views  # noqa: E402,F401
