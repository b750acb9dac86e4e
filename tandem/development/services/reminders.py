"""The development reminders, sent by the daily round (``manage.py development_daily``): to
social workers behind on the year's CPD, from the day reminders begin (1 September) and once a
month until it is met; to nurses whose revalidation falls due, once for each renewal date, while
its evidence is not complete. A notice in Tandem and an email, sent once the reminder is
recorded, so a crash between the two sends nothing twice."""

from __future__ import annotations

import datetime

from django.conf import settings
from django.core.mail import send_mail
from django.db import IntegrityError, transaction
from django.urls import reverse
from django.utils import timezone

from tandem.core.dates import long_date
from tandem.core.scoping import across_organisations, organisation_scope
from tandem.core.services import audit_event_write, notice_send
from tandem.organisations.models import Organisation, Person, StaffCategory

from .. import schemes
from ..models import DevelopmentReminder, ReminderKind, Revalidation
from ..selectors import people_behind_on_cpd, revalidation_position, rules_of


def _remind(
    person: Person, kind: str, key: str, subject: str, url: str, today: datetime.date
) -> bool:
    """Once per (person, kind, key): recorded, told in Tandem, emailed after the commit."""
    try:
        with transaction.atomic():
            DevelopmentReminder.objects.create(
                organisation=person.organisation, person=person, kind=kind, key=key, sent_on=today
            )
            notice_send(organisation=person.organisation, user=person.user, text=subject, url=url)
            audit_event_write(
                organisation=person.organisation,
                actor=None,
                action=f"development.reminder_{kind}",
                target=person,
                summary=subject,
            )
            address = person.user.email
            body = (
                f"{subject}\n\nOpen it in Tandem:\n{settings.SITE_URL.rstrip('/')}{url}\n\nTandem"
            )
            transaction.on_commit(lambda: send_mail(subject, body, None, [address]))
    except IntegrityError:
        return False  # sent already (another run got there first)
    return True


def _organisation_reminders(organisation: Organisation, today: datetime.date) -> dict[str, int]:
    sent = {"cpd": 0, "revalidation": 0}
    rules = rules_of(organisation, schemes.Scheme.SWE_CPD)
    year = schemes.registration_year(today, starts_month=rules["year_starts_month"])
    month_key = f"{year.starts_on.isoformat()}:{today:%Y-%m}"
    already = set(
        DevelopmentReminder.objects.filter(
            organisation=organisation, kind=ReminderKind.CPD, key=month_key
        ).values_list("person_id", flat=True)
    )
    for person in people_behind_on_cpd(organisation, today):
        if person.pk in already:
            continue
        person.organisation = organisation
        subject = (
            f"Your CPD for the registration year ending {long_date(year.ends_on)}: "
            f"{getattr(person, 'cpd_n', 0)} of {rules['records_per_year']} records so far, "
            f"{getattr(person, 'cpd_peer', 0)} of {rules['peer_reflected_records']} with peer "
            "reflection"
        )
        url = reverse("cpd-list", args=[person.pk])
        sent["cpd"] += _remind(person, ReminderKind.CPD, month_key, subject, url, today)
    nmc = rules_of(organisation, schemes.Scheme.NMC_REVALIDATION)
    due = Revalidation.objects.filter(
        organisation=organisation,
        due_on__gte=today,
        due_on__lte=today + datetime.timedelta(days=nmc["due_soon_days"]),
        person__staff_category=StaffCategory.NURSE,
    ).select_related("person__user")
    for revalidation in due:
        if revalidation_position(revalidation, today).evidence_complete:
            continue
        person = revalidation.person
        person.organisation = organisation
        subject = (
            f"Your NMC revalidation is due on {long_date(revalidation.due_on)}: some of its "
            "evidence is still to add"
        )
        url = reverse("revalidation", args=[person.pk])
        key = revalidation.due_on.isoformat()
        sent["revalidation"] += _remind(person, ReminderKind.REVALIDATION, key, subject, url, today)
    return sent


@across_organisations("the daily round: development reminders, in every organisation")
def development_reminders_send(*, today: datetime.date | None = None) -> dict[str, int]:
    """Send the day's development reminders in every organisation, one organisation at a time.
    Safe to run more than once a day: each reminder is sent once."""
    today = today or timezone.localdate()
    sent = {"cpd": 0, "revalidation": 0}
    for organisation in Organisation.objects.order_by("pk"):
        with organisation_scope(organisation):
            for key, count in _organisation_reminders(organisation, today).items():
                sent[key] += count
    return sent
