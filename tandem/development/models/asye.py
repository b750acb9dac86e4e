"""The ASYE (and any early-career programme an organisation defines): the programme as data,
each NQSW's year on it, its pauses, review meetings, caseload, self-assessments, evidence and
direct observations."""

from __future__ import annotations

from django.db import models
from django.db.models import F, Q
from django.utils import timezone
from simple_history.models import HistoricalRecords

from tandem.core.models import TenantModel

TEXT_LIMIT = 5000


class AsyeProgramme(TenantModel):
    """An organisation's early-career programme, one version of it. Changing the programme makes
    a new version from a date; an NQSW stays on the version they started under, so what was
    planned for them before the change stays as it was."""

    name = models.CharField(max_length=200)
    version = models.PositiveSmallIntegerField(default=1)
    effective_from = models.DateField()
    months = models.PositiveSmallIntegerField(default=12)
    # [{"key": "3m", "label": "3-month review", "month": 3, "optional": false, "panel": false}]
    review_points = models.JSONField(default=list)
    frameworks = models.CharField(
        max_length=300,
        default="Professional Capabilities Framework (BASW 2018), ASYE level; "
        "Knowledge and Skills Statement for child and family practitioners",
    )
    self_assessment_months = models.JSONField(default=list)  # e.g. [0, 6, 12]
    observations_required = models.PositiveSmallIntegerField(default=3)
    protected_time_percent = models.PositiveSmallIntegerField(default=10)
    # [[3, 25], [6, 50], [9, 70], [12, 90]]: up to month 3, 25% of a full caseload, and so on.
    caseload_weights = models.JSONField(default=list)
    full_caseload = models.PositiveSmallIntegerField(
        default=20, help_text="Cases in a full caseload, for the weighting."
    )
    longest_months = models.PositiveSmallIntegerField(
        default=24, help_text="The ASYE should end within this many months of its start."
    )
    created_at = models.DateTimeField(default=timezone.now)
    created_by = models.ForeignKey(
        "organisations.Person", on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )

    history = HistoricalRecords()

    class Meta:
        ordering = ["name", "-version"]
        constraints = [
            models.UniqueConstraint(
                fields=["organisation", "name", "version"], name="asye_programme_version_unique"
            )
        ]

    def __str__(self) -> str:
        return f"{self.name} (version {self.version})"


class AsyeStatus(models.TextChoices):
    IN_PROGRESS = "in_progress", "In progress"
    PASSED = "passed", "Passed"
    FAILED = "failed", "Not passed"
    EXTENDED = "extended", "Extended"


# An ASYE still running: in progress, or extended by the moderation panel.
ASYE_RUNNING = (AsyeStatus.IN_PROGRESS, AsyeStatus.EXTENDED)


class Recommendation(models.TextChoices):
    PASS = "pass", "Pass"
    FAIL = "fail", "Fail"
    EXTENSION = "extension", "Extension"


class Asye(TenantModel):
    """One NQSW's assessed and supported year, on one version of the programme, with their
    assessor (who may not be their supervisor)."""

    person = models.ForeignKey(
        "organisations.Person", on_delete=models.CASCADE, related_name="asyes"
    )
    programme = models.ForeignKey(AsyeProgramme, on_delete=models.PROTECT, related_name="asyes")
    starts_on = models.DateField()
    assessor = models.ForeignKey(
        "organisations.Person",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="asyes_assessed",
    )
    status = models.CharField(
        max_length=20, choices=AsyeStatus.choices, default=AsyeStatus.IN_PROGRESS
    )
    ends_on = models.DateField(
        null=True, blank=True, help_text="The planned end, with pauses counted."
    )
    recommendation = models.CharField(max_length=20, choices=Recommendation.choices, blank=True)
    recommendation_notes = models.TextField(max_length=TEXT_LIMIT, blank=True)
    recommended_on = models.DateField(null=True, blank=True)
    panel_decision = models.CharField(max_length=20, choices=Recommendation.choices, blank=True)
    panel_notes = models.TextField(max_length=TEXT_LIMIT, blank=True)
    panel_on = models.DateField(null=True, blank=True)
    created_at = models.DateTimeField(default=timezone.now)

    history = HistoricalRecords()

    class Meta:
        ordering = ["-starts_on"]
        constraints = [
            models.UniqueConstraint(
                fields=["organisation", "person"],
                condition=Q(status="in_progress"),
                name="asye_one_in_progress",
            )
        ]
        indexes = [models.Index(fields=["organisation", "status"], name="asye_org_status")]

    def __str__(self) -> str:
        return f"ASYE of {self.person}, from {self.starts_on:%-d %B %Y}"


class PauseKind(models.TextChoices):
    SICKNESS = "sickness", "Sickness absence"
    PARENTAL_LEAVE = "parental_leave", "Parental leave"
    OTHER_LEAVE = "other_leave", "Other leave"
    PART_TIME = "part_time", "Part-time working"


class AsyePause(TenantModel):
    """A spell that pushes the ASYE back: a pause (no ASYE time accrues) or part-time working
    (time accrues at the share worked)."""

    asye = models.ForeignKey(Asye, on_delete=models.CASCADE, related_name="pauses")
    kind = models.CharField(max_length=20, choices=PauseKind.choices)
    starts_on = models.DateField()
    ends_on = models.DateField()
    fte_percent = models.PositiveSmallIntegerField(null=True, blank=True)
    note = models.CharField(max_length=300, blank=True)
    recorded_by = models.ForeignKey(
        "organisations.Person", on_delete=models.PROTECT, related_name="+"
    )

    history = HistoricalRecords()

    class Meta:
        ordering = ["starts_on", "id"]
        constraints = [
            models.CheckConstraint(
                condition=Q(ends_on__gte=F("starts_on")), name="asye_pause_ends_after_start"
            )
        ]

    def __str__(self) -> str:
        return f"{self.get_kind_display()}, {self.starts_on:%-d %B %Y} to {self.ends_on:%-d %B %Y}"


class AsyeReview(TenantModel):
    """A review point of the programme (3, 6, 9, 12 months, the moderation panel) for one NQSW:
    when it is due (moved by pauses until it is held), its session, and what each said."""

    asye = models.ForeignKey(Asye, on_delete=models.CASCADE, related_name="reviews")
    key = models.CharField(max_length=20)
    label = models.CharField(max_length=100)
    month = models.PositiveSmallIntegerField()
    optional = models.BooleanField(default=False)
    panel = models.BooleanField(default=False)
    position = models.PositiveSmallIntegerField(default=0)
    due_on = models.DateField()
    session = models.ForeignKey(
        "meetings.Session",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="asye_reviews",
    )
    held_on = models.DateField(null=True, blank=True)
    progress = models.TextField("progress", max_length=TEXT_LIMIT, blank=True)
    assessor_view = models.TextField("the assessor's view", max_length=TEXT_LIMIT, blank=True)
    nqsw_view = models.TextField("the NQSW's view", max_length=TEXT_LIMIT, blank=True)
    recorded_by = models.ForeignKey(
        "organisations.Person", on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )

    history = HistoricalRecords()

    class Meta:
        ordering = ["position", "id"]
        constraints = [
            models.UniqueConstraint(
                fields=["organisation", "asye", "key"], name="asye_review_key_unique"
            )
        ]
        indexes = [models.Index(fields=["organisation", "due_on"], name="asye_review_org_due")]

    def __str__(self) -> str:
        return self.label


class CaseloadEntry(TenantModel):
    """The NQSW's actual caseload on a day, entered by them, their supervisor or assessor."""

    asye = models.ForeignKey(Asye, on_delete=models.CASCADE, related_name="caseload")
    on = models.DateField()
    cases = models.PositiveSmallIntegerField()
    # The weighting's limit on that day (the programme's share of a full caseload for how far
    # in the NQSW was), and whether the cases were above it: kept with the entry, so the flag
    # and the oversight figure read the same answer.
    limit = models.PositiveSmallIntegerField(null=True, blank=True)
    above = models.BooleanField(default=False)
    entered_by = models.ForeignKey(
        "organisations.Person", on_delete=models.PROTECT, related_name="+"
    )

    class Meta:
        ordering = ["-on", "-id"]

    def __str__(self) -> str:
        return f"{self.cases} cases on {self.on:%-d %B %Y}"


class SelfAssessmentPoint(models.TextChoices):
    START = "start", "Start"
    MIDPOINT = "midpoint", "Midpoint"
    END = "end", "End"


class SelfAssessment(TenantModel):
    """The NQSW's self-assessment against the Knowledge and Skills Statement, at the start, the
    midpoint or the end: a rating and a note for each statement."""

    asye = models.ForeignKey(Asye, on_delete=models.CASCADE, related_name="self_assessments")
    point = models.CharField(max_length=20, choices=SelfAssessmentPoint.choices)
    framework = models.CharField(max_length=100)
    completed_on = models.DateField()
    ratings = models.JSONField(default=dict)  # {"1": {"rating": "developing", "note": "..."}}

    class Meta:
        ordering = ["completed_on", "id"]
        constraints = [
            models.UniqueConstraint(
                fields=["organisation", "asye", "point"], name="self_assessment_point_unique"
            )
        ]

    def __str__(self) -> str:
        return f"{self.get_point_display()} self-assessment"


class EvidenceKind(models.TextChoices):
    EVIDENCE = "evidence", "Evidence"
    REFLECTION = "reflection", "Critical reflection log"


class AsyeEvidence(TenantModel):
    """A piece of evidence, or an entry of the critical reflection log, mapped to the PCF's
    domains at ASYE level."""

    asye = models.ForeignKey(Asye, on_delete=models.CASCADE, related_name="evidence")
    kind = models.CharField(max_length=20, choices=EvidenceKind.choices)
    title = models.CharField(max_length=200)
    on = models.DateField("date")
    text = models.TextField(max_length=TEXT_LIMIT)
    domains = models.JSONField(default=list)  # PCF domain numbers, 1 to 9
    added_by = models.ForeignKey("organisations.Person", on_delete=models.PROTECT, related_name="+")

    class Meta:
        ordering = ["-on", "-id"]

    def __str__(self) -> str:
        return self.title


class Observation(TenantModel):
    """A direct observation of the NQSW's practice: preparation, the family's consent, what was
    observed, benchmarking against the PCF, reflection afterwards and the family's feedback
    (entered from paper, or through a link that needs no sign-in)."""

    asye = models.ForeignKey(Asye, on_delete=models.CASCADE, related_name="observations")
    number = models.PositiveSmallIntegerField()
    observer = models.ForeignKey("organisations.Person", on_delete=models.PROTECT, related_name="+")
    observed_on = models.DateField()
    preparation = models.TextField(max_length=TEXT_LIMIT, blank=True)
    consent = models.BooleanField("the family consented", default=False)
    consent_note = models.CharField("how consent was given", max_length=300, blank=True)
    observation = models.TextField("what was observed", max_length=TEXT_LIMIT, blank=True)
    domains = models.JSONField(default=list)
    benchmarking = models.TextField(
        "benchmarking against the PCF", max_length=TEXT_LIMIT, blank=True
    )
    reflection = models.TextField("the NQSW's reflection", max_length=TEXT_LIMIT, blank=True)
    feedback = models.TextField("the family's feedback", max_length=TEXT_LIMIT, blank=True)
    feedback_on = models.DateField(null=True, blank=True)
    feedback_by_link = models.BooleanField(default=False)
    feedback_token_hash = models.CharField(max_length=64, blank=True)
    feedback_link_expires_on = models.DateField(null=True, blank=True)
    created_at = models.DateTimeField(default=timezone.now)

    history = HistoricalRecords()

    class Meta:
        ordering = ["number"]
        constraints = [
            models.UniqueConstraint(
                fields=["organisation", "asye", "number"], name="observation_number_unique"
            )
        ]
        indexes = [models.Index(fields=["feedback_token_hash"], name="observation_token")]

    def __str__(self) -> str:
        return f"Direct observation {self.number}"
