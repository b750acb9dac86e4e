"""The audit trail page: the organisation's admins search its events and export them as CSV."""

from __future__ import annotations

from typing import Any

from django import forms
from django.core.exceptions import PermissionDenied
from django.http.response import HttpResponseBase
from django.shortcuts import render
from django.views.decorators.http import require_GET

from tandem.core.downloads import csv_stream
from tandem.core.forms import date_field
from tandem.core.pagination import page_links, paginate

from . import audit_trail
from .access import PersonRequest, person_required

VIEW = "organisations.view_audit"


class AuditSearchForm(forms.Form):
    who = forms.CharField(
        label="Who", required=False, max_length=200, help_text="Part of a name or an email"
    )
    action = forms.ChoiceField(label="What they did", required=False)
    object_type = forms.ChoiceField(label="What it was about", required=False)
    about = forms.CharField(
        label="Words in the summary, or an object's number",
        required=False,
        max_length=200,
    )
    since = date_field("From", required=False)
    until = date_field("To", required=False)

    def __init__(
        self,
        *args: Any,
        actions: list[tuple[str, str]],
        types: list[tuple[str, str]],
        **kwargs: Any,
    ) -> None:
        super().__init__(*args, **kwargs)
        action = self.fields["action"]
        assert isinstance(action, forms.ChoiceField)
        action.choices = [("", "Anything"), *actions]
        object_type = self.fields["object_type"]
        assert isinstance(object_type, forms.ChoiceField)
        object_type.choices = [("", "Anything"), *types]
        for name in ("action", "object_type"):
            self.fields[name].error_messages["invalid_choice"] = "Choose from the list."

    def clean(self) -> dict[str, Any]:
        cleaned = super().clean() or {}
        since, until = cleaned.get("since"), cleaned.get("until")
        if since and until and until < since:
            self.add_error("until", "The end date must be the same as or after the start date.")
        return cleaned

    def search(self) -> audit_trail.Search:
        if not self.is_bound or not self.is_valid():
            return audit_trail.Search()
        data = self.cleaned_data
        return audit_trail.Search(
            who=data["who"].strip(),
            action=data["action"],
            object_type=data["object_type"],
            about=data["about"].strip(),
            since=data["since"],
            until=data["until"],
        )


@require_GET
@person_required
def audit_trail_page(request: PersonRequest) -> HttpResponseBase:
    organisation = request.person.organisation
    if not request.user.has_perm(VIEW, organisation):
        raise PermissionDenied
    form = AuditSearchForm(
        request.GET if request.GET.keys() - {"page", "format"} else None,
        actions=audit_trail.actions_used(organisation),
        types=audit_trail.object_types_used(organisation),
    )
    search = form.search()
    events = audit_trail.audit_search(organisation, search)
    if request.GET.get("format") == "csv" and not form.errors:
        audit_trail.audit_exported(organisation=organisation, by=request.person, search=search)
        return csv_stream("audit-trail", audit_trail.CSV_HEADINGS, audit_trail.csv_rows(events))
    page = paginate(request, events)
    rows = [
        {
            "event": event,
            "who": audit_trail.actor_name(event),
            "action": audit_trail.action_label(event.action),
            "type": audit_trail.object_type_label(event.object_type) if event.object_type else "",
            "detail": audit_trail.detail_text(event.detail),
        }
        for event in page.object_list
    ]
    query = request.GET.copy()
    query.pop("page", None)
    query["format"] = "csv"
    return render(
        request,
        "organisations/audit_trail.html",
        {
            "form": form,
            "page": page,
            "rows": rows,
            "links": page_links(request, page),
            "csv_query": query.urlencode(),
        },
        status=400 if form.errors else 200,
    )
