"""CSRF is enforced on every form when it is on (the rest of the suite turns it off for brevity)."""

from __future__ import annotations

from conftest import PASSWORD, login


def test_posts_without_a_token_are_refused(app, commissioner):
    app.config["WTF_CSRF_ENABLED"] = True
    try:
        client = app.test_client()
        response = client.post("/sign-in", data={"email": commissioner.email, "password": PASSWORD})
        assert response.status_code == 400
        login(client, commissioner)
        assert client.post("/sign-out").status_code == 400
        page = client.get("/sign-in")
        assert page.status_code == 302  # still signed in: the forged sign-out did nothing
        form = client.get("/profile").get_data(as_text=True)
        assert 'name="csrf_token"' in form
    finally:
        app.config["WTF_CSRF_ENABLED"] = False
