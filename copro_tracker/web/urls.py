"""Absolute links for emails and for sharing, built from BASE_URL.

A request's Host header is chosen by whoever sends the request: a reset link built from it can point a
real person at an attacker's server. So links that leave the page (emails, links to copy and pass on)
come from the configured public address only, and this is the one place that builds them.
"""

from __future__ import annotations

from urllib.parse import urlsplit

from flask import current_app


def external_url(endpoint: str, **values: object) -> str:
    base = urlsplit(current_app.config["BASE_URL"])
    adapter = current_app.url_map.bind(base.netloc, script_name=base.path or "/", url_scheme=base.scheme)
    return adapter.build(endpoint, values, force_external=True)
