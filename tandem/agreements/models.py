"""Supervision agreements ("supervision contracts"): templates, agreements, versions, signatures.

A template is versioned: its content (sections of fields and standard terms) never changes once
saved; editing makes a new version. An agreement keeps the template version it was made from.
An agreement's content is versioned the same way: the current version is edited while it is a
draft; once anyone has signed it, a change makes a new version that both must sign again. A
signature records who, when and the hash of the exact content signed.
"""

from __future__ import annotations

import datetime
from typing import Any, ClassVar

from django.db import models
from django.db.models import Q
from django.utils import timezone

from tandem.core.models import TenantModel, TenantQuerySet, TenantScopedManager


class Frequency(models.TextChoices):
    """How often sessions happen, most frequent first. ``interval_days`` orders them."""

    WEEKLY = "weekly", "Weekly"
    FORTNIGHTLY = "fortnightly", "Fortnightly"
    MONTHLY = "monthly", "Monthly"
    SIX_WEEKLY = "six_weekly", "Every 6 weeks"
    HALF_TERMLY = "half_termly", "Each half term"
    TWO_MONTHLY = "two_monthly", "Every 2 months"
    TERMLY = "termly", "Each term"
    QUARTERLY = "quarterly", "Every 3 months"


# An agreement's frequency may follow the organisation's policy as it changes with time in post
# (an NQSW's weekly, then fortnightly, then monthly sessions) rather than name one: its version
# then stores no frequency of its own, and the policy alone sets the windows and the schedule.
AS_POLICY = "as_policy"
AS_POLICY_LABEL = "As the organisation's policy requires"
FREQUENCY_CHOICES: list[tuple[str, str]] = [
    (AS_POLICY, AS_POLICY_LABEL),
    *((str(value), str(label)) for value, label in Frequency.choices),
]

# The longest gap each frequency allows, in days: a frequency is at least as often as another
# when its interval is no longer. Half terms are about 6 to 7 weeks, terms about 13.
INTERVAL_DAYS: dict[str, int] = {
    Frequency.WEEKLY: 7,
    Frequency.FORTNIGHTLY: 14,
    Frequency.MONTHLY: 31,
    Frequency.SIX_WEEKLY: 42,
    Frequency.HALF_TERMLY: 49,
    Frequency.TWO_MONTHLY: 62,
    Frequency.TERMLY: 92,
    Frequency.QUARTERLY: 92,
}


class ConfidentialityException(models.TextChoices):
    """When something said in supervision may be shared beyond the pair and the manager."""

    SAFEGUARDING = "safeguarding", "Safeguarding"
    CONDUCT = "conduct", "Conduct"
    COMPETENCE = "competence", "Competence"
    HEALTH = "health", "Health or fitness to practise"


class Recorder(models.TextChoices):
    SUPERVISOR = "supervisor", "The supervisor"
    SUPERVISEE = "supervisee", "The supervisee"
    BOTH = "both", "Both, taking turns"


# The first set of rules an organisation has is in force since ever.
SINCE_EVER = datetime.date(2000, 1, 1)


class FrequencyRuleQuerySet(TenantQuerySet):
    def in_force(self, on: datetime.date) -> FrequencyRuleQuerySet:
        """The rules of the set in force on ``on``: each organisation's set with the latest
        effective-from date on or before it (one query)."""
        latest = (
            FrequencyRule.objects.filter(
                organisation_id=models.OuterRef("organisation_id"), effective_from__lte=on
            )
            .order_by("-effective_from")
            .values("effective_from")[:1]
        )
        return self.filter(effective_from=models.Subquery(latest))


FrequencyRuleManager = TenantScopedManager.from_queryset(FrequencyRuleQuerySet)


class FrequencyRule(TenantModel):
    """An organisation's policy: people of this staff category, this far into their post, are
    supervised at least this often, for at least this long. Data, not code: each organisation
    keeps its own, starting from the defaults in ``policies.DEFAULT_RULES``.

    The rules come in sets, each in force from its ``effective_from`` date until the next set's:
    a change of policy is a new set from a date on or after the day it is made, so the rules
    that judged the past are kept as they were (``policies.frequency_policy_change``)."""

    effective_from = models.DateField(default=SINCE_EVER)

    staff_category = models.CharField(max_length=40)
    # Time in post, in days, from the clock start (ASYE start or employment start): the rule
    # applies from ``from_day`` (inclusive) until ``until_day`` (exclusive; open if empty).
    from_day = models.PositiveIntegerField(default=0)
    until_day = models.PositiveIntegerField(null=True, blank=True)
    frequency = models.CharField(max_length=20, choices=Frequency.choices)
    min_minutes = models.PositiveSmallIntegerField(null=True, blank=True)
    note = models.CharField(max_length=200, blank=True)

    objects: ClassVar[models.Manager[Any]] = FrequencyRuleManager()  # type: ignore[assignment]  # a narrower TenantManager

    class Meta:
        ordering = ["staff_category", "effective_from", "from_day"]
        indexes = [
            models.Index(fields=["organisation", "staff_category"], name="freq_rule_org_category"),
            models.Index(fields=["organisation", "effective_from"], name="freq_rule_org_effective"),
        ]

    def __str__(self) -> str:
        return f"{self.staff_category} from day {self.from_day}: {self.get_frequency_display()}"


class TemplateQuerySet(TenantQuerySet):
    def available_to(self, organisation: Any) -> TemplateQuerySet:
        """The built-in templates and the organisation's own."""
        organisation_id = organisation if isinstance(organisation, int) else organisation.pk
        return self.filter(Q(organisation__isnull=True) | Q(organisation_id=organisation_id))


class SharedRowsManager(TenantScopedManager):
    """The built-in templates (no organisation) are in every organisation's scope."""

    shared_rows = True


TemplateManager = SharedRowsManager.from_queryset(TemplateQuerySet)
SharedRowsQuerySetManager = SharedRowsManager.from_queryset(TenantQuerySet)


class AgreementTemplate(TenantModel):
    """A kind of agreement. Built-in ones (no organisation) come from the source contracts and
    cannot be edited; an organisation copies one and edits its copy."""

    organisation = models.ForeignKey(  # type: ignore[assignment]  # may be empty (ORGANISATION_OPTIONAL)
        "organisations.Organisation",
        on_delete=models.CASCADE,
        null=True,
        blank=True,
        related_name="+",
    )
    slug = models.SlugField(max_length=80, blank=True, help_text="Set on built-in templates.")
    name = models.CharField(max_length=200)
    description = models.TextField(blank=True)
    copied_from = models.ForeignKey(
        "self", on_delete=models.SET_NULL, null=True, blank=True, related_name="copies"
    )
    created_at = models.DateTimeField(default=timezone.now)
    archived_at = models.DateTimeField(null=True, blank=True)

    objects: ClassVar[models.Manager[Any]] = TemplateManager()  # type: ignore[assignment]  # a narrower TenantManager

    class Meta:
        ordering = ["name", "id"]
        constraints = [
            models.UniqueConstraint(
                fields=["slug"],
                condition=Q(organisation__isnull=True),
                name="builtin_template_slug_unique",
            ),
        ]

    def __str__(self) -> str:
        return self.name

    @property
    def is_builtin(self) -> bool:
        return self.organisation_id is None


class AgreementTemplateVersion(TenantModel):
    """The content of a template at one moment, never changed once saved.

    ``content`` is {"title", "introduction", "sections": [{"key", "heading", "guidance",
    "fields": [{"key", "label", "type", "required", "hint", "choices", "min", "max",
    "columns"}], "terms": [{"key", "heading", "text"}]}], "closing": [{"heading", "text"}]}.
    Field types are in ``content.FIELD_TYPES``; fields whose key is one of
    ``content.STRUCTURED_KEYS`` are the structured arrangements later features read.
    """

    # None for a built-in template's versions (shared by every organisation), as on the template.
    organisation = models.ForeignKey(  # type: ignore[assignment]  # may be empty (ORGANISATION_OPTIONAL)
        "organisations.Organisation",
        on_delete=models.CASCADE,
        null=True,
        blank=True,
        related_name="+",
    )
    template = models.ForeignKey(
        AgreementTemplate, on_delete=models.CASCADE, related_name="versions"
    )
    number = models.PositiveIntegerField()
    content = models.JSONField()
    created_at = models.DateTimeField(default=timezone.now)
    created_by = models.ForeignKey(
        "organisations.Person", on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )

    objects: ClassVar[models.Manager[Any]] = SharedRowsQuerySetManager()  # type: ignore[assignment]  # a narrower TenantManager

    class Meta:
        ordering = ["template", "-number"]
        constraints = [
            models.UniqueConstraint(fields=["template", "number"], name="template_version_unique")
        ]

    def __str__(self) -> str:
        return f"{self.template} v{self.number}"


class AgreementStatus(models.TextChoices):
    DRAFT = "draft", "Draft"
    AWAITING_SIGNATURES = "awaiting_signatures", "Awaiting signatures"
    ACTIVE = "active", "Active"
    DUE_FOR_REVIEW = "due_for_review", "Due for review"
    SUPERSEDED = "superseded", "Superseded"


class ReviewReason(models.TextChoices):
    ANNUAL = "annual", "A year since it was signed"
    SUPERVISOR_CHANGED = "supervisor_changed", "The supervisor changed"


class Agreement(TenantModel):
    """The agreement of one supervisee with their supervisor for one kind of supervision."""

    supervisee = models.ForeignKey(
        "organisations.Person", on_delete=models.PROTECT, related_name="agreements"
    )
    supervisor = models.ForeignKey(
        "organisations.Person", on_delete=models.PROTECT, related_name="supervisor_agreements"
    )
    relationship = models.ForeignKey(
        "organisations.SupervisionRelationship",
        on_delete=models.PROTECT,
        related_name="agreements",
    )
    template_version = models.ForeignKey(
        AgreementTemplateVersion, on_delete=models.PROTECT, related_name="agreements"
    )
    status = models.CharField(
        max_length=30, choices=AgreementStatus.choices, default=AgreementStatus.DRAFT
    )
    signed_on = models.DateField(null=True, blank=True, help_text="When both had signed.")
    review_due_on = models.DateField(null=True, blank=True)
    review_reason = models.CharField(max_length=30, choices=ReviewReason.choices, blank=True)
    reminder_sent_for = models.DateField(
        null=True, blank=True, help_text="The review date the last reminder was about."
    )
    superseded_by = models.ForeignKey(
        "self", on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    created_at = models.DateTimeField(default=timezone.now)
    created_by = models.ForeignKey(
        "organisations.Person", on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )

    class Meta:
        ordering = ["-created_at", "-id"]
        indexes = [
            models.Index(fields=["organisation", "supervisee"], name="agreement_org_supervisee"),
            models.Index(fields=["organisation", "supervisor"], name="agreement_org_supervisor"),
            models.Index(fields=["organisation", "status"], name="agreement_org_status"),
        ]

    def __str__(self) -> str:
        return f"Supervision agreement: {self.supervisee} with {self.supervisor}"

    @property
    def is_editable(self) -> bool:
        return self.status in (
            AgreementStatus.DRAFT,
            AgreementStatus.AWAITING_SIGNATURES,
            AgreementStatus.ACTIVE,
            AgreementStatus.DUE_FOR_REVIEW,
        )


class AgreementVersion(TenantModel):
    """The agreement's content at one moment. Frozen once anyone signs it."""

    agreement = models.ForeignKey(Agreement, on_delete=models.CASCADE, related_name="versions")
    number = models.PositiveIntegerField()
    supervisor = models.ForeignKey(
        "organisations.Person", on_delete=models.PROTECT, related_name="+"
    )
    responses = models.JSONField(default=dict)
    content_hash = models.CharField(max_length=64)
    # The structured arrangements, copied out of ``responses`` so later features can query them.
    frequency = models.CharField(max_length=20, choices=Frequency.choices, blank=True)
    duration_min_minutes = models.PositiveSmallIntegerField(null=True, blank=True)
    duration_max_minutes = models.PositiveSmallIntegerField(null=True, blank=True)
    location = models.CharField(max_length=300, blank=True)
    rebook_within_working_days = models.PositiveSmallIntegerField(null=True, blank=True)
    recorder = models.CharField(max_length=20, choices=Recorder.choices, blank=True)
    confidentiality_exceptions = models.JSONField(default=list, blank=True)
    created_at = models.DateTimeField(default=timezone.now)
    updated_at = models.DateTimeField(default=timezone.now)
    created_by = models.ForeignKey(
        "organisations.Person", on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )

    class Meta:
        ordering = ["agreement", "-number"]
        constraints = [
            models.UniqueConstraint(fields=["agreement", "number"], name="agreement_version_unique")
        ]

    def __str__(self) -> str:
        return f"{self.agreement} v{self.number}"


class SignatureRole(models.TextChoices):
    SUPERVISEE = "supervisee", "Supervisee"
    SUPERVISOR = "supervisor", "Supervisor"


class AgreementSignature(TenantModel):
    version = models.ForeignKey(
        AgreementVersion, on_delete=models.PROTECT, related_name="signatures"
    )
    person = models.ForeignKey("organisations.Person", on_delete=models.PROTECT, related_name="+")
    role = models.CharField(max_length=20, choices=SignatureRole.choices)
    signed_at = models.DateTimeField(default=timezone.now)
    content_hash = models.CharField(max_length=64)

    class Meta:
        ordering = ["signed_at"]
        constraints = [
            models.UniqueConstraint(fields=["version", "role"], name="one_signature_per_role")
        ]

    def __str__(self) -> str:
        return f"{self.person} signed as {self.get_role_display()} on {self.signed_at:%Y-%m-%d}"

    @property
    def signed_on(self) -> datetime.date:
        return timezone.localdate(self.signed_at)
