"""Thin views: parse the form, check the policy, call the service, render or redirect."""

from __future__ import annotations

from flask import current_app, flash, redirect, render_template, session, url_for
from flask_babel import get_locale, ngettext
from flask_babel import gettext as _
from flask_login import current_user, login_user, logout_user

from .. import labels, mail
from ..codes import OrgRole, PartnerKind, TokenPurpose
from ..extensions import limiter
from ..permissions import public, requires
from ..services import ServiceError
from ..web.forms import add_error, safe_next
from ..web.urls import external_url
from . import bp, service
from .forms import (
    AcceptInvitationForm,
    ChangePasswordForm,
    ConfirmForm,
    ForgottenPasswordForm,
    InviteForm,
    LoginForm,
    ProfileForm,
    ResetPasswordForm,
)


def _needs(form) -> list[str]:
    # "Nothing is needed" stores no needs even if boxes were ticked before the answer changed.
    return list(form.communication_needs.data or []) if form.needs_answer.data == "some" else []


def _needs_other(form) -> str:
    return (form.communication_needs_other.data or "") if form.needs_answer.data == "some" else ""


def _login_limit() -> str:
    return current_app.config["LOGIN_RATE_LIMIT"]


@bp.route("/sign-in", methods=["GET", "POST"])
@limiter.limit(_login_limit, methods=["POST"])
@public
def login():
    if current_user.is_authenticated:
        return redirect(url_for("main.dashboard"))
    form = LoginForm()
    if form.validate_on_submit():
        try:
            user = service.authenticate(form.email.data, form.password.data)
        except ServiceError as error:
            add_error(form, _(str(error)), "email")
        else:
            target = safe_next()
            # A fresh session at sign-in: nothing set before authentication survives (no fixation).
            session.clear()
            login_user(user)
            if user.preferred_language:
                session["lang"] = user.preferred_language
            return redirect(target)
    return render_template("auth/login.html", form=form, active_offer=service.active_offer())


@bp.post("/sign-out")
@requires("session.end")
def logout():
    _sign_out()
    return redirect(url_for("auth.login"))


def _sign_out() -> None:
    service.end_sessions(current_user._get_current_object(), "auth.logout")
    logout_user()
    session.clear()
    flash(_("You have signed out."), "success")


@bp.route("/people/invite", methods=["GET", "POST"])
@requires("people.invite")
def invite():
    form = InviteForm()
    if current_user.role != OrgRole.ADMIN:
        form.role.choices = [c for c in form.role.choices if c.value != OrgRole.ADMIN.value]
    if form.validate_on_submit():
        try:
            token, secret = service.invite(
                current_user,
                email=form.email.data,
                display_name=form.display_name.data,
                role=OrgRole(form.role.data),
                partner_kind=PartnerKind(form.partner_kind.data),
            )
        except ServiceError as error:
            add_error(form, _(str(error)), error.field)
        else:
            link = external_url("auth.accept_invitation", token=secret)
            organisation = current_user.organisation
            subject, body = mail.compose(
                mail.languages_for(None, organisation.nation),
                lambda: (
                    _("You are invited to %(service)s", service=labels.service_name()),
                    ngettext(
                        "%(inviter)s has invited you to join %(org)s on %(service)s.\n\n"
                        "Open this link to set up your account (it works once, for %(num)s day):\n%(link)s\n",
                        "%(inviter)s has invited you to join %(org)s on %(service)s.\n\n"
                        "Open this link to set up your account (it works once, for %(num)s days):\n%(link)s\n",
                        current_app.config["INVITATION_DAYS"],
                        inviter=current_user.display_name,
                        org=organisation.name,
                        service=labels.service_name(),
                        link=link,
                    ),
                ),
            )
            emailed = mail.send(token.email, subject, body)
            return render_template("auth/invitation_created.html", token=token, link=link, emailed=emailed)
    return render_template("auth/invite.html", form=form)


@bp.route("/invitations/<token>", methods=["GET", "POST"])
@public
def accept_invitation(token: str):
    invitation = service.usable_token(token, TokenPurpose.INVITATION)
    if invitation is None:
        return render_template("auth/link_unusable.html", kind="invitation"), 410
    if current_user.is_authenticated:
        # Opening a link must never sign anyone out (a link can be planted anywhere): ask, and sign out
        # only on a POST carrying this session's CSRF token.
        return render_template("auth/invitation_signed_in.html", token=token, form=ConfirmForm())
    if service.account_exists(invitation):
        return render_template("auth/link_unusable.html", kind="account_exists", email=invitation.email), 409
    form = AcceptInvitationForm()
    if not form.is_submitted():
        form.display_name.data = invitation.display_name
    if form.validate_on_submit():
        try:
            user = service.accept_invitation(
                token,
                display_name=form.display_name.data,
                password=form.password.data,
                communication_needs=_needs(form),
                communication_needs_other=_needs_other(form),
                preferred_language=form.preferred_language.data,
            )
        except ServiceError as error:
            add_error(form, _(str(error)), error.field)
        else:
            session.clear()
            login_user(user)
            session["lang"] = user.preferred_language
            flash(_("Your account is ready. Welcome, %(name)s.", name=user.display_name), "success")
            # The equality questions come next, optional and skippable (equality/views.py).
            return redirect(url_for("equality.own_answers", after="invitation"))
    return render_template("auth/accept_invitation.html", form=form, invitation=invitation)


@bp.post("/invitations/<token>/sign-out")
@requires("session.end")
def invitation_sign_out(token: str):
    if service.usable_token(token, TokenPurpose.INVITATION) is None:
        return render_template("auth/link_unusable.html", kind="invitation"), 410
    if ConfirmForm().validate_on_submit():
        _sign_out()
    return redirect(url_for("auth.accept_invitation", token=token))


@bp.route("/forgotten-password", methods=["GET", "POST"])
@limiter.limit(_login_limit, methods=["POST"])
@public
def forgotten_password():
    form = ForgottenPasswordForm()
    sent = False
    if form.validate_on_submit():
        if mail.mail_configured():
            service.request_password_reset(form.email.data, str(get_locale() or "en"))
        sent = True
    return render_template("auth/forgotten_password.html", form=form, sent=sent, mail_configured=mail.mail_configured())


@bp.route("/reset-password/<token>", methods=["GET", "POST"])
@public
def reset_password(token: str):
    if service.usable_token(token, TokenPurpose.PASSWORD_RESET) is None:
        return render_template("auth/link_unusable.html", kind="reset"), 410
    form = ResetPasswordForm()
    if form.validate_on_submit():
        try:
            service.reset_password(token, form.password.data)
        except ServiceError as error:
            add_error(form, _(str(error)), error.field)
        else:
            logout_user()
            session.clear()
            flash(_("Your password has been changed. Sign in with your new password."), "success")
            return redirect(url_for("auth.login"))
    return render_template("auth/reset_password.html", form=form)


@bp.route("/profile", methods=["GET", "POST"])
@requires("profile.edit")
def profile():
    form = ProfileForm(obj=current_user)
    if not form.is_submitted() and current_user.needs_recorded:
        stated = current_user.communication_needs or current_user.communication_needs_other
        form.needs_answer.data = "some" if stated else "none"
    if form.validate_on_submit():
        try:
            service.update_profile(
                current_user,
                display_name=form.display_name.data,
                communication_needs=_needs(form),
                communication_needs_other=_needs_other(form),
                preferred_language=form.preferred_language.data,
            )
        except ServiceError as error:
            add_error(form, _(str(error)), error.field)
        else:
            session["lang"] = form.preferred_language.data
            flash(_("Your details have been saved."), "success")
            return redirect(url_for("auth.profile"))
    return render_template("auth/profile.html", form=form)


@bp.route("/profile/password", methods=["GET", "POST"])
@requires("profile.edit")
def change_password():
    form = ChangePasswordForm()
    if form.validate_on_submit():
        try:
            service.change_password(current_user, form.current_password.data, form.password.data)
        except ServiceError as error:
            add_error(form, _(str(error)), error.field)
        else:
            # The old session is now dead everywhere; start a new one here so this device stays signed in.
            user = current_user._get_current_object()
            session.clear()
            login_user(user)
            flash(_("Your password has been changed. You have been signed out everywhere else."), "success")
            return redirect(url_for("auth.profile"))
    return render_template("auth/change_password.html", form=form)


@bp.route("/confirm-password", methods=["GET", "POST"])
@limiter.limit(_login_limit, methods=["POST"])
@requires("session.step_up")
def step_up():
    """Type your password again before erasing someone or lifting a legal hold."""
    from . import step_up as step_up_service
    from .forms import StepUpForm

    form = StepUpForm()
    if form.validate_on_submit():
        try:
            step_up_service.confirm(current_user._get_current_object(), form.password.data)
        except ServiceError as error:
            add_error(form, _(str(error)), error.field)
        else:
            return redirect(safe_next())
    minutes = int(step_up_service.WINDOW.total_seconds() // 60)
    return render_template("auth/step_up.html", form=form, minutes=minutes)
