"""A signed-in person changes their own password; allauth's other account pages lead home."""

from __future__ import annotations

import pytest
from django.contrib.auth import authenticate

NEW_PASSWORD = "Another-Long-Passw0rd!"


def test_changing_my_password(cast):
    client = cast.client_for(cast.supervisee)
    page = client.get("/accounts/password/change/").content.decode()
    assert "Change your password" in page and 'autocomplete="current-password"' in page

    response = client.post(
        "/accounts/password/change/",
        {"oldpassword": cast.password, "password1": NEW_PASSWORD, "password2": NEW_PASSWORD},
    )

    assert response.status_code == 302
    assert authenticate(email=cast.supervisee.email, password=NEW_PASSWORD) is not None


def test_a_wrong_current_password_is_refused_and_not_echoed(cast):
    client = cast.client_for(cast.supervisee)
    response = client.post(
        "/accounts/password/change/",
        {"oldpassword": "wrong-one", "password1": NEW_PASSWORD, "password2": NEW_PASSWORD},
    )
    page = response.content.decode()
    assert response.status_code == 200 and "govuk-error-summary" in page
    assert NEW_PASSWORD not in page and "wrong-one" not in page
    assert authenticate(email=cast.supervisee.email, password=cast.password) is not None


@pytest.mark.parametrize("page", ["email", "confirm-email", "reauthenticate"])
def test_email_management_pages_lead_home(cast, page):
    response = cast.client_for(cast.supervisee).get(f"/accounts/{page}/")
    assert response.status_code == 302 and response["Location"] == "/"
