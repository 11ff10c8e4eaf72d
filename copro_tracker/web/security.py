"""Security headers with a per-request CSP nonce, no caching of signed-in pages, and refusal of requests
for hosts the service does not serve."""

from __future__ import annotations

import secrets

from flask import Flask, Response, g, request
from flask_login import current_user
from werkzeug.datastructures import ImmutableMultiDict
from werkzeug.exceptions import SecurityError
from werkzeug.wrappers import Response as WerkzeugResponse
from werkzeug.wsgi import get_host

PUBLIC_PAGES = frozenset({"main.index", "main.accessibility", "main.privacy"})


def refuse_untrusted_hosts(app: Flask) -> None:
    """Answer 400 to a request whose Host is not in TRUSTED_HOSTS, before Flask sees it.

    Flask checks TRUSTED_HOSTS too, but only when it routes: by then the CSRF check and the error page
    (which builds links from the Host) have already run. Refusing here keeps the bad Host out of
    everything: no session, no audit, no link.
    """
    trusted = app.config.get("TRUSTED_HOSTS")
    if not trusted:
        return
    inner = app.wsgi_app

    def wsgi(environ, start_response):
        try:
            get_host(environ, trusted_hosts=trusted)
        except SecurityError:
            response = WerkzeugResponse(
                "Sorry, this service is not available at this address.\n",
                status=400,
                mimetype="text/plain",
                headers={"Cache-Control": "no-store", "X-Content-Type-Options": "nosniff"},
            )
            return response(environ, start_response)
        return inner(environ, start_response)

    app.wsgi_app = wsgi


def init_security_headers(app: Flask) -> None:
    @app.before_request
    def make_nonce() -> None:
        g.csp_nonce = secrets.token_urlsafe(16)

    @app.before_request
    def drop_nul_characters() -> None:
        # No one can type a NUL, PostgreSQL text columns refuse it, and SQLite would store it silently:
        # remove it from every submitted form value once, here, rather than in each form or service.
        if request.method == "POST" and any("\x00" in value for value in request.form.values()):
            request.form = ImmutableMultiDict(
                [(key, value.replace("\x00", "")) for key, value in request.form.items(multi=True)]
            )

    @app.after_request
    def set_headers(response: Response) -> Response:
        nonce = getattr(g, "csp_nonce", "")
        response.headers["Content-Security-Policy"] = (
            "default-src 'self'; "
            f"script-src 'self' 'nonce-{nonce}'; "
            "style-src 'self'; img-src 'self' data:; font-src 'self'; "
            "object-src 'none'; base-uri 'self'; form-action 'self'; frame-ancestors 'none'"
        )
        response.headers["X-Content-Type-Options"] = "nosniff"
        response.headers["Referrer-Policy"] = "same-origin"
        response.headers["Permissions-Policy"] = "camera=(), microphone=(), geolocation=(), interest-cohort=()"
        response.headers["X-Frame-Options"] = "DENY"
        response.headers["Cross-Origin-Opener-Policy"] = "same-origin"
        if app.config.get("SESSION_COOKIE_SECURE"):
            response.headers["Strict-Transport-Security"] = "max-age=31536000; includeSubDomains"
        if request.endpoint == "static" and response.status_code < 400:
            return response
        # Only the service's public information pages may be cached or indexed. Everything else (sign-in,
        # invitation and reset links, share links, errors, redirects) carries a token, personal data or a
        # hint about an account: no cache may keep it and no search engine may list it.
        public = request.endpoint in PUBLIC_PAGES and response.status_code < 400
        if not public:
            if "no-store" not in response.headers.get("Cache-Control", ""):
                response.headers["Cache-Control"] = "no-store"
            response.headers["X-Robots-Tag"] = "noindex, nofollow"
            return response
        # Pages for signed-in people hold personal social-care data: never keep them in a cache.
        # (An error page about the database sets no-store itself and must not load the person from it.)
        if g.get("database_unavailable"):
            return response
        if current_user and current_user.is_authenticated:
            response.headers["Cache-Control"] = "no-store"
        return response
