"""Signing in and out, sessions that die when they should, lockout and rate limits."""

from __future__ import annotations

import re

import sqlalchemy as sa
from conftest import PASSWORD, Page, get_page, post_page
from flask_babel import force_locale

from copro_tracker.codes import OrgRole
from copro_tracker.extensions import db
from copro_tracker.models import User
from copro_tracker.models.audit import AuditEvent
from copro_tracker.services import ServiceError


def sign_in(client, email, password=PASSWORD):
    return client.post("/sign-in", data={"email": email, "password": password})


def actions() -> list[str]:
    return list(db.session.scalars(sa.select(AuditEvent.action).order_by(AuditEvent.id)))


def test_sign_in_and_out_as_each_role(client, admin, commissioner, partner):
    for user in (admin, commissioner, partner):
        response = sign_in(client, user.email)
        assert response.status_code == 302 and response.headers["Location"].endswith("/dashboard")
        page = get_page(client, "/dashboard")
        assert f"Hello, {user.display_name}" in page.text()
        assert client.post("/sign-out").status_code == 302
        assert client.get("/dashboard").status_code == 302
    assert actions().count("auth.login") == 3
    assert actions().count("auth.logout") == 3


def test_wrong_password_and_unknown_email_get_the_same_message(client, commissioner):
    wrong = post_page(client, "/sign-in", {"email": commissioner.email, "password": "not the password at all"})
    unknown = post_page(client, "/sign-in", {"email": "nobody@example.org", "password": "not the password at all"})
    assert wrong.errors() == unknown.errors() == ["Enter a correct email address and password"]
    assert wrong.soup.select_one("#email")["value"] == commissioner.email  # input kept
    assert "auth.login_failed" in actions()
    # A Welsh reader (the sign-in page offers Welsh first in Wales) is told in Welsh, in the same words either way.
    with client.session_transaction() as session:
        session["lang"] = "cy"
    wrong = Page(client.post("/sign-in", data={"email": commissioner.email, "password": "not the password"}))
    unknown = Page(client.post("/sign-in", data={"email": "nobody@example.org", "password": "not the password"}))
    assert wrong.errors() == unknown.errors() == ["Rhowch gyfeiriad e-bost a chyfrinair cywir"]
    assert wrong.soup.title.text.split()[0] == "Gwall:"


def test_empty_sign_in_form_names_each_missing_field(client):
    page = post_page(client, "/sign-in", {"email": "", "password": ""})
    assert page.errors() == ["Enter your email address", "Enter your password"]
    assert page.soup.title.text.startswith("Error:")


def test_cookie_captured_before_sign_out_opens_nothing_after(client, app, commissioner):
    sign_in(client, commissioner.email)
    captured = client.get_cookie("copro_session").value
    client.post("/sign-out")
    thief = app.test_client()
    thief.set_cookie("copro_session", captured)
    for url in ("/dashboard", "/profile", "/people"):
        response = thief.get(url)
        assert response.status_code == 302 and "/sign-in" in response.headers["Location"], url


def test_deactivation_ends_the_members_sessions(client, app, admin, commissioner):
    victim = app.test_client()
    sign_in(victim, commissioner.email)
    assert victim.get("/dashboard").status_code == 200
    sign_in(client, admin.email)
    assert client.post(f"/people/{commissioner.id}/deactivate").status_code == 302
    assert victim.get("/dashboard").status_code == 302
    assert sign_in(victim, commissioner.email).status_code == 200  # cannot sign back in
    assert "user.deactivated" in actions()


def test_password_change_kills_other_sessions_but_keeps_this_one(client, app, partner):
    other_device = app.test_client()
    sign_in(other_device, partner.email)
    sign_in(client, partner.email)
    response = client.post(
        "/profile/password", data={"current_password": PASSWORD, "password": "a brand new long passphrase 2026"}
    )
    assert response.status_code == 302
    assert client.get("/dashboard").status_code == 200
    assert other_device.get("/dashboard").status_code == 302
    assert sign_in(client, partner.email, "a brand new long passphrase 2026").status_code in (302, 200)


def test_session_is_replaced_at_sign_in(client, commissioner):
    with client.session_transaction() as sess:
        sess["planted"] = "by an attacker"
    sign_in(client, commissioner.email)
    with client.session_transaction() as sess:
        assert "planted" not in sess


def test_account_locks_after_repeated_failures(client, app, commissioner):
    for _ in range(app.config["LOCKOUT_THRESHOLD"]):
        sign_in(client, commissioner.email, "wrong password attempt")
    db.session.expire_all()
    assert db.session.get(User, commissioner.id).locked_until is not None
    page = Page(sign_in(client, commissioner.email))  # right password, still locked
    assert page.errors() == ["Enter a correct email address and password"]
    assert "auth.login_blocked" in actions()


def test_login_is_rate_limited(client, app, monkeypatch):
    monkeypatch.setitem(app.config, "LOGIN_RATE_LIMIT", "20 per minute")
    responses = [sign_in(client, "nobody@example.org", "x" * 12) for _ in range(25)]
    statuses = [r.status_code for r in responses]
    assert statuses[:20] == [200] * 20
    assert statuses[20:] == [429] * 5
    page = Page(responses[-1]).check()
    assert "Too many attempts" in page.text("h1")


def test_next_parameter_cannot_send_people_off_site(client, commissioner):
    response = client.post(
        "/sign-in?next=https://evil.example/", data={"email": commissioner.email, "password": PASSWORD}
    )
    assert response.headers["Location"].endswith("/dashboard")
    client.post("/sign-out")
    response = client.post("/sign-in?next=/profile", data={"email": commissioner.email, "password": PASSWORD})
    assert response.headers["Location"].endswith("/profile")


def test_password_hashes_are_scrypt(commissioner):
    from copro_tracker.auth.passwords import hash_password

    assert hash_password("anything at all here").startswith("scrypt:")


def test_weak_passwords_are_refused_with_zxcvbn_feedback():
    from copro_tracker.auth.passwords import password_problems

    assert [str(p) for p in password_problems("short")] == ["Password must be at least 10 characters"]
    assert [str(p) for p in password_problems("x" * 129)] == ["Password must be 128 characters or fewer"]
    weak = password_problems("password123")
    assert weak and str(weak[0]).startswith("Password is too easy to guess")
    assert password_problems("correct horse battery staple 42") == []


def test_other_orgs_admin_cannot_see_our_members(client, outsider, commissioner):
    outsider.role = OrgRole.ADMIN
    db.session.commit()
    sign_in(client, outsider.email)
    assert client.get(f"/people/{commissioner.id}").status_code == 404
    assert client.post(f"/people/{commissioner.id}/deactivate").status_code == 404
    page = get_page(client, "/people")
    assert commissioner.display_name not in page.html


def test_security_headers_on_every_page(client, commissioner):
    response = client.get("/sign-in")
    csp = response.headers["Content-Security-Policy"]
    assert "frame-ancestors 'none'" in csp and re.search(r"script-src 'self' 'nonce-[\w-]+'", csp)
    assert response.headers["X-Content-Type-Options"] == "nosniff"
    sign_in(client, commissioner.email)
    assert client.get("/dashboard").headers["Cache-Control"] == "no-store"
    cookie = client.get_cookie("copro_session")
    assert cookie.http_only and cookie.same_site == "Lax"


def test_control_characters_in_next_go_to_the_dashboard_not_a_500(client, app, commissioner, monkeypatch):
    monkeypatch.setitem(app.config, "PROPAGATE_EXCEPTIONS", False)  # see the 500 a person would see
    for target in ("/profile%0d%0aSet-Cookie:%20x=1", "/profile%0aX", "/pro%09file", "/%5Cevil.example"):
        client.post("/sign-out")
        response = client.post(f"/sign-in?next={target}", data={"email": commissioner.email, "password": PASSWORD})
        assert response.status_code == 302, target
        assert response.headers["Location"].endswith("/dashboard"), target
    response = client.get("/language/cy?next=/sign-in%0d%0aX:%20y")
    assert response.status_code == 302 and response.headers["Location"].endswith("/")


def test_concurrent_wrong_guesses_check_no_more_passwords_than_the_threshold(app, commissioner, monkeypatch):
    import threading
    import time

    from copro_tracker.auth import passwords, service

    checked = []
    real_check = passwords.check_password

    def slow_check(stored_hash, password):
        if stored_hash is not None:
            checked.append(password)
            time.sleep(0.05)  # widen the window between reading the counter and writing it back
        return real_check(stored_hash, password)

    monkeypatch.setattr(passwords, "check_password", slow_check)
    start = threading.Barrier(10)
    refused = []
    email = commissioner.email  # read here: the threads must not touch the test's own session

    def guess(n: int) -> None:
        with app.app_context():
            start.wait()
            try:
                service.authenticate(email, f"wrong guess number {n}")
            except ServiceError:
                refused.append(n)

    threads = [threading.Thread(target=guess, args=(n,)) for n in range(10)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert len(refused) == 10
    assert len(checked) <= app.config["LOCKOUT_THRESHOLD"]
    db.session.expire_all()
    assert db.session.get(User, commissioner.id).locked_until is not None


def test_right_password_at_the_threshold_signs_in_and_unlocks(client, app, commissioner):
    for _ in range(app.config["LOCKOUT_THRESHOLD"] - 1):
        sign_in(client, commissioner.email, "wrong password attempt")
    assert sign_in(client, commissioner.email).status_code == 302
    db.session.expire_all()
    user = db.session.get(User, commissioner.id)
    assert user.locked_until is None and user.failed_logins == 0


def test_organisation_service_and_year_words_make_a_password_too_easy(client, commissioner):
    from copro_tracker.auth.passwords import CONTEXT_HINT, password_problems
    from copro_tracker.models import utcnow

    weak = f"northshire{utcnow().year}"
    assert password_problems(weak) == []  # strong to zxcvbn alone: the context is what makes it weak
    sign_in(client, commissioner.email)
    for password in (weak, f"Northshire-{utcnow().year}", "tomcommissioner2026"):
        page = post_page(client, "/profile/password", {"current_password": PASSWORD, "password": password})
        (error,) = page.errors()
        assert error.startswith("Password is too easy to guess"), password
        assert CONTEXT_HINT in error and "Add another word or two" in error, error


def test_signed_out_share_link_and_error_pages_are_never_cached_or_indexed(client, app, monkeypatch):
    monkeypatch.setitem(app.config, "PROPAGATE_EXCEPTIONS", False)
    pages = {
        "/sign-in": 200,
        "/forgotten-password": 200,
        "/invitations/not-a-real-token": 410,
        "/reset-password/not-a-real-token": 410,
        "/shared/not-a-real-token": 410,
        "/shared/not-a-real-token/csv": 410,
        "/no-such-page": 404,
        "/dashboard": 302,
    }
    for url, status in pages.items():
        response = client.get(url)
        assert response.status_code == status, url
        assert response.headers["Cache-Control"] == "no-store", url
        assert response.headers["X-Robots-Tag"] == "noindex, nofollow", url
    response = client.post("/sign-in", data={"email": "", "password": ""})
    assert response.headers["Cache-Control"] == "no-store"
    for public in ("/", "/accessibility", "/privacy"):
        response = client.get(public)
        assert response.status_code == 200 and "X-Robots-Tag" not in response.headers, public
        assert "no-store" not in response.headers.get("Cache-Control", ""), public
    assert "no-store" not in client.get("/static/images/favicon.svg").headers.get("Cache-Control", "")


def welsh(client) -> None:
    with client.session_transaction() as session:
        session["lang"] = "cy"


def welsh_post(client, url: str, data: dict) -> Page:
    """A form sent by a Welsh reader (Page.check reads the English page title, so it is not used here)."""
    response = client.post(url, data=data)
    assert response.status_code == 200, (url, response.status_code)
    return Page(response)


def test_a_welsh_reader_is_told_why_a_password_is_refused_in_welsh(client, commissioner):
    """The length rule and zxcvbn's advice are message ids, rendered in the reader's language at display time."""
    from copro_tracker.auth.password_feedback import FEEDBACK

    sign_in(client, commissioner.email)
    form = get_page(client, "/profile/password")
    assert "At least 10 characters." in form.text()
    short = post_page(client, "/profile/password", {"current_password": PASSWORD, "password": "short"})
    assert short.errors() == ["Password must be at least 10 characters"]
    welsh(client)
    form = get_page(client, "/profile/password")
    assert "O leiaf 10 nod." in form.text() and "At least" not in form.text()
    short = welsh_post(client, "/profile/password", {"current_password": PASSWORD, "password": "short"})
    assert short.errors() == ["Rhaid i'r cyfrinair gynnwys o leiaf 10 nod"]
    long = welsh_post(client, "/profile/password", {"current_password": PASSWORD, "password": "x" * 129})
    assert long.errors() == ["Rhaid i'r cyfrinair fod yn 128 nod neu lai"]
    # A common password, one with the person's own name in it, and a keyboard row: each part in Welsh.
    for password, expected in (
        ("password12", "Mae hwn yn gyfrinair cyffredin iawn."),
        ("tomcommissioner2026", "Osgowch eich enw, eich cyfeiriad e-bost"),
        ("zxcvbnm,./", "Mae rhesi syth o fysellau yn hawdd eu dyfalu."),
    ):
        page = welsh_post(client, "/profile/password", {"current_password": PASSWORD, "password": password})
        (error,) = page.errors()
        assert error.startswith("Mae'r cyfrinair yn rhy hawdd ei ddyfalu – "), error
        assert expected in error, error
        assert "Ychwanegwch air neu ddau arall." in error, error
        english = [text for text in FEEDBACK if text in error]
        assert not english and "Password" not in error and "guess" not in error, error


def test_a_refusal_with_a_count_is_rendered_in_the_readers_language(app):
    from copro_tracker.domain.messages import Message

    error = ServiceError(Message.of("share_link.days", count=90), "expiry_days")
    assert str(error) == "A link can last from 1 to 90 days"  # no request: the CLI's English
    with app.test_request_context():
        with force_locale("cy"):
            assert str(error) == "Gall dolen rannu bara rhwng 1 a 90 diwrnod"
            two = ServiceError(Message.of("share_link.days", count=2))
            assert str(two) == "Gall dolen rannu bara rhwng 1 a 2 ddiwrnod"
        with force_locale("en"):
            assert str(error) == "A link can last from 1 to 90 days"
    assert str(ServiceError("plain id")) == "plain id"


def test_link_lifetimes_are_counted_in_welsh(client, admin):
    sign_in(client, admin.email)
    assert "It works once and expires after 7 days." in get_page(client, "/people/invite").text()
    welsh(client)
    assert "yn dod i ben ar ôl 7 diwrnod." in Page(client.get("/people/invite")).text()
    step_up = Page(client.get("/confirm-password")).text()
    assert "am y 5 munud nesaf." in step_up and "minutes" not in step_up


def test_the_reset_email_counts_its_hours_in_the_readers_language(app):
    from copro_tracker.auth.jobs import reset_email

    with app.test_request_context():
        with force_locale("en"):
            assert "It works once, for 2 hours:" in reset_email("secret")[1]
        with force_locale("cy"):
            assert "Mae'n gweithio unwaith, am 2 awr:" in reset_email("secret")[1]
    app.config["RESET_HOURS"] = 1
    try:
        with app.test_request_context(), force_locale("en"):
            assert "It works once, for 1 hour:" in reset_email("secret")[1]
    finally:
        app.config["RESET_HOURS"] = 2
