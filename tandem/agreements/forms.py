"""The agreement form, built from the template version's fields, and the template forms.

One form serves the page and the API: the page posts it; the API turns a JSON ``responses``
object into the same form data (``AgreementForm.for_responses``), so both check answers alike.
"""

from __future__ import annotations

import datetime
from typing import Any

from django import forms

from . import content as template_content
from .models import FREQUENCY_CHOICES, ConfidentialityException, Recorder

YES_NO = [("yes", "Yes"), ("no", "No")]
DATE_FORMATS = ["%Y-%m-%d", "%d/%m/%Y", "%d %m %Y"]
DEFAULT_LIST_ROWS = 12


class SubField:
    """One input of a field that has several (a duration's shortest and longest)."""

    def __init__(self, form: AgreementForm, name: str, label: str) -> None:
        self.bound = form[name]
        self.label = label


class AgreementField:
    """What the template shows for one field: its definition and its form inputs."""

    def __init__(self, form: AgreementForm, definition: dict[str, Any]) -> None:
        self.definition = definition
        self.key = definition["key"]
        self.type = definition["type"]
        self.label = definition.get("label", self.key)
        self.hint = definition.get("hint", "")
        self.required = bool(definition.get("required"))
        self.names = form.names_of(definition)
        self.inputs = [form[name] for name in self.names]
        self.errors = [error for name in self.names for error in form[name].errors]
        self.derived = self.type in template_content.DERIVED_TYPES
        self.rows = form.list_rows(definition) if self.type == "list" else []


class AgreementForm(forms.Form):
    """Every field of a template version, named after its key (``duration__min`` and so on)."""

    unknown_keys: list[str]

    def __init__(
        self,
        *args: Any,
        content: dict[str, Any],
        responses: dict[str, Any] | None = None,
        **kwargs: Any,
    ) -> None:
        super().__init__(*args, **kwargs)
        self.content = content
        self.unknown_keys = []
        for _section, field in template_content.iter_fields(content):
            for name, form_field in self._fields_for(field).items():
                self.fields[name] = form_field
        if responses is not None and not self.is_bound:
            self.initial = self.data_for(responses)

    # Building

    def names_of(self, field: dict[str, Any]) -> list[str]:
        return list(self._fields_for(field))

    def list_rows(self, field: dict[str, Any]) -> list[list[Any]]:
        columns = field.get("columns") or ["Item"]
        return [
            [self[f"{field['key']}__{row}__{column}"] for column in range(len(columns))]
            for row in range(int(field.get("rows", DEFAULT_LIST_ROWS)))
        ]

    def _fields_for(self, field: dict[str, Any]) -> dict[str, forms.Field]:
        key, kind = field["key"], field["type"]
        required = bool(field.get("required"))
        label = field.get("label", key)
        if kind in template_content.DERIVED_TYPES:
            return {}
        if kind == "duration":
            low = int(field.get("min", template_content.DURATION_LIMITS[0]))
            high = int(field.get("max", template_content.DURATION_LIMITS[1]))
            return {
                f"{key}__min": forms.IntegerField(
                    label="Shortest, in minutes", required=required, min_value=low, max_value=high
                ),
                f"{key}__max": forms.IntegerField(
                    label="Longest, in minutes", required=False, min_value=low, max_value=high
                ),
            }
        if kind == "cancellation":
            return {
                f"{key}__days": forms.IntegerField(
                    label="Re-book a cancelled session within this many working days",
                    required=required,
                    min_value=0,
                    max_value=60,
                ),
                f"{key}__terms": forms.CharField(
                    label="What you agree about cancelling", required=False, widget=forms.Textarea
                ),
            }
        if kind == "recording":
            return {
                f"{key}__recorder": forms.ChoiceField(
                    label="Who records each session",
                    required=required,
                    choices=[("", "Choose who records"), *Recorder.choices],
                ),
                f"{key}__method": forms.CharField(
                    label="How sessions are recorded", required=False, widget=forms.Textarea
                ),
            }
        if kind == "list":
            columns = field.get("columns") or ["Item"]
            return {
                f"{key}__{row}__{index}": forms.CharField(
                    label=f"{column}, row {row + 1}", required=False, max_length=200
                )
                for row in range(int(field.get("rows", DEFAULT_LIST_ROWS)))
                for index, column in enumerate(columns)
            }
        return {key: self._simple_field(field, kind, label, required)}

    @staticmethod
    def _simple_field(field: dict[str, Any], kind: str, label: str, required: bool) -> forms.Field:
        if kind == "long_text":
            return forms.CharField(label=label, required=required, widget=forms.Textarea)
        if kind in ("choice", "frequency"):
            choices = FREQUENCY_CHOICES if kind == "frequency" else field.get("choices", [])
            return forms.ChoiceField(
                label=label, required=required, choices=[("", "Choose one"), *choices]
            )
        if kind in ("multi_choice", "exceptions"):
            choices = ConfidentialityException.choices if kind == "exceptions" else field["choices"]
            return forms.MultipleChoiceField(
                label=label,
                required=required,
                choices=choices,
                widget=forms.CheckboxSelectMultiple,
            )
        if kind == "yes_no":
            return forms.ChoiceField(
                label=label, required=required, choices=YES_NO, widget=forms.RadioSelect
            )
        if kind == "number":
            return forms.IntegerField(label=label, required=required, min_value=0)
        if kind == "date":
            return forms.DateField(label=label, required=required, input_formats=DATE_FORMATS)
        return forms.CharField(label=label, required=required, max_length=1000)

    # Checking

    def clean(self) -> dict[str, Any]:
        cleaned = super().clean() or {}
        for _section, field in template_content.iter_fields(self.content):
            if field["type"] != "duration":
                continue
            low, high = cleaned.get(f"{field['key']}__min"), cleaned.get(f"{field['key']}__max")
            if low is not None and high is not None and high < low:
                self.add_error(f"{field['key']}__max", "The longest must be at least the shortest.")
        return cleaned

    # Converting

    def responses(self) -> dict[str, Any]:
        """The cleaned answers as stored: one entry per field key, nothing for empty answers."""
        data = self.cleaned_data
        answers: dict[str, Any] = {}
        for _section, field in template_content.iter_fields(self.content):
            key, kind = field["key"], field["type"]
            value: Any
            if kind in template_content.DERIVED_TYPES:
                continue
            if kind == "duration":
                value = {"min": data.get(f"{key}__min"), "max": data.get(f"{key}__max")}
                value = value if value["min"] is not None else None
            elif kind == "cancellation":
                days, terms = data.get(f"{key}__days"), data.get(f"{key}__terms") or ""
                value = (
                    {"rebook_within_working_days": days, "terms": terms}
                    if days is not None or terms
                    else None
                )
            elif kind == "recording":
                recorder, method = (
                    data.get(f"{key}__recorder") or "",
                    data.get(f"{key}__method") or "",
                )
                value = {"recorder": recorder, "method": method} if recorder or method else None
            elif kind == "list":
                value = [
                    [data.get(name.name, "") for name in row]
                    for row in self.list_rows(field)
                    if any(data.get(name.name, "") for name in row)
                ]
            elif kind == "yes_no":
                value = {"yes": True, "no": False}.get(data.get(key) or "")
            elif kind == "date":
                value = data[key].isoformat() if data.get(key) else None
            else:
                value = data.get(key)
            if value not in (None, "", []):
                answers[key] = value
        return answers

    def data_for(self, responses: dict[str, Any]) -> dict[str, Any]:
        """Stored answers as form data, to show them or to check them (the API)."""
        data: dict[str, Any] = {}
        for _section, field in template_content.iter_fields(self.content):
            key, kind = field["key"], field["type"]
            value = responses.get(key)
            if value is None:
                continue
            if kind == "duration" and isinstance(value, dict):
                data[f"{key}__min"], data[f"{key}__max"] = value.get("min"), value.get("max")
            elif kind == "cancellation" and isinstance(value, dict):
                data[f"{key}__days"] = value.get("rebook_within_working_days")
                data[f"{key}__terms"] = value.get("terms", "")
            elif kind == "recording" and isinstance(value, dict):
                data[f"{key}__recorder"] = value.get("recorder", "")
                data[f"{key}__method"] = value.get("method", "")
            elif kind == "list" and isinstance(value, list):
                for row, cells in enumerate(value):
                    for index, cell in enumerate(cells if isinstance(cells, list) else [cells]):
                        data[f"{key}__{row}__{index}"] = cell
            elif kind == "yes_no":
                data[key] = {True: "yes", False: "no"}.get(value, value)
            else:
                data[key] = value
        return data

    @classmethod
    def for_responses(cls, content: dict[str, Any], responses: dict[str, Any]) -> AgreementForm:
        """A bound form for a JSON ``responses`` object, as the API receives it."""
        form = cls(content=content)
        unknown = set(responses) - {
            field["key"] for _s, field in template_content.iter_fields(content)
        }
        bound = cls(content=content, data=_as_post_data(form.data_for(responses)))
        # Keys the template does not have: reported by errors_by_key.
        bound.unknown_keys = sorted(unknown)
        return bound

    def errors_by_key(self) -> dict[str, list[str]]:
        """Errors keyed by template field key (``duration``, not ``duration__min``)."""
        found: dict[str, list[str]] = {}
        for name, errors in self.errors.items():
            key = name.split("__")[0] if name != "__all__" else "__all__"
            found.setdefault(key, []).extend(str(error) for error in errors)
        for key in self.unknown_keys:
            found.setdefault(key, []).append("This template has no such field.")
        return found


def _as_post_data(data: dict[str, Any]) -> Any:
    from django.http import QueryDict

    post = QueryDict(mutable=True)
    for name, value in data.items():
        if isinstance(value, list):
            post.setlist(name, [str(item) for item in value])
        elif isinstance(value, bool):
            post[name] = "yes" if value else "no"
        elif isinstance(value, datetime.date):
            post[name] = value.isoformat()
        elif value is not None:
            post[name] = str(value)
    return post


class StartAgreementForm(forms.Form):
    template_version = forms.ChoiceField(
        label="Template", error_messages={"required": "Choose which agreement you will use."}
    )

    def __init__(self, *args: Any, versions: list[Any], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.versions = {str(version.pk): version for version in versions}
        field = self.fields["template_version"]
        assert isinstance(field, forms.ChoiceField)
        field.choices = [(str(version.pk), version.template.name) for version in versions]
        field.widget = forms.RadioSelect(choices=field.choices)

    def clean_template_version(self) -> Any:
        return self.versions[self.cleaned_data["template_version"]]


class SignForm(forms.Form):
    content_hash = forms.CharField(widget=forms.HiddenInput)
    confirm = forms.BooleanField(
        label="I have read this version and agree to it",
        error_messages={"required": "Confirm that you have read this version and agree to it."},
    )


class TemplateCopyForm(forms.Form):
    name = forms.CharField(label="Name of your copy", max_length=200)


class TemplateSectionForm(forms.Form):
    """One section of an organisation's template: its heading, guidance and standard terms."""

    heading = forms.CharField(label="Heading", max_length=300)
    guidance = forms.CharField(label="Guidance", required=False, widget=forms.Textarea)
