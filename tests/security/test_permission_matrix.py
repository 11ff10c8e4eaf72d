"""Every route × every kind of visitor → the status they must get. Built from the URL map, so a new
route without an entry here fails the suite until someone decides who may use it."""

from __future__ import annotations

import pytest
from conftest import login
from matrix_world import ROLES, build_world, route_specs


def test_every_route_has_a_matrix_entry(app):
    endpoints = {rule.endpoint for rule in app.url_map.iter_rules() if rule.endpoint != "static"}
    specs = route_specs()
    missing = endpoints - specs.keys()
    assert not missing, f"add these endpoints to tests/security/matrix_world.py: {sorted(missing)}"
    assert not specs.keys() - endpoints, "matrix names endpoints that no longer exist"


def test_every_view_declares_its_access_rule(app):
    for rule in app.url_map.iter_rules():
        if rule.endpoint == "static":
            continue
        view = app.view_functions[rule.endpoint]
        assert getattr(view, "access_rule", None), f"{rule.rule} needs @requires(...) or @public"


def test_urls_are_kebab_case(app):
    for rule in app.url_map.iter_rules():
        parts = [p for p in rule.rule.split("/") if p and not p.startswith("<")]
        assert all(p == p.lower() and "_" not in p for p in parts), rule.rule


@pytest.mark.parametrize("endpoint", sorted(route_specs()))
@pytest.mark.parametrize("role", ROLES)
def test_route_status_for_role(client, endpoint, role):
    world = build_world()
    spec = route_specs()[endpoint]
    if role != "anonymous":
        login(client, getattr(world, role))
    url = spec.url(world)
    response = client.post(url, data={}) if spec.method == "POST" else client.get(url)
    expected = spec.expect[role]
    assert response.status_code == expected, f"{spec.method} {url} as {role}: {response.status_code} != {expected}"
    if role == "outsider":
        body = response.get_data(as_text=True)
        for secret in world.secrets:
            assert secret not in body, f"{url} leaked {secret!r} to another organisation"
