"""People: what is held about each person, their requests about it, and who has looked at their needs."""

from flask import Blueprint

bp = Blueprint("people", __name__)

from . import views  # noqa: E402,F401
