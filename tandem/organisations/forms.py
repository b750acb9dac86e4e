from __future__ import annotations

from typing import Any

from django import forms
from django.utils import timezone

from .models import Person, Role, StaffCategory, SupervisionKind, Team


class PeopleSearchForm(forms.Form):
    q = forms.CharField(label="Search by name, email, staff number or job title", required=False)
    category = forms.ChoiceField(
        label="Staff category",
        required=False,
        choices=[("", "All categories"), *StaffCategory.choices],
    )
    signed_in = forms.ChoiceField(
        label="Signed in",
        required=False,
        choices=[("", "Everyone"), ("never", "Never signed in")],
    )


class TeamSearchForm(forms.Form):
    q = forms.CharField(label="Search by team or manager name", required=False)


class ChangeSupervisorForm(forms.Form):
    """Move a supervisee to a new supervisor. Past relationships are kept, never edited."""

    supervisor = forms.ModelChoiceField(
        queryset=Person.objects.none(), label="New supervisor", empty_label="Choose a person"
    )
    kind = forms.ChoiceField(
        label="Kind of supervision", choices=SupervisionKind.choices, initial="line"
    )
    starts_on = forms.DateField(
        label="From",
        help_text="For example, 27 3 2027. Enter it as day month year or 2027-03-27.",
        input_formats=["%Y-%m-%d", "%d/%m/%Y", "%d %m %Y"],
    )

    def __init__(self, *args: Any, supervisee: Person, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.supervisee = supervisee
        supervisor_field = self.fields["supervisor"]
        assert isinstance(supervisor_field, forms.ModelChoiceField)
        supervisor_field.queryset = (
            Person.objects.for_organisation(supervisee.organisation_id)
            .current()
            .exclude(pk=supervisee.pk)
            .order_by("last_name", "first_name")
        )
        self.fields["starts_on"].initial = timezone.localdate()


# What each explicit role lets a person do: the hint under its checkbox.
ROLE_HINTS: dict[str, str] = {
    Role.ADMIN: "Manages people, teams, staff imports and everyone's roles.",
    Role.HR: "Imports the staff list and sees everyone in the organisation.",
    Role.SENIOR_LEADER: "Sees everyone in the organisation.",
    Role.AUDITOR: (
        "Audits the quality of supervision and runs case-file audits, such as a principal "
        "social worker. Reads the records it audits, never their welfare sections."
    ),
}


class GovukCheckboxes(forms.CheckboxSelectMultiple):
    """Checkboxes whose "label" id is the first box's, so the error summary can link to it."""

    def id_for_label(self, id_: str, index: str | None = None) -> str:
        return super().id_for_label(id_, "0" if index is None else index)


class RolesForm(forms.Form):
    """The explicit roles of one person. Supervisor and supervisee follow from supervision."""

    roles = forms.MultipleChoiceField(
        widget=GovukCheckboxes,
        choices=Role.choices,
        required=False,
        label="Roles",
        help_text=(
            "An organisation admin manages people, teams, staff imports and roles. "
            "HR imports the staff list and sees everyone. A senior leader sees everyone."
        ),
    )

    def role_options(self) -> list[tuple[Any, str]]:
        """Each checkbox (a bound widget: id, value, label, checked) with its hint."""
        return [(box, ROLE_HINTS.get(box.data["value"], "")) for box in self["roles"]]


def team_choices(organisation_id: int) -> list[tuple[Any, str]]:
    return [
        (team.pk, team.name)
        for team in Team.objects.for_organisation(organisation_id).order_by("name")
    ]


class StaffImportForm(forms.Form):
    MAX_BYTES = 10 * 1024 * 1024

    file = forms.FileField(
        label="Upload the staff list",
        help_text="A CSV or Excel (.xlsx) file, up to 10 MB, with a header row.",
        widget=forms.ClearableFileInput(attrs={"accept": ".csv,.xlsx"}),
    )
    invite = forms.BooleanField(
        label="Email an invitation to each person added",
        required=False,
        initial=True,
        help_text="A link to set their password, which works once, for 7 days. You can send "
        "one later from each person's page.",
    )

    def clean_file(self) -> Any:
        upload = self.cleaned_data["file"]
        if not upload.name.lower().endswith((".csv", ".xlsx")):
            raise forms.ValidationError("The file must be a CSV or an Excel (.xlsx) file.")
        if upload.size > self.MAX_BYTES:
            raise forms.ValidationError("The file must be smaller than 10 MB.")
        return upload
