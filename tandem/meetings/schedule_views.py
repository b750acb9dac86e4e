"""The agreement's "Dates of supervision meetings (next 12 months)": the schedule of its sessions,
shown on the agreement's page, and the form that proposes it."""

from __future__ import annotations

import datetime
from typing import Any

from django import forms
from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404, HttpResponse
from django.shortcuts import redirect
from django.utils import timezone
from django.views.decorators.http import require_POST

from tandem.agreements.models import Agreement, AgreementStatus
from tandem.agreements.selectors import agreement_with_versions
from tandem.organisations.access import PersonRequest, person_required

from .models import Session, SessionStatus
from .services import schedule

WEEKDAYS = [
    (0, "Monday"),
    (1, "Tuesday"),
    (2, "Wednesday"),
    (3, "Thursday"),
    (4, "Friday"),
]


class ScheduleForm(forms.Form):
    weekday = forms.TypedChoiceField(label="Usual day", choices=WEEKDAYS, coerce=int)
    at = forms.TimeField(
        label="Usual time", input_formats=["%H:%M", "%H.%M"], help_text="For example, 14:30."
    )


def agreement_panel(request: PersonRequest, agreement: Agreement) -> dict[str, Any] | None:
    """The agreement's sessions from today for a year, and the schedule form for the parties.
    Two queries."""
    today = timezone.localdate()
    start = timezone.make_aware(datetime.datetime.combine(today, datetime.time.min))
    sessions = list(
        Session.objects.for_organisation(agreement.organisation_id)
        .filter(
            supervisee_id=agreement.supervisee_id,
            starts_at__gte=start,
            starts_at__lt=start + datetime.timedelta(days=366),
        )
        .exclude(status=SessionStatus.CANCELLED)
        .select_related("supervisor")
        .order_by("starts_at")
    )
    can_schedule = agreement.status == AgreementStatus.ACTIVE and request.user.has_perm(
        "agreements.change_agreement", agreement
    )
    return {
        "template": "meetings/_agreement_schedule.html",
        "sessions": sessions,
        "can_schedule": can_schedule,
        "form": ScheduleForm(initial={"weekday": 1, "at": "10:00"}),
        "agreement": agreement,
    }


@require_POST
@person_required
def agreement_schedule(request: PersonRequest, pk: int) -> HttpResponse:
    person = request.person
    agreement = agreement_with_versions(organisation_id=person.organisation_id, pk=pk)
    if agreement is None:
        raise Http404
    if not request.user.has_perm("agreements.change_agreement", agreement):
        raise PermissionDenied
    form = ScheduleForm(request.POST)
    if not form.is_valid():
        messages.error(request, "Choose a usual day, and a time such as 14:30.")
        return redirect("agreement", pk=agreement.pk)
    try:
        made = schedule.schedule_create(
            agreement=agreement,
            start=timezone.localdate() + datetime.timedelta(days=1),
            weekday=form.cleaned_data["weekday"],
            at=form.cleaned_data["at"],
            by=person,
        )
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
    else:
        messages.success(
            request,
            f"{len(made)} sessions proposed for the next 12 months. Move any of them from its "
            "own page.",
        )
    return redirect("agreement", pk=agreement.pk)
