"""Signing in, signing out and resetting a password: the allauth pages as a person meets them."""

from __future__ import annotations

import re

import pytest
from django.contrib.auth import SESSION_KEY
from django.core import mail
from django.test import Client
from django.urls import reverse

from tandem.organisations.tests.factories import TEST_PASSWORD, PersonFactory, UserFactory

LOGIN_URL = reverse("account_login")
LOGOUT_URL = reverse("account_logout")
RESET_URL = reverse("account_reset_password")
RESET_DONE_URL = reverse("account_reset_password_done")
NEW_PASSWORD = "Another-Long-Passw0rd!"

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def _locmem_email(settings):
    settings.EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"


def sign_in(client: Client, email: str, password: str, **extra: str):
    return client.post(LOGIN_URL, {"login": email, "password": password, **extra})


def reset_link_in(message: mail.EmailMessage) -> str:
    match = re.search(r"https?://\S+/accounts/password/reset/key/\S+/", message.body)
    assert match, message.body
    return match.group(0)


def html(response) -> str:
    return response.content.decode()


# Signing in


def test_the_sign_in_page_has_the_form_and_the_tandem_header(client):
    response = client.get(LOGIN_URL)

    assert response.status_code == 200
    page = html(response)
    assert "<title>Sign in \N{EN DASH} Tandem</title>" in page
    assert '<h1 class="govuk-heading-l">Sign in to Tandem</h1>' in page
    assert page.count("<h1") == 1
    assert "govuk-header" in page and "Tandem" in page
    assert "csrfmiddlewaretoken" in page
    assert 'name="login" type="email"' in page
    assert 'autocomplete="email"' in page
    assert 'name="password" type="password" autocomplete="current-password"' in page
    assert f'href="{RESET_URL}">Forgotten your password?</a>' in page
    assert reverse("account_signup") not in page
    assert "style=" not in page


def test_the_right_password_goes_to_my_supervision_with_my_name(cast):
    client = Client()
    response = sign_in(client, cast.supervisee.user.email, cast.password)

    assert response.status_code == 302
    assert response["Location"] == "/"
    home = client.get("/")
    assert home.status_code == 200
    assert "Sue Supervisee" in html(home)
    assert "My supervision" in html(home)


def test_the_email_address_is_not_case_sensitive(cast):
    client = Client()
    response = sign_in(client, "Sue@Riverside.TEST", cast.password)

    assert response.status_code == 302
    assert client.session[SESSION_KEY] == str(cast.supervisee.user.pk)


def test_a_wrong_password_shows_the_error_and_keeps_the_email_but_not_the_password(cast):
    client = Client()
    response = sign_in(client, "sue@riverside.test", "not-my-password")

    assert response.status_code == 200
    assert SESSION_KEY not in client.session
    page = html(response)
    assert "<title>Error: Sign in \N{EN DASH} Tandem</title>" in page
    assert "govuk-error-summary" in page
    assert "There is a problem" in page
    assert "email address and/or password you specified are not correct" in page
    assert '<a href="#id_login">' in page
    assert 'value="sue@riverside.test"' in page
    assert "not-my-password" not in page


def test_an_empty_form_says_what_is_missing(client):
    response = client.post(LOGIN_URL, {"login": "", "password": ""})

    page = html(response)
    assert "There is a problem" in page
    assert '<a href="#id_login">This field is required.</a>' in page
    assert '<a href="#id_password">This field is required.</a>' in page


def test_signing_in_from_a_page_returns_to_that_page(cast):
    client = Client()
    anonymous = client.get("/teams/")
    assert anonymous.status_code == 302
    assert anonymous["Location"] == f"{LOGIN_URL}?next=/teams/"

    page = html(client.get(anonymous["Location"]))
    assert 'name="next" value="/teams/"' in page

    response = sign_in(client, cast.manager.user.email, cast.password, next="/teams/")
    assert response["Location"] == "/teams/"


def test_an_anonymous_visit_to_my_supervision_goes_to_the_sign_in_page(client):
    response = client.get("/")

    assert response.status_code == 302
    assert response["Location"] == f"{LOGIN_URL}?next=/"


def test_a_signed_in_person_is_sent_on_from_the_sign_in_page(cast):
    client = cast.client_for(cast.supervisee)

    response = client.get(LOGIN_URL)

    assert response.status_code == 302
    assert response["Location"] == "/"


# Signing out


def test_signing_out_asks_first_then_signs_out_on_post(cast):
    client = Client()
    sign_in(client, cast.supervisee.user.email, cast.password)

    confirm = client.get(LOGOUT_URL)
    assert confirm.status_code == 200
    page = html(confirm)
    assert "Are you sure you want to sign out?" in page
    assert f'action="{LOGOUT_URL}"' in page
    assert SESSION_KEY in client.session

    response = client.post(LOGOUT_URL)

    assert response.status_code == 302
    assert response["Location"] == LOGIN_URL
    assert SESSION_KEY not in client.session
    assert client.get("/")["Location"] == f"{LOGIN_URL}?next=/"


def test_the_header_sign_out_button_posts_to_logout(cast):
    page = html(cast.client_for(cast.supervisee).get("/"))

    assert f'<form method="post" action="{LOGOUT_URL}"' in page


# Resetting a password


def test_the_reset_page_asks_for_an_email_address(client):
    response = client.get(RESET_URL)

    page = html(response)
    assert response.status_code == 200
    assert '<h1 class="govuk-heading-l">Reset your password</h1>' in page
    assert 'name="email" type="email"' in page
    assert 'autocomplete="email"' in page
    assert "csrfmiddlewaretoken" in page


def test_a_reset_link_by_email_lets_me_choose_a_new_password_and_sign_in(cast):
    client = Client()
    email = cast.supervisee.user.email

    response = client.post(RESET_URL, {"email": email})
    assert response["Location"] == RESET_DONE_URL
    assert "Check your email" in html(client.get(RESET_DONE_URL))

    assert len(mail.outbox) == 1
    message = mail.outbox[0]
    assert message.to == [email]
    assert message.subject == "[Tandem] Reset your password"
    assert "Hello Sue," in message.body
    assert "From Tandem" in message.body
    link = reset_link_in(message)

    # The emailed link hides its key behind a redirect, then shows the form.
    form_page = client.get(link, follow=True)
    page = html(form_page)
    assert '<h1 class="govuk-heading-l">Create a new password</h1>' in page
    assert page.count('autocomplete="new-password"') == 2
    form_url = form_page.redirect_chain[-1][0]

    # Too weak: the password validators apply, and nothing changes.
    weak = client.post(form_url, {"password1": "password", "password2": "password"})
    assert weak.status_code == 200
    assert "There is a problem" in html(weak)
    assert "This password is too common." in html(weak)

    done = client.post(form_url, {"password1": NEW_PASSWORD, "password2": NEW_PASSWORD})
    assert done.status_code == 302
    assert done["Location"] == reverse("account_reset_password_from_key_done")
    assert "Your password has been saved" in html(client.get(done["Location"]))

    # Not signed in automatically; the old password no longer works, the new one does.
    assert SESSION_KEY not in client.session
    old_password = sign_in(Client(), email, cast.password)
    assert old_password.status_code == 200
    assert "There is a problem" in html(old_password)
    new_client = Client()
    assert sign_in(new_client, email, NEW_PASSWORD)["Location"] == "/"
    assert "Sue Supervisee" in html(new_client.get("/"))

    # The link is spent.
    used = client.get(link, follow=True)
    assert "This link does not work" in html(used)


def test_different_new_passwords_are_refused(cast):
    client = Client()
    client.post(RESET_URL, {"email": cast.supervisee.user.email})
    form_page = client.get(reset_link_in(mail.outbox[0]), follow=True)

    response = client.post(
        form_page.redirect_chain[-1][0],
        {"password1": NEW_PASSWORD, "password2": NEW_PASSWORD + "x"},
    )

    assert "There is a problem" in html(response)
    assert "You must type the same password each time." in html(response)
    cast.supervisee.user.refresh_from_db()
    assert cast.supervisee.user.check_password(cast.password)


def test_an_unknown_email_address_gets_the_same_answer_and_no_reset_link(cast):
    known = Client().post(RESET_URL, {"email": cast.supervisee.user.email})
    mail.outbox.clear()

    client = Client()
    unknown = client.post(RESET_URL, {"email": "nobody@riverside.test"})

    assert unknown.status_code == known.status_code == 302
    assert unknown["Location"] == known["Location"] == RESET_DONE_URL
    page = html(client.get(unknown["Location"]))
    assert "If that email address has a Tandem account" in page
    assert "nobody@riverside.test" not in page
    assert not any("/accounts/password/reset/key/" in m.body for m in mail.outbox)


def test_a_broken_or_expired_link_says_so_and_offers_a_new_one(client):
    response = client.get(
        reverse("account_reset_password_from_key", kwargs={"uidb36": "zz", "key": "not-a-key"})
    )

    page = html(response)
    assert response.status_code == 200
    assert '<h1 class="govuk-heading-l">This link does not work</h1>' in page
    assert f'href="{RESET_URL}"' in page
    assert 'name="password1"' not in page


def test_a_new_account_without_a_password_can_set_one_by_reset(db):
    """create_organisation tells a new admin to use 'Forgotten your password?'."""
    user = UserFactory(email="new.admin@example.org")
    user.set_unusable_password()
    user.save()
    PersonFactory(user=user, first_name="Nia")
    client = Client()

    client.post(RESET_URL, {"email": "new.admin@example.org"})
    assert "Hello Nia," in mail.outbox[0].body
    form_page = client.get(reset_link_in(mail.outbox[0]), follow=True)
    client.post(
        form_page.redirect_chain[-1][0], {"password1": NEW_PASSWORD, "password2": NEW_PASSWORD}
    )

    assert sign_in(Client(), "new.admin@example.org", NEW_PASSWORD)["Location"] == "/"


# Pages with no form


def test_sign_up_is_closed(client):
    response = client.get(reverse("account_signup"))

    page = html(response)
    assert response.status_code == 200
    assert "Ask your organisation's Tandem administrator for an account" in page
    assert page.count("<h1") == 1
    assert 'name="password1"' not in page
    assert 'name="email"' not in page


def test_posting_to_sign_up_creates_no_account(client):
    from tandem.core.models import User

    client.post(
        reverse("account_signup"),
        {"email": "walk.in@example.org", "password1": NEW_PASSWORD, "password2": NEW_PASSWORD},
    )

    assert not User.objects.filter(email="walk.in@example.org").exists()


def test_an_inactive_account_cannot_sign_in_and_is_told_why(db):
    UserFactory(email="left@example.org", is_active=False)
    client = Client()

    response = sign_in(client, "left@example.org", TEST_PASSWORD)

    assert SESSION_KEY not in client.session
    assert response["Location"] == reverse("account_inactive")
    page = html(client.get(response["Location"]))
    assert '<h1 class="govuk-heading-l">Your account is not active</h1>' in page
