"""The set-up checklist: a new organisation's steps, each done or not from what is in Tandem,
and the way there from the command and from My supervision."""

from __future__ import annotations

import datetime

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client
from django.urls import reverse

from tandem.agreements.tests.factories import AgreementTemplateFactory
from tandem.core.models import AuditEvent, ClosureDay, TermDate
from tandem.organisations.models import Person
from tandem.organisations.services import organisation_create
from tandem.organisations.tests.test_staff_import import GOOD


def client_of(person) -> Client:
    client = Client()
    client.force_login(person.user)
    return client


def steps_of(client) -> dict[str, bool]:
    page = client.get(reverse("organisation-setup"))
    assert page.status_code == 200
    return {step.title: step.done for step in page.context["steps"]}


@pytest.fixture
def school(db):
    return organisation_create(
        name="Hollyfield Primary",
        nation="england",
        sector="school",
        admin_email="head@hollyfield.example",
        admin_first_name="Hana",
        admin_last_name="Head",
    )


def test_a_new_school_starts_with_only_the_first_step_done(school):
    _organisation, admin = school
    client = client_of(admin)
    assert steps_of(client) == {
        "Create the organisation": True,
        "Import staff and line managers": False,
        "Enter the term dates": False,
        "Add closure days": False,
        "Check the frequency policy": False,
        "Make your agreement template": False,
        "Invite people": False,
    }
    home = client.get(reverse("home")).content.decode()
    assert "Set up Tandem</a>: 1 of 6 steps done." in home


def test_each_step_is_done_when_its_work_is(school, django_capture_on_commit_callbacks):
    organisation, admin = school
    client = client_of(admin)
    client.post("/import/", {"file": SimpleUploadedFile("staff.csv", GOOD.encode())})
    TermDate.objects.create(
        organisation=organisation,
        name="Autumn 1",
        term="Autumn",
        starts_on=datetime.date(2026, 9, 2),
        ends_on=datetime.date(2026, 10, 23),
    )
    ClosureDay.objects.create(organisation=organisation, date=datetime.date(2026, 12, 29))
    confirmed = client.post(reverse("frequency-policy"))
    assert confirmed.status_code == 302
    assert AuditEvent.objects.filter(action="frequency_policy.confirmed").count() == 1
    AgreementTemplateFactory(organisation=organisation)
    assert steps_of(client)["Invite people"] is False
    for person in Person.objects.filter(organisation=organisation).exclude(pk=admin.pk):
        with django_capture_on_commit_callbacks(execute=True):
            client.post(reverse("person-invite", args=[person.pk]))

    assert set(steps_of(client).values()) == {True}
    assert "Set up Tandem</a>" not in client.get(reverse("home")).content.decode()
    # Confirmed once, the policy page no longer asks.
    assert (
        "Confirm the policy as it stands"
        not in client.get(reverse("frequency-policy")).content.decode()
    )


def test_a_council_has_no_term_dates_step(cast):
    titles = steps_of(cast.client_for(cast.admin))
    assert "Enter the term dates" not in titles
    assert titles["Import staff and line managers"] is True


@pytest.mark.parametrize("who", ["director", "head_of_service", "manager", "supervisee"])
def test_only_admins_see_the_checklist_or_confirm_the_policy(cast, who):
    client = cast.client_for(getattr(cast, who))
    assert client.get(reverse("organisation-setup")).status_code == 403
    assert client.post(reverse("frequency-policy")).status_code == 403
    assert not AuditEvent.objects.filter(action="frequency_policy.confirmed").exists()
    assert "Set up Tandem" not in client.get(reverse("home")).content.decode()
