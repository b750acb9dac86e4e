"""The quality of supervision and the supervisor's pathway.

- Case-file audits (the source contract's "Auditing of practice"): cases chosen each month by
  rule, at random from a stored seed, or by hand; graded on the organisation's scale; the
  discussion before the audit, the learning after it and its impact travel through the worker's
  supervision agendas and records. Only a case reference and a label: the case file stays in
  the case management system.
- Supervision audits: the organisation's instrument (criteria in groups, weighted, answered
  yes / partly / no) applied to a sample of one pair's records, with the facts Tandem knows
  filled in; the supervisor replies.
- The practice-supervisor pathway: the first 12 months in post (induction, training, coaching,
  partnership portfolio, KSS self-assessments at the start, 6 and 12 months).
- The pipeline of potential practice supervisors, and equality data each person may declare
  about themself: HR reads it; everyone else sees aggregates, small groups suppressed.
"""

from __future__ import annotations

from django.db import models
from django.db.models import Q
from django.utils import timezone

from tandem.core.models import TenantModel

TEXT_LIMIT = 5000
DEFAULT_GRADES = ["Outstanding", "Good", "Requires improvement", "Inadequate"]


def default_grades() -> list[str]:
    return list(DEFAULT_GRADES)


class QualitySettings(TenantModel):
    """The organisation's grading scale for case-file audits (best first) and the share of each
    worker's cases a monthly selection proposes."""

    grades = models.JSONField(default=default_grades)
    case_share_percent = models.PositiveSmallIntegerField(default=10)
    updated_at = models.DateTimeField(default=timezone.now)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["organisation"], name="quality_settings_one_per_org")
        ]

    def __str__(self) -> str:
        return "Quality settings"


# Case-file audits


class CaseAuditRound(TenantModel):
    """One month's selection by rule: a share of each worker's cases, at random from ``seed``,
    among the cases discussed in their supervision in the 12 months before the month."""

    month = models.DateField(help_text="The first day of the month.")
    team = models.ForeignKey(
        "organisations.Team", on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    share_percent = models.PositiveSmallIntegerField()
    seed = models.PositiveIntegerField()
    created_by = models.ForeignKey(
        "organisations.Person", on_delete=models.PROTECT, related_name="+"
    )
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["-month", "-id"]

    def __str__(self) -> str:
        return f"Case-file audits for {self.month:%B %Y}"


class CaseAuditStage(models.TextChoices):
    SELECTED = "selected", "Chosen: to discuss before the audit"
    AUDITED = "audited", "Audited: learning to discuss in supervision"
    LEARNING = "learning", "Learning recorded: impact to check"
    DONE = "done", "Impact checked"


class CaseAudit(TenantModel):
    round = models.ForeignKey(
        CaseAuditRound, on_delete=models.CASCADE, null=True, blank=True, related_name="audits"
    )
    by_rule = models.BooleanField(default=False)
    worker = models.ForeignKey(
        "organisations.Person", on_delete=models.PROTECT, related_name="case_audits"
    )
    supervisor = models.ForeignKey(
        "organisations.Person", on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    case_reference = models.CharField(max_length=40)
    label = models.CharField(max_length=80, blank=True)
    stage = models.CharField(
        max_length=20, choices=CaseAuditStage.choices, default=CaseAuditStage.SELECTED
    )
    # Before: the discussion of the audit, on the worker's next supervision agenda.
    pre_item = models.ForeignKey(
        "meetings.AgendaItem", on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    # The audit.
    auditor = models.ForeignKey(
        "organisations.Person", on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    grade = models.CharField(max_length=80, blank=True)
    findings = models.TextField(blank=True)
    required_actions = models.TextField(blank=True)
    audited_on = models.DateField(null=True, blank=True)
    # After: the learning, recorded in a later session; then its impact, at a session after.
    learning_item = models.ForeignKey(
        "meetings.AgendaItem", on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    learning_note = models.TextField(blank=True)
    learning_record = models.ForeignKey(
        "records.Record", on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    impact_item = models.ForeignKey(
        "meetings.AgendaItem", on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    impact_note = models.TextField(blank=True)
    impact_record = models.ForeignKey(
        "records.Record", on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    created_by = models.ForeignKey(
        "organisations.Person", on_delete=models.PROTECT, related_name="+"
    )
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["-created_at", "-id"]
        constraints = [
            models.UniqueConstraint(
                fields=["organisation", "round", "worker", "case_reference"],
                condition=Q(round__isnull=False),
                name="case_audit_once_per_round",
            )
        ]
        indexes = [
            models.Index(fields=["organisation", "worker", "stage"], name="case_audit_worker"),
            models.Index(fields=["organisation", "created_at"], name="case_audit_created"),
        ]

    def __str__(self) -> str:
        return f"Case-file audit of {self.case_reference}"


# Supervision audits


class AuditAnswer(models.TextChoices):
    YES = "yes", "Yes"
    PARTLY = "partly", "Partly"
    NO = "no", "No"
    NOT_APPLICABLE = "na", "Does not apply"


ANSWER_SCORES = {AuditAnswer.YES: 2, AuditAnswer.PARTLY: 1, AuditAnswer.NO: 0}


class AuditCriterion(TenantModel):
    """A question of the organisation's supervision audit instrument. ``fact``: what Tandem
    fills in from its own rows (see ``facts.FACTS``), blank for a judgement."""

    group = models.CharField(max_length=100)
    text = models.CharField(max_length=300)
    weight = models.PositiveSmallIntegerField(default=1)
    fact = models.CharField(max_length=30, blank=True)
    position = models.PositiveSmallIntegerField(default=0)
    active = models.BooleanField(default=True)

    class Meta:
        ordering = ["position", "id"]
        verbose_name_plural = "audit criteria"

    def __str__(self) -> str:
        return self.text


class AuditStatus(models.TextChoices):
    DRAFT = "draft", "In progress"
    COMPLETED = "completed", "Completed"


class SupervisionAudit(TenantModel):
    """An audit of one supervisor's supervision of one person, over a period, by reading a
    sample of its records."""

    supervisor = models.ForeignKey(
        "organisations.Person", on_delete=models.PROTECT, related_name="supervision_audits"
    )
    supervisee = models.ForeignKey(
        "organisations.Person", on_delete=models.PROTECT, related_name="+"
    )
    # The supervisee's team when the audit began: results by team, as the team was then.
    team = models.ForeignKey(
        "organisations.Team", on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    auditor = models.ForeignKey("organisations.Person", on_delete=models.PROTECT, related_name="+")
    starts_on = models.DateField()
    ends_on = models.DateField()
    seed = models.PositiveIntegerField()
    status = models.CharField(max_length=20, choices=AuditStatus.choices, default="draft")
    summary = models.TextField(blank=True)
    score = models.PositiveSmallIntegerField(null=True, blank=True, help_text="Percent.")
    completed_at = models.DateTimeField(null=True, blank=True)
    reply = models.TextField(blank=True)
    replied_at = models.DateTimeField(null=True, blank=True)
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["-created_at", "-id"]
        indexes = [
            models.Index(fields=["organisation", "supervisor"], name="sup_audit_supervisor"),
            models.Index(fields=["organisation", "status", "completed_at"], name="sup_audit_done"),
        ]

    def __str__(self) -> str:
        return f"Supervision audit: {self.supervisor} with {self.supervisee}"


class AuditedRecord(TenantModel):
    audit = models.ForeignKey(SupervisionAudit, on_delete=models.CASCADE, related_name="sample")
    record = models.ForeignKey("records.Record", on_delete=models.PROTECT, related_name="+")

    class Meta:
        ordering = ["audit", "id"]
        constraints = [
            models.UniqueConstraint(fields=["audit", "record"], name="audited_record_once")
        ]

    def __str__(self) -> str:
        return f"{self.record} in {self.audit}"


class AuditResponse(TenantModel):
    """The answer to one criterion, with the criterion's words and weight as they were (the
    instrument may change; an audit keeps what it asked). ``fact``: what Tandem found."""

    audit = models.ForeignKey(SupervisionAudit, on_delete=models.CASCADE, related_name="responses")
    criterion = models.ForeignKey(
        AuditCriterion, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    group = models.CharField(max_length=100)
    text = models.CharField(max_length=300)
    weight = models.PositiveSmallIntegerField(default=1)
    position = models.PositiveSmallIntegerField(default=0)
    fact = models.TextField(blank=True)
    suggested = models.CharField(max_length=10, choices=AuditAnswer.choices, blank=True)
    answer = models.CharField(max_length=10, choices=AuditAnswer.choices, blank=True)
    comment = models.TextField(blank=True)

    class Meta:
        ordering = ["audit", "position", "id"]

    def __str__(self) -> str:
        return self.text


# The practice-supervisor pathway


class PathwayStatus(models.TextChoices):
    ACTIVE = "active", "Under way"
    COMPLETED = "completed", "Completed"


class Pathway(TenantModel):
    """A new practice supervisor's first 12 months in post."""

    person = models.ForeignKey(
        "organisations.Person", on_delete=models.PROTECT, related_name="pathways"
    )
    starts_on = models.DateField(help_text="Their first day as a practice supervisor.")
    supporter = models.ForeignKey(
        "organisations.Person", on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    status = models.CharField(max_length=20, choices=PathwayStatus.choices, default="active")
    created_by = models.ForeignKey(
        "organisations.Person", on_delete=models.PROTECT, related_name="+"
    )
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["-starts_on", "-id"]
        constraints = [
            models.UniqueConstraint(
                fields=["organisation", "person"],
                condition=Q(status="active"),
                name="pathway_one_active",
            )
        ]

    def __str__(self) -> str:
        return f"Practice supervisor pathway: {self.person}"


class PathwayArea(models.TextChoices):
    INDUCTION = "induction", "Induction: your new professional identity"
    MODEL = "model", "Training in the supervision model"
    PERFORMANCE = "performance", "Training in performance management"
    DATA = "data", "Performance information training"
    COACHING = "coaching", "Coaching or mentoring goals"
    PEER = "peer", "Peer supervision and action learning sets"
    PARTNERSHIP = "partnership", "Partnership portfolio"


class PathwayItem(TenantModel):
    pathway = models.ForeignKey(Pathway, on_delete=models.CASCADE, related_name="items")
    area = models.CharField(max_length=20, choices=PathwayArea.choices)
    title = models.CharField(max_length=200)
    detail = models.TextField(blank=True)
    due_on = models.DateField(null=True, blank=True)
    done_on = models.DateField(null=True, blank=True)
    position = models.PositiveSmallIntegerField(default=0)

    class Meta:
        ordering = ["pathway", "position", "id"]

    def __str__(self) -> str:
        return self.title


class PathwayPoint(models.TextChoices):
    START = "start", "At the start"
    SIX = "six", "At 6 months"
    TWELVE = "twelve", "At 12 months"


POINT_MONTHS = {PathwayPoint.START: 0, PathwayPoint.SIX: 6, PathwayPoint.TWELVE: 12}


class PathwaySelfAssessment(TenantModel):
    """A self-assessment against the practice supervisor KSS headings: a rating and a note each."""

    pathway = models.ForeignKey(Pathway, on_delete=models.CASCADE, related_name="assessments")
    point = models.CharField(max_length=10, choices=PathwayPoint.choices)
    framework = models.CharField(max_length=100)
    completed_on = models.DateField()
    ratings = models.JSONField(default=dict)

    class Meta:
        ordering = ["completed_on", "id"]
        constraints = [
            models.UniqueConstraint(
                fields=["organisation", "pathway", "point"], name="pathway_point_once"
            )
        ]

    def __str__(self) -> str:
        return f"{self.get_point_display()} self-assessment"


# The pipeline


class PipelineStatus(models.TextChoices):
    IDENTIFIED = "identified", "Identified"
    DEVELOPING = "developing", "Developing, with a plan"
    ACTING_UP = "acting_up", "Acting up"
    APPOINTED = "appointed", "Appointed a practice supervisor"
    WITHDRAWN = "withdrawn", "No longer in the pipeline"


PIPELINE_OPEN = [PipelineStatus.IDENTIFIED, PipelineStatus.DEVELOPING, PipelineStatus.ACTING_UP]


class PipelineEntry(TenantModel):
    """Someone identified as a potential practice supervisor, usually through appraisal."""

    person = models.ForeignKey(
        "organisations.Person", on_delete=models.PROTECT, related_name="pipeline_entries"
    )
    identified_on = models.DateField()
    identified_by = models.ForeignKey(
        "organisations.Person", on_delete=models.PROTECT, related_name="+"
    )
    appraisal = models.ForeignKey(
        "development.Appraisal", on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    strengths = models.TextField()
    best_placed = models.TextField(blank=True)
    status = models.CharField(max_length=20, choices=PipelineStatus.choices, default="identified")
    status_on = models.DateField()
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["-identified_on", "-id"]
        verbose_name_plural = "pipeline entries"
        constraints = [
            models.UniqueConstraint(
                fields=["organisation", "person"],
                condition=Q(status__in=["identified", "developing", "acting_up"]),
                name="pipeline_one_open",
            )
        ]

    def __str__(self) -> str:
        return f"{self.person} in the pipeline"


class PlanKind(models.TextChoices):
    TRAINING = "training", "Training"
    MENTORING = "mentoring", "Mentoring"
    COACHING = "coaching", "Coaching"
    SHADOWING = "shadowing", "Shadowing"
    ACTING_UP = "acting_up", "Acting up"


class PipelinePlanItem(TenantModel):
    entry = models.ForeignKey(PipelineEntry, on_delete=models.CASCADE, related_name="plan")
    kind = models.CharField(max_length=20, choices=PlanKind.choices)
    description = models.CharField(max_length=300)
    starts_on = models.DateField()
    ends_on = models.DateField(null=True, blank=True)
    done_on = models.DateField(null=True, blank=True)

    class Meta:
        ordering = ["entry", "starts_on", "id"]

    def __str__(self) -> str:
        return self.description


# Equality data: optional, declared by the person, read by HR; everyone else, aggregates only.


PREFER_NOT = "prefer_not"


class EthnicGroup(models.TextChoices):
    ASIAN = "asian", "Asian or Asian British"
    BLACK = "black", "Black, Black British, Caribbean or African"
    MIXED = "mixed", "Mixed or multiple ethnic groups"
    WHITE = "white", "White"
    OTHER = "other", "Another ethnic group"
    PREFER_NOT = PREFER_NOT, "Prefer not to say"


class Sex(models.TextChoices):
    FEMALE = "female", "Female"
    MALE = "male", "Male"
    PREFER_NOT = PREFER_NOT, "Prefer not to say"


class Disability(models.TextChoices):
    YES = "yes", "Yes"
    NO = "no", "No"
    PREFER_NOT = PREFER_NOT, "Prefer not to say"


CHARACTERISTICS = {
    "ethnic_group": ("Ethnic group", EthnicGroup),
    "sex": ("Sex", Sex),
    "disability": ("Disability", Disability),
}


class EqualityProfile(TenantModel):
    person = models.OneToOneField(
        "organisations.Person", on_delete=models.CASCADE, related_name="equality_profile"
    )
    ethnic_group = models.CharField(max_length=20, choices=EthnicGroup.choices, blank=True)
    sex = models.CharField(max_length=20, choices=Sex.choices, blank=True)
    disability = models.CharField(max_length=20, choices=Disability.choices, blank=True)
    updated_at = models.DateTimeField(default=timezone.now)

    def __str__(self) -> str:
        return "Equality information"
