"""The session forms. A date is typed as one text, day/month/year ("27/03/2027"), and a time on
the 24-hour clock ("14:30"): what people type on paper, in two boxes.

The forms only read what was typed; whether a time is free, in the future or long enough is
for the services, whose errors come back keyed by the same names (``starts_at`` on the date).
"""

from __future__ import annotations

import datetime
import re
from typing import Any

from django import forms
from django.core.exceptions import ValidationError
from django.utils import timezone

from tandem.core import forms as core_forms
from tandem.core.calendar import WorkingCalendar
from tandem.core.dates import long_date
from tandem.organisations.forms import GovukCheckboxes
from tandem.organisations.models import Person

from .models import CancelReason, Priority, SessionKind, SupervisionFunction

DATE_FORMATS = ["%d/%m/%Y", "%d %m %Y", "%d-%m-%Y", "%d.%m.%Y", "%Y-%m-%d"]
TIME_FORMATS = ["%H:%M", "%H.%M"]
SHORT_YEAR = re.compile(r"^\d{1,2}[/ .-]\d{1,2}[/ .-]\d{2}$")
YEAR_IN_FULL = "Enter the year in full, for example 27/03/2027."
DATE_HINT = "For example, 27/03/2027"
TIME_HINT = "On the 24-hour clock, for example 14:30"
# Where a service's error about a field goes on the form.
SERVICE_FIELDS = {"starts_at": "date", "started_at": "date"}


class GovukRadios(forms.RadioSelect):
    """Radios whose "label" id is the first radio's, so the error summary can link to it."""

    def id_for_label(self, id_: str, index: str | None = None) -> str:
        return super().id_for_label(id_, "0" if index is None else index)


class SessionDateField(forms.DateField):
    def __init__(self, **kwargs: Any) -> None:
        kwargs.setdefault("label", "Date")
        kwargs.setdefault("help_text", DATE_HINT)
        super().__init__(
            input_formats=DATE_FORMATS,
            error_messages={
                "required": "Enter the date, for example 27/03/2027.",
                "invalid": "Enter a real date as day/month/year, for example 27/03/2027.",
            },
            **kwargs,
        )

    def to_python(self, value: Any) -> datetime.date | None:
        value = value.strip() if isinstance(value, str) else value
        try:
            day = super().to_python(value)
        except ValidationError:
            if isinstance(value, str) and SHORT_YEAR.match(value):
                raise ValidationError(YEAR_IN_FULL, code="invalid") from None
            raise
        if day is not None and not 2000 <= day.year <= 2100:
            raise ValidationError(YEAR_IN_FULL, code="invalid")
        return day


class SessionTimeField(forms.TimeField):
    def __init__(self, **kwargs: Any) -> None:
        kwargs.setdefault("label", "Start time")
        kwargs.setdefault("help_text", TIME_HINT)
        super().__init__(
            input_formats=TIME_FORMATS,
            error_messages={
                "required": "Enter the start time, for example 14:30.",
                "invalid": "Enter a time on the 24-hour clock, for example 14:30.",
            },
            **kwargs,
        )

    def to_python(self, value: Any) -> datetime.time | None:
        return super().to_python(value.strip() if isinstance(value, str) else value)


def minutes_field(label: str, help_text: str = "For example, 90") -> forms.IntegerField:
    return forms.IntegerField(
        label=label,
        help_text=help_text,
        # A text box, as GOV.UK asks for numbers: browsers' number boxes lose what is typed.
        widget=forms.TextInput(attrs={"inputmode": "numeric"}),
        error_messages={
            "required": "Enter how many minutes, for example 90.",
            "invalid": "Enter the minutes as a whole number, for example 90.",
        },
    )


def local_datetime(day: datetime.date, time: datetime.time) -> datetime.datetime:
    return timezone.make_aware(datetime.datetime.combine(day, time))


def date_text(moment: datetime.datetime) -> str:
    return f"{timezone.localtime(moment):%d/%m/%Y}"


def time_text(moment: datetime.datetime) -> str:
    return f"{timezone.localtime(moment):%H:%M}"


def when_initial(moment: datetime.datetime) -> dict[str, str]:
    return {"date": date_text(moment), "time": time_text(moment)}


def apply_service_errors(form: forms.Form, error: ValidationError) -> None:
    """A service's refusal onto the form, with the services' names for the form's fields."""
    core_forms.apply_service_errors(form, error, renames=SERVICE_FIELDS)


class WhenForm(forms.Form):
    """When, how long and where: booking, moving and re-booking a session."""

    date = SessionDateField()
    time = SessionTimeField()
    duration_minutes = minutes_field("Length, in minutes")
    location = forms.CharField(
        label="Where",
        required=False,
        max_length=300,
        help_text="A room, an address or how you will meet online",
        error_messages={"max_length": "Enter a place of 300 characters or fewer."},
    )

    # Ticked to keep a session on a day that is not a working day: its value is that day, so
    # a tick given for one day does not carry over to another typed after it.
    keep_day = forms.CharField(required=False, widget=forms.HiddenInput)

    def __init__(self, *args: Any, calendar: WorkingCalendar | None = None, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.calendar = calendar
        # The day typed when it is not a working day, for the template's box to keep it.
        self.day_off: datetime.date | None = None
        self.day_kept = False

    def clean(self) -> dict[str, Any]:
        cleaned = super().clean() or {}
        day = cleaned.get("date")
        # A day gone is refused by the services, with a better reason than its being a Sunday.
        ahead = day is not None and day >= timezone.localdate()
        reason = self.calendar.day_off(day) if day and ahead and self.calendar else None
        if day and reason:
            self.day_off = day
            self.day_kept = cleaned.get("keep_day") == day.isoformat()
        if day and reason and not self.day_kept:
            self.add_error(
                "date",
                f"{day:%A} {long_date(day)} is {reason}. Choose another day, or tick the box "
                "to keep this one.",
            )
        return cleaned

    def starts_at(self) -> datetime.datetime:
        return local_datetime(self.cleaned_data["date"], self.cleaned_data["time"])


class BookForm(WhenForm):
    kind = forms.ChoiceField(
        label="Kind of session",
        choices=SessionKind.choices,
        widget=GovukRadios,
        initial=SessionKind.ONE_TO_ONE,
        error_messages={
            "required": "Choose the kind of session.",
            "invalid_choice": "Choose one to one, ad hoc or group supervision.",
        },
    )
    supervisee = forms.ChoiceField(
        label="With",
        required=False,
        help_text="One to one and ad hoc sessions: someone you supervise",
        error_messages={"invalid_choice": "Choose someone you supervise."},
    )
    title = forms.CharField(
        label="Name of the group",
        required=False,
        max_length=200,
        help_text="Group sessions: for example, Reflective practice group",
        error_messages={"max_length": "Enter a name of 200 characters or fewer."},
    )
    members = forms.MultipleChoiceField(
        label="Who is in the group",
        required=False,
        widget=GovukCheckboxes,
        help_text="Group sessions: at least 2 people",
        error_messages={"invalid_choice": "Choose people from the list."},
    )

    field_order = ["kind", "supervisee", "title", "members", "date", "time"]

    def __init__(
        self, *args: Any, supervisees: list[Person], group_people: list[Person], **kwargs: Any
    ) -> None:
        super().__init__(*args, **kwargs)
        self.people = {str(p.pk): p for p in [*supervisees, *group_people]}
        supervisee = self.fields["supervisee"]
        assert isinstance(supervisee, forms.ChoiceField)
        supervisee.choices = [("", "Choose a person"), *[(p.pk, p.full_name) for p in supervisees]]
        members = self.fields["members"]
        assert isinstance(members, forms.MultipleChoiceField)
        members.choices = [(p.pk, p.full_name) for p in group_people]
        if len(group_people) < 2:  # No one to make a group of: one to one and ad hoc only.
            kind = self.fields["kind"]
            assert isinstance(kind, forms.ChoiceField)
            kind.choices = [c for c in SessionKind.choices if c[0] != SessionKind.GROUP]
        self.offers_groups = len(group_people) >= 2

    def clean(self) -> dict[str, Any]:
        cleaned = super().clean()
        kind = cleaned.get("kind")
        if kind == SessionKind.GROUP:
            if cleaned.get("supervisee"):
                self.add_error("supervisee", "A group session has members: leave this empty.")
            if not (cleaned.get("title") or "").strip():
                self.add_error("title", "Enter a name for the group, like Reflective practice.")
            if len(cleaned.get("members") or []) < 2:
                self.add_error("members", "Choose at least 2 people for a group session.")
        elif kind:
            if not cleaned.get("supervisee") and "supervisee" not in self.errors:
                self.add_error("supervisee", "Choose whom the session is with.")
            if cleaned.get("members"):
                self.add_error("members", "Only group sessions have members: untick them.")
        return cleaned

    def chosen_supervisee(self) -> Person | None:
        value = self.cleaned_data.get("supervisee")
        return self.people[value] if value else None

    def chosen_members(self) -> list[Person]:
        return [self.people[value] for value in self.cleaned_data.get("members") or []]


class CancelForm(forms.Form):
    reason = forms.ChoiceField(
        label="Why is the session cancelled?",
        choices=CancelReason.choices,
        widget=GovukRadios,
        error_messages={
            "required": "Choose why the session is cancelled.",
            "invalid_choice": "Choose one of the reasons.",
        },
    )
    note = forms.CharField(
        label="Anything to add",
        required=False,
        widget=forms.Textarea,
        max_length=2000,
        help_text="Needed when the reason is Other",
        error_messages={"max_length": "Enter 2000 characters or fewer."},
    )

    def clean(self) -> dict[str, Any]:
        cleaned = super().clean() or {}
        if cleaned.get("reason") == CancelReason.OTHER and not cleaned.get("note", "").strip():
            self.add_error("note", "Say why the session is cancelled.")
        return cleaned


class HeldForm(forms.Form):
    date = SessionDateField(label="Date it took place", help_text=DATE_HINT)
    time = SessionTimeField(label="Time it really started", help_text=TIME_HINT)
    minutes = minutes_field("How many minutes it lasted")

    def started_at(self) -> datetime.datetime:
        return local_datetime(self.cleaned_data["date"], self.cleaned_data["time"])


class AgendaItemForm(forms.Form):
    title = forms.CharField(
        label="Item",
        max_length=200,
        error_messages={
            "required": "Enter what the item is about.",
            "max_length": "Enter an item of 200 characters or fewer.",
        },
    )
    detail = forms.CharField(label="Detail", required=False, widget=forms.Textarea)
    priority = forms.ChoiceField(
        label="Priority",
        choices=Priority.choices,
        initial=Priority.MEDIUM,
        error_messages={
            "required": "Choose the priority.",
            "invalid_choice": "Choose high, medium or low priority.",
        },
    )
    minutes = minutes_field("Minutes it needs", help_text="For example, 10")
    function = forms.ChoiceField(
        label="Function of supervision",
        choices=[("", "Choose one"), *SupervisionFunction.choices],
        help_text="Management, development, support or mediation",
        error_messages={
            "required": "Choose which function of supervision the item serves.",
            "invalid_choice": "Choose management, development, support or mediation.",
        },
    )

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        kwargs.setdefault("initial", {"minutes": 10, "priority": Priority.MEDIUM})
        super().__init__(*args, **kwargs)
