from __future__ import annotations

from flask import current_app, redirect, render_template, session, url_for
from flask_babel import gettext as _
from flask_login import current_user

from ..permissions import public, requires
from ..web.forms import safe_next
from ..web.paging import pagination
from . import bp
from .dashboard import summary_for


@bp.get("/")
@public
def index():
    if current_user.is_authenticated:
        return redirect(url_for("main.dashboard"))
    return render_template("main/index.html")


@bp.get("/dashboard")
@requires("dashboard.view")
def dashboard():
    summary = summary_for(current_user)
    return render_template(
        "main/dashboard.html",
        summary=summary,
        waiting_pages=pagination(
            summary.waiting.page, _("Pages of what is waiting for you"), "waiting_page", "#waiting"
        ),
        initiative_pages=pagination(
            summary.initiatives_page, _("Pages of your initiatives"), "initiatives_page", "#your-initiatives"
        ),
    )


@bp.get("/language/<any(en, cy):code>")
@public
def set_language(code: str):
    session["lang"] = code
    return redirect(safe_next("main.index"))


@bp.get("/help")
@public
def help_page():
    library = current_app.extensions["criteria_library"]
    return render_template("main/help.html", frameworks=library.frameworks)


@bp.get("/accessibility")
@public
def accessibility():
    return render_template("main/accessibility.html")


@bp.get("/privacy")
@public
def privacy():
    from ..codes import RETENTION_DEFAULT_MONTHS
    from ..retention.forms import period_label

    # The suggested periods, from the one table the admin page starts from.
    periods = [(kind, period_label(months)) for kind, months in RETENTION_DEFAULT_MONTHS.items()]
    return render_template("main/privacy.html", retention_periods=periods)
