"""Invitations: someone added to Tandem is emailed a link to set their password, which works
once, for 7 days, and only while they are in post; admins send and resend them and see who has
never signed in. Leavers' access ends on their leaving date."""

from __future__ import annotations

import datetime
import re

import pytest
import time_machine
from django.core import mail
from django.core.files.uploadedfile import SimpleUploadedFile
from django.core.management import call_command
from django.test import Client
from django.urls import reverse
from django.utils import timezone
from django_tasks_db.models import DBTaskResult

from tandem.core.models import AuditEvent
from tandem.organisations.models import Invitation, Organisation, Person
from tandem.organisations.tasks import send_invitations
from tandem.organisations.tests.factories import PersonFactory
from tandem.organisations.tests.test_staff_import import GOOD

PASSWORD = "a long walk by the river"
LINK = re.compile(r"http://[^\s]+/invitation/([^\s/]+)/")


@pytest.fixture
def newcomer(cast):
    return PersonFactory(
        organisation=cast.organisation, first_name="Nia", last_name="New", user__last_login=None
    )


def invite(cast, person, captured, by="admin"):
    with captured(execute=True):
        response = cast.client_for(getattr(cast, by)).post(
            reverse("person-invite", args=[person.pk])
        )
    return response


def link_in(message) -> str:
    return LINK.search(message.body).group(0).replace("http://127.0.0.1:8000", "")


def test_an_admin_invites_a_newcomer_who_sets_a_password_once(
    cast, newcomer, django_capture_on_commit_callbacks
):
    page = cast.client_for(cast.admin).get(reverse("person", args=[newcomer.pk])).content.decode()
    assert "Never signed in" in page and "No invitation sent yet." in page

    response = invite(cast, newcomer, django_capture_on_commit_callbacks)

    assert response.status_code == 302
    (message,) = mail.outbox
    assert message.to == [newcomer.user.email]
    assert message.subject == "Set your password for Tandem at Riverside Council"
    assert "The link works once, until" in message.body
    link = link_in(message)
    page = cast.client_for(cast.admin).get(reverse("person", args=[newcomer.pk])).content.decode()
    assert "Invitation sent" in page and "Send the invitation again" in page

    visitor = Client()
    form = visitor.get(link)
    assert form.status_code == 200 and "Set your password" in form.content.decode()
    mismatch = visitor.post(link, {"password": PASSWORD, "again": PASSWORD + "!"})
    assert mismatch.status_code == 400
    assert mismatch.context["form"].errors == {"again": ["Enter the same password twice."]}
    weak = visitor.post(link, {"password": "12345678", "again": "12345678"})
    assert weak.status_code == 400 and "password" in weak.context["form"].errors

    done = visitor.post(link, {"password": PASSWORD, "again": PASSWORD})

    assert done.status_code == 302 and done.url == reverse("home")
    assert visitor.get(reverse("home")).status_code == 200  # signed in
    newcomer.user.refresh_from_db()
    assert newcomer.user.check_password(PASSWORD)
    assert Invitation.objects.get().used_at is not None
    actions = set(AuditEvent.objects.values_list("action", flat=True))
    assert {"invitation.send", "invitation.accept"} <= actions

    # The same link twice: it no longer works, and says what to do.
    again = Client().get(link)
    assert again.status_code == 404
    assert "This link no longer works" in again.content.decode()
    assert Client().post(link, {"password": "x" * 20, "again": "x" * 20}).status_code == 404
    newcomer.user.refresh_from_db()
    assert newcomer.user.check_password(PASSWORD)


def test_a_link_works_for_7_days_only(cast, newcomer, django_capture_on_commit_callbacks):
    invite(cast, newcomer, django_capture_on_commit_callbacks)
    link = link_in(mail.outbox[0])
    sent = Invitation.objects.get().sent_at
    with time_machine.travel(sent + datetime.timedelta(days=7, minutes=-1), tick=False):
        assert Client().get(link).status_code == 200
    with time_machine.travel(sent + datetime.timedelta(days=7, minutes=1), tick=False):
        assert Client().get(link).status_code == 404
        page = cast.client_for(cast.admin).get(reverse("person", args=[newcomer.pk]))
        assert "has expired" in page.content.decode()


def test_sending_again_withdraws_the_first_link(cast, newcomer, django_capture_on_commit_callbacks):
    invite(cast, newcomer, django_capture_on_commit_callbacks)
    invite(cast, newcomer, django_capture_on_commit_callbacks)
    first, second = (link_in(m) for m in mail.outbox)
    assert Client().get(first).status_code == 404
    assert Client().get(second).status_code == 200


def test_a_leaver_is_not_invited_and_their_link_stops_on_their_leaving_day(
    cast, newcomer, django_capture_on_commit_callbacks
):
    invite(cast, newcomer, django_capture_on_commit_callbacks)
    link = link_in(mail.outbox[0])
    Person.objects.filter(pk=newcomer.pk).update(
        left_on=timezone.localdate() - datetime.timedelta(days=1)
    )
    assert Client().get(link).status_code == 404

    response = invite(cast, newcomer, django_capture_on_commit_callbacks)
    assert response.status_code == 302
    assert len(mail.outbox) == 1
    page = cast.client_for(cast.admin).get(reverse("person", args=[newcomer.pk]), follow=True)
    assert "their access has ended" in page.content.decode()


def test_a_leaver_can_no_longer_use_tandem(cast):
    client = cast.client_for(cast.supervisee)
    assert client.get(reverse("home")).status_code == 200
    Person.objects.filter(pk=cast.supervisee.pk).update(
        left_on=timezone.localdate() - datetime.timedelta(days=1)
    )
    ended = client.get(reverse("home"))
    assert ended.status_code == 403
    assert "Your access to Tandem has ended" in ended.content.decode()
    assert client.get(reverse("records")).status_code == 403
    assert client.get("/api/me").status_code == 401


@pytest.mark.parametrize("who", ["supervisee", "supervisor", "manager", "director"])
def test_only_admins_and_hr_send_invitations(
    cast, newcomer, who, django_capture_on_commit_callbacks
):
    assert invite(cast, newcomer, django_capture_on_commit_callbacks, by=who).status_code == 403
    page = cast.client_for(getattr(cast, who)).get(reverse("person", args=[newcomer.pk]))
    assert "Send an invitation" not in page.content.decode()
    assert not mail.outbox and not Invitation.objects.exists()


def test_another_organisations_admin_cannot_invite_our_people(
    cast, newcomer, django_capture_on_commit_callbacks
):
    assert (
        invite(cast, newcomer, django_capture_on_commit_callbacks, by="outsider").status_code == 404
    )
    assert not mail.outbox


@pytest.mark.django_db
def test_an_unknown_link_is_not_found():
    assert Client().get(reverse("invitation", args=["made-up"])).status_code == 404


def test_an_import_invites_the_people_it_adds_in_the_background(cast):
    client = cast.client_for(cast.admin)
    response = client.post(
        "/import/", {"file": SimpleUploadedFile("staff.csv", GOOD.encode()), "invite": "on"}
    )
    assert response.status_code == 302
    messages = [str(m) for m in client.get("/people/").context["messages"]]
    assert any("Invitations are being emailed to the 3 people added." in m for m in messages)
    (task,) = DBTaskResult.objects.all()
    assert not mail.outbox  # not yet: the worker sends them

    assert send_invitations.call(*task.args_kwargs["args"]) == 3

    assert sorted(m.to[0] for m in mail.outbox) == [
        "nina.boss@example.org",
        "omar.lead@example.org",
        "pia.new@example.org",
    ]
    assert Invitation.objects.count() == 3
    event = AuditEvent.objects.get(action="invitations.send")
    assert event.detail == {"sent": 3} and event.actor == cast.admin.user


def test_an_import_without_invitations_sends_none(cast):
    client = cast.client_for(cast.admin)
    client.post("/import/", {"file": SimpleUploadedFile("staff.csv", GOOD.encode())})
    assert not DBTaskResult.objects.exists()


def test_the_people_list_shows_who_has_never_signed_in(cast, newcomer):
    for person in Person.objects.filter(organisation=cast.organisation).exclude(pk=newcomer.pk):
        person.user.last_login = timezone.now()
        person.user.save(update_fields=["last_login"])
    page = cast.client_for(cast.admin).get("/people/", {"signed_in": "never"})
    assert [p.full_name for p in page.context["page"].object_list] == ["Nia New"]
    assert "Never signed in" in page.content.decode()


@pytest.mark.django_db
def test_create_organisation_emails_the_first_admin_an_invitation(
    capsys, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        call_command(
            "create_organisation",
            "--name=Eastwick Care Homes",
            "--sector=care_provider",
            "--admin-email=lena.price@eastwick.example",
            "--admin-first-name=Lena",
            "--admin-last-name=Price",
        )
    assert "They are emailed an invitation to set their password" in capsys.readouterr().out
    (message,) = mail.outbox
    assert message.to == ["lena.price@eastwick.example"]
    admin = Person.objects.get(organisation=Organisation.objects.get(name="Eastwick Care Homes"))
    assert Invitation.objects.get().person == admin
