"""Payments for involvement: offers from the rates card, people's choices, expense claims, approval, payment,
your own payments and the finance export."""

from flask import Blueprint

bp = Blueprint("payments", __name__)

from . import views  # noqa: E402,F401
