"""The supervisee's feedback form on a held session, and the supervision balance page: the share
of agenda time by supervision function and the supervisees' feedback, per unit, for those who
oversee them.

Thin: find the session (only its supervisee finds it: anyone else, supervisor and managers
included, gets 404, so the page never says whether there are answers), or read the choice of
scope and period; call the service or build the tables; render.
"""

from __future__ import annotations

import dataclasses
from dataclasses import dataclass
from typing import Any

from django import forms
from django.contrib import messages
from django.core.exceptions import ValidationError
from django.db.models import Q
from django.http import Http404, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone

from tandem.core.forms import apply_service_errors
from tandem.meetings.models import Session, SupervisionFunction
from tandem.organisations.access import PersonRequest, person_required
from tandem.organisations.models import StaffCategory, Team, TeamKind
from tandem.organisations.selectors import TEAM_DEPTH

from . import tables
from .filters import Choice, read_choice
from .models import Answer
from .selectors import FEEDBACK_QUESTIONS, Oversight, oversight_of, smallest_group
from .services.feedback import QUESTION_ERRORS, feedback_of, feedback_refusal, feedback_submit

# Highest first, as people answer: Yes, Mostly, Not really, No.
ANSWER_CHOICES = [(str(value), label) for value, label in reversed(Answer.choices)]
QUESTIONS = {
    "useful": "Was the session useful?",
    "time_to_reflect": "Was there time to reflect?",
    "felt_supported": "Did you feel supported?",
}


class FeedbackForm(forms.Form):
    useful = forms.ChoiceField(
        label=QUESTIONS["useful"],
        choices=ANSWER_CHOICES,
        widget=forms.RadioSelect,
        error_messages={"required": QUESTION_ERRORS["useful"]},
    )
    time_to_reflect = forms.ChoiceField(
        label=QUESTIONS["time_to_reflect"],
        choices=ANSWER_CHOICES,
        widget=forms.RadioSelect,
        error_messages={"required": QUESTION_ERRORS["time_to_reflect"]},
    )
    felt_supported = forms.ChoiceField(
        label=QUESTIONS["felt_supported"],
        choices=ANSWER_CHOICES,
        widget=forms.RadioSelect,
        error_messages={"required": QUESTION_ERRORS["felt_supported"]},
    )

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        for name, field in self.fields.items():
            field.error_messages["invalid_choice"] = QUESTION_ERRORS[name]


@person_required
def session_feedback(request: PersonRequest, pk: int) -> HttpResponse:
    """How the session went, in three questions, for its supervisee alone."""
    person = request.person
    session = (
        Session.objects.for_organisation(person.organisation_id)
        .select_related("supervisor")
        .filter(pk=pk, supervisee=person)
        .first()
    )
    if session is None:
        raise Http404
    refusal = feedback_refusal(session, person)
    existing = None if refusal else feedback_of(session, person)
    initial = {q: str(getattr(existing, q)) for q in FEEDBACK_QUESTIONS} if existing else {}
    form = FeedbackForm(request.POST if request.method == "POST" else None, initial=initial)
    if request.method == "POST" and not refusal and form.is_valid():
        try:
            feedback_submit(session=session, person=person, **form.cleaned_data)
        except ValidationError as error:
            apply_service_errors(form, error)
        else:
            messages.success(
                request,
                "Your answers have been changed." if existing else "Thank you for your feedback.",
            )
            return redirect("session", pk=session.pk)
    return render(
        request,
        "oversight/feedback_form.html",
        {"session": session, "form": form, "refusal": refusal, "existing": existing},
    )


# The balance page


# Each function's colour (3:1 or more against white) and pattern are in the template: the
# legend shows both beside the function's name, so no one needs to tell the colours apart.
CHART_WIDTH = 600
BAR_TOP = 24
BAR_HEIGHT = 28
ROW_HEIGHT = 88
# Below the bar, a segment this wide or wider is labelled with its share, and this wide or wider
# with its function's name too; the legend and the table say the rest.
SHARE_FROM = 8
NAME_FROM = 22


def _share(cell: Any) -> int | None:
    """A table's percentage cell ("75%") as a number; None for an empty cell."""
    text = str(cell).strip().rstrip("%")
    return int(text) if text.isdigit() else None


@dataclass(frozen=True)
class Segment:
    key: str
    label: str
    share: int
    x: float
    width: float

    @property
    def middle(self) -> float:
        return self.x + self.width / 2

    @property
    def caption(self) -> str:
        if self.share >= NAME_FROM:
            return f"{self.label} {self.share}%"
        if self.share >= SHARE_FROM:
            return f"{self.share}%"
        return ""


def balance_chart(table: tables.Table) -> dict[str, Any]:
    """One stacked bar per row of the balance table (the whole scope, then each unit), from the
    table's own figures so the chart and the table never disagree."""
    functions = list(SupervisionFunction)
    rows = []
    for index, row in enumerate(table.rows):
        segments = []
        x = 0.0
        for offset, function in enumerate(functions, start=1):
            share = _share(row[offset]) or 0
            if not share:
                continue
            width = CHART_WIDTH * share / 100
            key = str(function)
            segments.append(Segment(key, str(function.label), share, x, width))
            x += width
        rows.append(
            {
                "name": str(row[0]),
                "minutes": row[-1],
                "segments": segments,
                "filled": x,
                "y": index * ROW_HEIGHT,
            }
        )
    return {
        "rows": rows,
        "width": CHART_WIDTH,
        "height": max(1, len(rows)) * ROW_HEIGHT,
        "bar_top": BAR_TOP,
        "bar_height": BAR_HEIGHT,
        "caption_y": BAR_TOP + BAR_HEIGHT + 18,
        "legend": [{"key": str(f), "label": str(f.label)} for f in functions],
    }


FEEDBACK_LABEL_WIDTH = 150
FEEDBACK_BAR_AREA = CHART_WIDTH - FEEDBACK_LABEL_WIDTH - 50
FEEDBACK_BAR = 18
FEEDBACK_LINE = 26


def feedback_chart(table: tables.Table) -> dict[str, Any]:
    """For each row of the feedback table, a bar per question (the share answering Yes or
    Mostly) on a scale of 0 to 100%, or a note that the group is too small to show."""
    rows = []
    y = 0
    for row in table.rows:
        shares = [_share(cell) for cell in row[2:5]]
        shown = all(share is not None for share in shares)
        bars = []
        if shown:
            for offset, (heading, share) in enumerate(
                zip(tables.FEEDBACK_HEADINGS, shares, strict=True)
            ):
                width = FEEDBACK_BAR_AREA * (share or 0) / 100
                top = y + 26 + offset * FEEDBACK_LINE
                bars.append(
                    {
                        "label": heading,
                        "share": share,
                        "width": width,
                        "y": top,
                        "text_y": top + 14,
                        "value_x": FEEDBACK_LABEL_WIDTH + width + 6,
                    }
                )
        rows.append({"name": str(row[0]), "shown": shown, "bars": bars, "y": y + 16})
        y += 26 + (3 * FEEDBACK_LINE + 14 if shown else 8)
    return {
        "rows": rows,
        "width": CHART_WIDTH,
        "height": max(y, 1),
        "label_width": FEEDBACK_LABEL_WIDTH,
        "bar_area": FEEDBACK_BAR_AREA,
        "bar_height": FEEDBACK_BAR,
    }


def filled(table: tables.Table, blank: str) -> tables.Table:
    """The table with its empty cells saying ``blank``: a screen reader says nothing at all for
    an empty cell, and a figure left out is not the same as none."""
    rows = [[blank if cell in ("", None) else cell for cell in row] for row in table.rows]
    return dataclasses.replace(table, rows=rows)


def unit_options(access: Oversight) -> list[tuple[str, str]]:
    """The units this person may choose, for the filter form: the whole organisation and every
    unit in it, or the units they lead and everything under them. One query."""
    units = Team.objects.for_organisation(access.organisation).order_by("name", "pk")
    options: list[tuple[str, str]] = []
    if access.whole_organisation:
        options.append(("", f"All of {access.organisation.name}"))
    else:
        led = [u.pk for u in access.units]
        condition = Q(pk__in=led)
        path = "parent"
        for _ in range(TEAM_DEPTH - 1):
            condition |= Q(**{f"{path}__in": led})
            path += "__parent"
        units = units.filter(condition)
    options += [(str(u.pk), f"{u.name} ({TeamKind(u.kind).label.lower()})") for u in units]
    return options


PERIOD_KINDS = [
    ("month", "A month"),
    ("quarter", "A quarter"),
    ("year", "A financial year (1 April to 31 March)"),
    ("custom", "Your own dates"),
]


def _form(request: PersonRequest, choice: Choice) -> dict[str, str]:
    """What the filter form shows: the choice made, or what was typed where it was wrong (own
    dates that were wrong are shown as typed, to be put right)."""
    asked = request.GET
    period = choice.period
    custom = period.kind == "custom"
    typed = "from" in choice.errors or "to" in choice.errors

    def value(name: str, default: str) -> str:
        wrong = name in choice.errors or (typed and name in ("from", "to"))
        return str(asked.get(name, "")) if wrong else default

    return {
        "period": "custom" if typed else period.kind,
        "date": value("date", "" if custom else period.starts_on.isoformat()),
        "from": value("from", period.starts_on.isoformat() if custom else ""),
        "to": value("to", period.ends_on.isoformat() if custom else ""),
        "unit": str(choice.unit.pk) if choice.unit is not None else "",
        "category": choice.scope.staff_category,
    }


@person_required
def balance(request: PersonRequest) -> HttpResponse:
    """The share of agenda time by supervision function, and the supervisees' feedback, for the
    whole scope and each unit one level below it; nothing of a group smaller than the
    organisation's smallest group shown (5 at least)."""
    person = request.person
    access = oversight_of(person)
    if access is None:
        raise Http404
    choice = read_choice(request.GET, access=access, person=person, today=timezone.localdate())
    balance_table = tables.balance_table(choice)
    feedback_table = tables.feedback_table(choice)
    category = choice.scope.staff_category
    return render(
        request,
        "oversight/balance.html",
        {
            "choice": choice,
            "period": choice.period,
            "query": choice.query(),
            "page_query": choice.query(unit=None),
            "scope_name": choice.unit.name if choice.unit else access.organisation.name,
            "balance_table": filled(balance_table, blank="None"),
            "balance_chart": balance_chart(balance_table),
            "feedback_table": filled(feedback_table, blank="Not shown"),
            "feedback_chart": feedback_chart(feedback_table),
            # The filter form and its errors, as the dashboards show them.
            "errors": list(choice.errors.items()),
            "error_keys": set(choice.errors),
            "form": _form(request, choice),
            "period_kinds": PERIOD_KINDS,
            "unit_options": unit_options(access),
            "categories": list(StaffCategory.choices),
            "category_label": str(StaffCategory(category).label) if category else "",
            "smallest_group": smallest_group(access.organisation),
        },
    )
