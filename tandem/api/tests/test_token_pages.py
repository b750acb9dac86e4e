"""The API tokens page: a token is shown once, listed by its first characters, revocable."""

from __future__ import annotations

import re

from django.test import Client

from tandem.api.models import ApiToken
from tandem.api.services import api_token_create
from tandem.core.models import AuditEvent


def test_a_person_makes_a_token_sees_it_once_and_it_works(cast):
    client = cast.client_for(cast.supervisee)
    response = client.post(
        "/account/api-tokens/", {"name": "My report", "lifetime_days": "30"}, follow=True
    )
    assert response.redirect_chain == [("/account/api-tokens/", 302)]

    page = response.content.decode()
    raw = re.search(r'<code id="new-token"[^>]*>(tdm_[^<]+)</code>', page).group(1)
    assert "Copy the token now" in page
    assert "My report" in page
    token = ApiToken.objects.get(person=cast.supervisee)
    assert (token.expires_at - token.created_at).days == 30
    api = Client(headers={"Authorization": f"Bearer {raw}"})
    assert api.get("/api/me").json()["person"]["full_name"] == "Sue Supervisee"

    again = client.get("/account/api-tokens/").content.decode()
    assert raw not in again and token.hint in again
    assert AuditEvent.objects.filter(action="api_token.create").count() == 1


def test_a_token_without_a_name_gets_a_field_error(cast):
    response = cast.client_for(cast.supervisee).post(
        "/account/api-tokens/", {"name": "", "lifetime_days": "90"}
    )
    page = response.content.decode()
    assert response.status_code == 200 and "govuk-error-summary" in page
    assert not ApiToken.objects.exists()


def test_revoking_a_token_stops_it_working(cast):
    token, raw = api_token_create(person=cast.supervisee, name="old script")
    client = cast.client_for(cast.supervisee)

    response = client.post(f"/account/api-tokens/{token.pk}/revoke/", follow=True)

    assert "Token “old script” revoked." in response.content.decode()
    assert "Revoked" in response.content.decode()
    assert Client(headers={"Authorization": f"Bearer {raw}"}).get("/api/me").status_code == 401


def test_nobody_else_can_revoke_my_token(cast):
    token, raw = api_token_create(person=cast.supervisee, name="mine")
    for person in (cast.supervisor, cast.admin, cast.outsider):
        assert (
            cast.client_for(person).post(f"/account/api-tokens/{token.pk}/revoke/").status_code
            == 404
        )
        assert "mine" not in cast.client_for(person).get("/account/api-tokens/").content.decode()
    assert Client(headers={"Authorization": f"Bearer {raw}"}).get("/api/me").status_code == 200


def test_revoking_needs_a_post(cast):
    token, _raw = api_token_create(person=cast.supervisee, name="mine")
    assert (
        cast.client_for(cast.supervisee).get(f"/account/api-tokens/{token.pk}/revoke/").status_code
        == 405
    )
