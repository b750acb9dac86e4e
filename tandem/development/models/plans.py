"""Development plans (objectives and training needs), their reviews in supervision, and the
yearly appraisal."""

from __future__ import annotations

from django.db import models
from django.utils import timezone
from simple_history.models import HistoricalRecords

from tandem.core.models import TenantModel

TEXT_LIMIT = 5000


class Course(TenantModel):
    """A course the organisation offers, which a training need can name."""

    title = models.CharField(max_length=200)
    provider = models.CharField(max_length=200, blank=True)
    active = models.BooleanField(default=True)

    class Meta:
        ordering = ["title"]
        constraints = [
            models.UniqueConstraint(fields=["organisation", "title"], name="course_title_unique")
        ]

    def __str__(self) -> str:
        return self.title


class ObjectiveStatus(models.TextChoices):
    OPEN = "open", "Open"
    MET = "met", "Met"
    NOT_MET = "not_met", "Closed, not met"


class Objective(TenantModel):
    """One objective of a person's development plan: what, how it will be measured, by when,
    the evidence, and the training it needs."""

    person = models.ForeignKey(
        "organisations.Person", on_delete=models.CASCADE, related_name="objectives"
    )
    title = models.CharField("objective", max_length=200)
    measure = models.TextField("how it will be measured", max_length=TEXT_LIMIT, blank=True)
    target_on = models.DateField("target date")
    evidence = models.TextField(max_length=TEXT_LIMIT, blank=True)
    training_need = models.CharField(max_length=200, blank=True)
    course = models.ForeignKey(
        Course, on_delete=models.SET_NULL, null=True, blank=True, related_name="objectives"
    )
    status = models.CharField(
        max_length=20, choices=ObjectiveStatus.choices, default=ObjectiveStatus.OPEN
    )
    closed_on = models.DateField(null=True, blank=True)
    created_by = models.ForeignKey(
        "organisations.Person", on_delete=models.PROTECT, related_name="+"
    )
    created_at = models.DateTimeField(default=timezone.now)

    history = HistoricalRecords()

    class Meta:
        ordering = ["target_on", "id"]
        indexes = [
            models.Index(
                fields=["organisation", "person", "status", "target_on"], name="objective_org_st"
            )
        ]

    def __str__(self) -> str:
        return self.title


class ObjectiveReview(TenantModel):
    """Progress on an objective, noted in a supervision session (``record``) or an appraisal."""

    objective = models.ForeignKey(Objective, on_delete=models.CASCADE, related_name="reviews")
    record = models.ForeignKey(
        "records.Record",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="objective_reviews",
    )
    reviewed_on = models.DateField()
    progress = models.TextField(max_length=TEXT_LIMIT)
    status = models.CharField(
        "status after the review", max_length=20, choices=ObjectiveStatus.choices
    )
    by = models.ForeignKey("organisations.Person", on_delete=models.PROTECT, related_name="+")
    at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["reviewed_on", "id"]

    def __str__(self) -> str:
        return f"Review of {self.objective} on {self.reviewed_on:%-d %B %Y}"


class Appraisal(TenantModel):
    """The yearly appraisal (PDR): a year's supervision summarised from what Tandem holds (kept
    as it stood on the day), and what the appraiser and the person said of it."""

    person = models.ForeignKey(
        "organisations.Person", on_delete=models.CASCADE, related_name="appraisals"
    )
    appraiser = models.ForeignKey(
        "organisations.Person", on_delete=models.PROTECT, related_name="+"
    )
    period_starts_on = models.DateField()
    period_ends_on = models.DateField()
    held_on = models.DateField()
    summary = models.JSONField(default=dict)
    appraiser_comments = models.TextField(max_length=TEXT_LIMIT)
    person_comments = models.TextField(max_length=TEXT_LIMIT, blank=True)
    created_at = models.DateTimeField(default=timezone.now)

    history = HistoricalRecords()

    class Meta:
        ordering = ["-held_on", "-id"]
        indexes = [models.Index(fields=["organisation", "person", "held_on"], name="appraisal_org")]

    def __str__(self) -> str:
        return f"Appraisal of {self.person}, {self.held_on:%-d %B %Y}"
