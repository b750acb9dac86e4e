"""API operations on supervision agreements and the templates they are made from.

Thin, like the pages: check, select, serve. Answers are checked by the same form the agreement
page uses (``forms.AgreementForm``), after a check that the JSON has the right shape for each
field's type, which a form reading text inputs cannot see.
"""

# No `from __future__ import annotations`: django-ninja reads these annotations at runtime.
import datetime
from typing import Any

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.http import Http404
from ninja import Field, Query, Router, Schema, Status
from ninja.pagination import paginate

from tandem.core.pagination import ApiPages
from tandem.organisations.access import PersonRequest, get_scoped_or_404
from tandem.organisations.api import ERRORS, PersonRef
from tandem.organisations.models import SupervisionKind, SupervisionRelationship

from . import content as template_content
from . import selectors, services
from .forms import DEFAULT_LIST_ROWS, AgreementForm
from .models import (
    AS_POLICY,
    Agreement,
    AgreementStatus,
    AgreementTemplateVersion,
    AgreementVersion,
    SignatureRole,
)

router = Router(tags=["agreements"])


class TemplateRef(Schema):
    id: int
    name: str
    version: int


class SignatureOut(Schema):
    role: SignatureRole
    person: PersonRef
    signed_at: datetime.datetime
    content_hash: str


class AgreementVersionOut(Schema):
    number: int
    content_hash: str = Field(description="Sign with this: the hash of exactly what is signed.")
    responses: dict[str, Any]
    frequency: str = Field(
        description="How often sessions happen: one of the frequencies, or as_policy (as the "
        "organisation's policy requires, changing with time in post); empty when not agreed."
    )
    duration_min_minutes: int | None
    duration_max_minutes: int | None
    location: str
    rebook_within_working_days: int | None
    recorder: str
    confidentiality_exceptions: list[str]
    signatures: list[SignatureOut]

    @staticmethod
    def resolve_frequency(version: Any) -> str:
        asked = (version.responses or {}).get("frequency")
        return AS_POLICY if asked == AS_POLICY else version.frequency


class AgreementSummaryOut(Schema):
    id: int
    status: AgreementStatus
    supervisee: PersonRef
    supervisor: PersonRef
    kind: SupervisionKind
    template: TemplateRef
    signed_on: datetime.date | None
    review_due_on: datetime.date | None
    review_reason: str

    @staticmethod
    def resolve_kind(obj: Agreement) -> str:
        return obj.relationship.kind

    @staticmethod
    def resolve_template(obj: Agreement) -> dict[str, Any]:
        version = obj.template_version
        return {"id": version.template_id, "name": version.template.name, "version": version.number}


class AgreementOut(AgreementSummaryOut):
    current_version: AgreementVersionOut

    @staticmethod
    def resolve_current_version(obj: Agreement) -> AgreementVersion:
        # The versions are prefetched (selectors.agreement_with_versions): no query here.
        return max(obj.versions.all(), key=lambda version: version.number)


class TemplateOut(Schema):
    id: int
    name: str
    description: str
    builtin: bool
    version: int
    version_id: int = Field(description="Start an agreement with this.")
    content: dict[str, Any]

    @staticmethod
    def resolve_id(obj: AgreementTemplateVersion) -> int:
        return obj.template_id

    @staticmethod
    def resolve_name(obj: AgreementTemplateVersion) -> str:
        return obj.template.name

    @staticmethod
    def resolve_description(obj: AgreementTemplateVersion) -> str:
        return obj.template.description

    @staticmethod
    def resolve_builtin(obj: AgreementTemplateVersion) -> bool:
        return obj.template.is_builtin

    @staticmethod
    def resolve_version(obj: AgreementTemplateVersion) -> int:
        return obj.number

    @staticmethod
    def resolve_version_id(obj: AgreementTemplateVersion) -> int:
        return obj.pk


class AgreementFilter(Schema):
    status: AgreementStatus | None = None
    supervisee_id: int | None = Field(None, ge=1, le=2**63 - 1)


class AgreementStartIn(Schema):
    relationship_id: int
    template_version_id: int
    responses: dict[str, Any] | None = Field(
        None, description="The answers to start from; by default, the organisation's policy."
    )


class ResponsesIn(Schema):
    responses: dict[str, Any] = Field(
        description="Every answer, keyed by the template field's key; answers left out are blank."
    )


class SignIn(Schema):
    content_hash: str = Field(
        max_length=200, description="The current version's hash, as read before signing."
    )


# Checking answers


def _is_int(value: Any) -> bool:
    return isinstance(value, int) and not isinstance(value, bool)


def _is_text(value: Any) -> bool:
    return isinstance(value, str)


def _is_text_list(value: Any) -> bool:
    return isinstance(value, list) and all(isinstance(item, str) for item in value)


def _is_iso_date(value: Any) -> bool:
    try:
        datetime.date.fromisoformat(value)
    except (TypeError, ValueError):
        return False
    return True


SIMPLE_SHAPES: dict[str, tuple[Any, str]] = {
    "text": (_is_text, "Enter text."),
    "long_text": (_is_text, "Enter text."),
    "location": (_is_text, "Enter text."),
    "choice": (_is_text, "Choose one of the choices, as text."),
    "frequency": (_is_text, "Choose one of the frequencies, as text."),
    "multi_choice": (_is_text_list, "Give a list of the choices, as text."),
    "exceptions": (_is_text_list, "Give a list of the exceptions, as text."),
    "yes_no": (lambda value: isinstance(value, bool), "Answer true or false."),
    "number": (_is_int, "Enter a whole number."),
    "date": (_is_iso_date, "Enter a date as YYYY-MM-DD."),
}

# The parts of each answer that is an object, and what each part must be.
OBJECT_SHAPES: dict[str, dict[str, tuple[Any, str]]] = {
    "duration": {
        "min": (_is_int, "Give the shortest as a whole number of minutes."),
        "max": (_is_int, "Give the longest as a whole number of minutes."),
    },
    "cancellation": {
        "rebook_within_working_days": (_is_int, "Give the working days as a whole number."),
        "terms": (_is_text, "Give the terms as text."),
    },
    "recording": {
        "recorder": (_is_text, "Give who records as text."),
        "method": (_is_text, "Give how sessions are recorded as text."),
    },
}


def _shape_problems(field: dict[str, Any], value: Any) -> list[str]:
    """What is wrong with the JSON type of one answer (``None`` is no answer)."""
    kind = field["type"]
    if value is None:
        return []
    if kind in template_content.DERIVED_TYPES:
        return ["Tandem fills this in from the agreement: leave it out."]
    if kind in SIMPLE_SHAPES:
        check, message = SIMPLE_SHAPES[kind]
        return [] if check(value) else [message]
    if kind in OBJECT_SHAPES:
        parts = OBJECT_SHAPES[kind]
        if not isinstance(value, dict):
            return [f"Give an object with {', '.join(parts)}."]
        problems = [f"Unknown part {name}." for name in value if name not in parts]
        problems += [
            message
            for name, (check, message) in parts.items()
            if value.get(name) is not None and not check(value[name])
        ]
        return problems
    if kind == "list":
        columns = len(field.get("columns") or ["Item"])
        rows = int(field.get("rows", DEFAULT_LIST_ROWS))
        if not isinstance(value, list) or not all(
            _is_text_list(row) and len(row) == columns for row in value
        ):
            return [f"Give a list of rows, each a list of {columns} pieces of text."]
        if len(value) > rows:
            return [f"Give at most {rows} rows."]
        return []
    return []


def _checked(
    content: dict[str, Any], responses: dict[str, Any]
) -> tuple[dict[str, list[str]], dict[str, Any]]:
    """The problems with these answers, by field key, and the answers as the page stores them."""
    fields = {field["key"]: field for _section, field in template_content.iter_fields(content)}
    problems: dict[str, list[str]] = {}
    for key, value in responses.items():
        found = (
            _shape_problems(fields[key], value)
            if key in fields
            else ["This template has no such field."]
        )
        if found:
            problems[key] = found
    form = AgreementForm.for_responses(
        content, {key: value for key, value in responses.items() if key not in problems}
    )
    if not form.is_valid():
        for key, messages in form.errors_by_key().items():
            if key not in problems:
                problems[key] = messages
    return problems, ({} if problems else form.responses())


def validate_responses(content: dict[str, Any], responses: dict[str, Any]) -> dict[str, list[str]]:
    """What is wrong with an agreement's answers against its template version, by field key:
    unknown keys, answers of the wrong JSON type, missing required answers, choices not offered
    and numbers out of range. Empty when the answers can be saved."""
    return _checked(content, responses)[0]


def _answers(content: dict[str, Any], responses: dict[str, Any]) -> dict[str, Any]:
    """The answers to store; a 400 with the problems by field key when there are any."""
    problems, answers = _checked(content, responses)
    if problems:
        raise ValidationError(problems)
    return answers


# Operations


def _agreement(request: PersonRequest, pk: int, perm: str) -> Agreement:
    """The agreement with everything AgreementOut shows: another organisation's is not found
    (404); one the person may not see, or do ``perm`` to, is forbidden (403)."""
    agreement = selectors.agreement_with_versions(
        organisation_id=request.person.organisation_id, pk=pk
    )
    if agreement is None:
        raise Http404
    for needed in dict.fromkeys(["agreements.view_agreement", perm]):
        if not request.user.has_perm(needed, agreement):
            raise PermissionDenied
    return agreement


def _reloaded(request: PersonRequest, agreement: Agreement) -> Agreement:
    loaded = selectors.agreement_with_versions(
        organisation_id=request.person.organisation_id, pk=agreement.pk
    )
    assert loaded is not None
    return loaded


@router.get(
    "/agreements",
    response={200: list[AgreementSummaryOut], **ERRORS},
    summary="The agreements I may read: my own, my teams', or all for admins, HR and leaders",
)
@paginate(ApiPages)
def agreements(request: PersonRequest, filters: Query[AgreementFilter]) -> Any:
    found = selectors.agreements_visible_to(
        person=request.person,
        can_see_everyone=request.user.has_perm("organisations.list_people"),
    ).select_related("relationship")
    if filters.status:
        found = found.filter(status=filters.status)
    if filters.supervisee_id is not None:
        found = found.filter(supervisee_id=filters.supervisee_id)
    return found


@router.get(
    "/agreements/{agreement_id}",
    response={200: AgreementOut, **ERRORS},
    summary="An agreement, its current version and who has signed it",
)
def agreement(request: PersonRequest, agreement_id: int) -> Agreement:
    return _agreement(request, agreement_id, "agreements.view_agreement")


@router.get(
    "/agreement-templates",
    response={200: list[TemplateOut], **ERRORS},
    summary="The templates my organisation may use, each at its latest version",
)
@paginate(ApiPages)
def agreement_templates(request: PersonRequest) -> Any:
    return selectors.template_versions_latest(organisation=request.person.organisation)


@router.post(
    "/agreements",
    response={201: AgreementOut, **ERRORS},
    summary="Start a draft agreement for a current supervision of mine",
)
def agreement_start(request: PersonRequest, payload: AgreementStartIn) -> Any:
    relationship = get_scoped_or_404(
        request,
        SupervisionRelationship.objects.select_related("supervisee__organisation", "supervisor"),
        "agreements.start_agreement",
        pk=payload.relationship_id,
    )
    template_version = (
        AgreementTemplateVersion.objects.select_related("template")
        .filter(
            pk=payload.template_version_id,
            template__in=selectors.templates_available(organisation=request.person.organisation),
        )
        .first()
    )
    if template_version is None:
        return Status(
            400, {"detail": {"template_version_id": ["No such template for your organisation."]}}
        )
    responses = None
    if payload.responses is not None:
        responses = _answers(template_version.content, payload.responses)
    with transaction.atomic():
        started = services.agreement_start(
            relationship=relationship,
            template_version=template_version,
            by=request.person,
            responses=responses,
        )
        if responses is not None:
            # Starting does not hold given answers to the organisation's policy; saving them does
            # (and, the answers being the same, writes nothing more). A refusal undoes the start.
            services.agreement_save(agreement=started, responses=responses, by=request.person)
    return Status(201, _reloaded(request, started))


@router.put(
    "/agreements/{agreement_id}/responses",
    response={200: AgreementOut, **ERRORS},
    summary="Save the answers; a signed version is kept and a new one made to sign again",
)
def agreement_save(request: PersonRequest, agreement_id: int, payload: ResponsesIn) -> Any:
    found = _agreement(request, agreement_id, "agreements.change_agreement")
    responses = _answers(found.template_version.content, payload.responses)
    services.agreement_save(agreement=found, responses=responses, by=request.person)
    return _reloaded(request, found)


@router.post(
    "/agreements/{agreement_id}/sign",
    response={200: AgreementOut, **ERRORS},
    summary="Sign the current version, as supervisee or supervisor",
)
def agreement_sign(request: PersonRequest, agreement_id: int, payload: SignIn) -> Any:
    found = _agreement(request, agreement_id, "agreements.sign_agreement")
    services.agreement_sign(
        agreement=found, person=request.person, content_hash=payload.content_hash
    )
    return _reloaded(request, found)
