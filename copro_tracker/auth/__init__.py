"""Signing in and out, invitations, password resets and each person's own profile."""

from flask import Blueprint

bp = Blueprint("auth", __name__)

from . import views  # noqa: E402,F401
