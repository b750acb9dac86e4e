"""The development reminders of the daily round: from 1 September, once a month, to social
workers behind on the year's CPD; once to a nurse whose revalidation is due soon with evidence
still to add. Each is sent once however often the round runs."""

from __future__ import annotations

import datetime
from io import StringIO

import pytest
from django.core import mail
from django.core.management import CommandError, call_command

from tandem.core.models import Notice
from tandem.development.models import CpdKind, DevelopmentReminder
from tandem.development.services.reminders import development_reminders_send
from tandem.organisations.models import StaffCategory
from tandem.organisations.tests.factories import PersonFactory

from .factories import CpdRecordFactory, RevalidationFactory

pytestmark = pytest.mark.django_db
day = datetime.date


def social_workers_reminded(cast) -> set[str]:
    return set(
        DevelopmentReminder.objects.filter(kind="cpd").values_list("person__first_name", flat=True)
    )


def test_cpd_reminders_begin_on_1_september_and_come_once_a_month(
    cast, django_capture_on_commit_callbacks
):
    sue, sam = cast.supervisee, cast.supervisor
    CpdRecordFactory(person=sam, done_on=day(2027, 1, 5), kind=CpdKind.SUPERVISION)
    CpdRecordFactory(person=sam, done_on=day(2027, 2, 5))  # Sam has met the year
    CpdRecordFactory(person=sue, done_on=day(2027, 3, 5))  # Sue has one of two
    assert development_reminders_send(today=day(2027, 8, 31)) == {"cpd": 0, "revalidation": 0}

    with django_capture_on_commit_callbacks(execute=True):
        sent = development_reminders_send(today=day(2027, 9, 1))
    reminded = social_workers_reminded(cast)
    assert "Sue" in reminded and "Sam" not in reminded
    assert "Ann" not in reminded  # the admin is not a social worker
    assert sent["cpd"] == len(reminded)
    sues = [m for m in mail.outbox if m.to == ["sue@riverside.test"]]
    assert len(sues) == 1
    assert "1 of 2 records so far, 0 of 1 with peer reflection" in sues[0].subject
    assert Notice.objects.filter(user=sue.user, text__startswith="Your CPD").count() == 1

    assert development_reminders_send(today=day(2027, 9, 20))["cpd"] == 0
    assert development_reminders_send(today=day(2027, 10, 1))["cpd"] == sent["cpd"]
    # A new registration year from 1 December: nobody is reminded until 1 September again.
    assert development_reminders_send(today=day(2027, 12, 1))["cpd"] == 0


def test_a_revalidation_due_soon_with_evidence_to_add_is_reminded_once(
    cast, django_capture_on_commit_callbacks
):
    nurse = PersonFactory(organisation=cast.organisation, staff_category=StaffCategory.NURSE)
    RevalidationFactory(person=nurse, due_on=day(2027, 6, 30))
    assert development_reminders_send(today=day(2027, 3, 31))["revalidation"] == 0  # 91 days
    with django_capture_on_commit_callbacks(execute=True):
        assert development_reminders_send(today=day(2027, 4, 1))["revalidation"] == 1
    assert development_reminders_send(today=day(2027, 4, 2))["revalidation"] == 0
    assert "Your NMC revalidation is due on 30 June 2027" in mail.outbox[-1].subject


def test_the_command_says_what_it_sent_and_refuses_a_bad_date(cast):
    out = StringIO()
    call_command("development_daily", "--date", "2027-09-01", stdout=out)
    assert out.getvalue().startswith("Development: ")
    assert "CPD reminder" in out.getvalue()
    with pytest.raises(CommandError, match="--date must be a date like 2027-09-01"):
        call_command("development_daily", "--date", "1 Sept")
