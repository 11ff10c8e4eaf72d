"""Notifications: what waits for each person (waiting.py's definition), told once in the app and, if they
want, by email; their list, marking read, and their choices of how they hear. See service.py and jobs.py."""

from flask import Blueprint

bp = Blueprint("notifications", __name__)

from . import views  # noqa: E402,F401
