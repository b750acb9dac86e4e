"""The Care Certificate for new care staff, and designated safeguarding leads' training."""

from __future__ import annotations

from django.db import models
from django.db.models import F, Q
from django.utils import timezone
from simple_history.models import HistoricalRecords

from tandem.core.models import TenantModel

from ..schemes import CARE_CERTIFICATE_VERSION


class CareCertificate(TenantModel):
    """A new starter's Care Certificate: its standards (of the version it started under), a
    target date (12 weeks from the start unless the organisation says otherwise), and done when
    every standard is signed off."""

    person = models.ForeignKey(
        "organisations.Person", on_delete=models.CASCADE, related_name="care_certificates"
    )
    version = models.CharField(max_length=10, default=CARE_CERTIFICATE_VERSION)
    started_on = models.DateField()
    target_on = models.DateField("target date")
    completed_on = models.DateField(null=True, blank=True)
    created_at = models.DateTimeField(default=timezone.now)

    history = HistoricalRecords()

    class Meta:
        ordering = ["-started_on"]
        constraints = [
            models.UniqueConstraint(
                fields=["organisation", "person", "version"], name="care_certificate_unique"
            ),
            models.CheckConstraint(
                condition=Q(target_on__gte=F("started_on")), name="care_certificate_target_after"
            ),
        ]

    def __str__(self) -> str:
        return f"Care Certificate of {self.person}"


class CareCertificateStandard(TenantModel):
    """One standard of a Care Certificate, signed off by an assessor when met."""

    certificate = models.ForeignKey(
        CareCertificate, on_delete=models.CASCADE, related_name="standards"
    )
    number = models.PositiveSmallIntegerField()
    title = models.CharField(max_length=200)
    signed_off_on = models.DateField(null=True, blank=True)
    signed_off_by = models.ForeignKey(
        "organisations.Person", on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )

    history = HistoricalRecords()

    class Meta:
        ordering = ["number"]
        constraints = [
            models.UniqueConstraint(
                fields=["organisation", "certificate", "number"], name="care_standard_unique"
            )
        ]

    def __str__(self) -> str:
        return f"Standard {self.number}: {self.title}"


class SafeguardingLead(TenantModel):
    """Someone the organisation has designated as a (deputy) safeguarding lead, from when."""

    person = models.ForeignKey(
        "organisations.Person", on_delete=models.CASCADE, related_name="safeguarding_designations"
    )
    designated_on = models.DateField()
    ended_on = models.DateField(null=True, blank=True)

    history = HistoricalRecords()

    class Meta:
        ordering = ["-designated_on"]
        constraints = [
            models.UniqueConstraint(
                fields=["organisation", "person"],
                condition=Q(ended_on__isnull=True),
                name="safeguarding_lead_one_open",
            )
        ]

    def __str__(self) -> str:
        return f"{self.person}, safeguarding lead"


class SafeguardingTrainingKind(models.TextChoices):
    TRAINING = "training", "Designated safeguarding lead training"
    UPDATE = "update", "Knowledge update"


class SafeguardingTraining(TenantModel):
    """A safeguarding lead's training course or knowledge update, on the day it was done."""

    person = models.ForeignKey(
        "organisations.Person", on_delete=models.CASCADE, related_name="safeguarding_training"
    )
    kind = models.CharField(max_length=20, choices=SafeguardingTrainingKind.choices)
    title = models.CharField(max_length=200)
    done_on = models.DateField("date")

    history = HistoricalRecords()

    class Meta:
        ordering = ["-done_on", "-id"]

    def __str__(self) -> str:
        return f"{self.title} ({self.done_on:%-d %B %Y})"
