"""CPD records, the rule sets they are counted against, and NMC revalidation's evidence."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.db.models import F, Q
from django.utils import timezone
from simple_history.models import HistoricalRecords

from tandem.core.models import TenantModel

from ..schemes import Scheme

TEXT_LIMIT = 5000


class SchemeRules(TenantModel):
    """An organisation's own numbers for one rule set; a number it has not set is the default
    (``schemes.RULES``). Changed on the development rules page, with its history kept."""

    scheme = models.CharField(max_length=30, choices=Scheme.choices)
    values = models.JSONField(default=dict)
    changed_at = models.DateTimeField(default=timezone.now)
    changed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )

    history = HistoricalRecords()

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["organisation", "scheme"], name="scheme_rules_unique")
        ]

    def __str__(self) -> str:
        return f"{self.get_scheme_display()} rules"


class CpdKind(models.TextChoices):
    """What the activity was (Social Work England's account asks for a type)."""

    SUPERVISION = "supervision", "Supervision"
    GROUP_SUPERVISION = "group_supervision", "Group supervision"
    COURSE = "course", "Course or training"
    E_LEARNING = "e_learning", "E-learning"
    READING = "reading", "Reading or research"
    CONFERENCE = "conference", "Conference, seminar or webinar"
    OBSERVATION = "observation", "Shadowing or observation"
    PRACTICE = "practice", "Learning from practice"
    OTHER = "other", "Other"


# Supervision and group supervision count as peer reflection for Social Work England.
PEER_KINDS = {CpdKind.SUPERVISION, CpdKind.GROUP_SUPERVISION}


class CpdRecord(TenantModel):
    """One piece of continuing professional development, as the regulator's account asks for it,
    with hours for NMC revalidation. It may have come from a supervision record (and links back
    to it), naming the case discussion by its reference only."""

    person = models.ForeignKey(
        "organisations.Person", on_delete=models.CASCADE, related_name="cpd_records"
    )
    kind = models.CharField("type", max_length=30, choices=CpdKind.choices)
    title = models.CharField(max_length=200)
    done_on = models.DateField("date")
    description = models.TextField(max_length=TEXT_LIMIT)
    learnt = models.TextField("what I learnt", max_length=TEXT_LIMIT)
    impact = models.TextField("the impact on my practice", max_length=TEXT_LIMIT)
    peer_reflection = models.BooleanField(default=False)
    peer_with = models.CharField("reflected with", max_length=200, blank=True)
    peer_on = models.DateField("reflected on", null=True, blank=True)
    hours = models.DecimalField(max_digits=5, decimal_places=1, null=True, blank=True)
    participatory_hours = models.DecimalField(max_digits=5, decimal_places=1, null=True, blank=True)
    source_record = models.ForeignKey(
        "records.Record",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="cpd_records",
    )
    source_case_reference = models.CharField(max_length=40, blank=True)
    # Or a group supervision record (peer reflection with the group).
    source_group_record = models.ForeignKey(
        "records.GroupRecord",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="cpd_records",
    )
    created_by = models.ForeignKey(
        "organisations.Person", on_delete=models.PROTECT, related_name="+"
    )
    created_at = models.DateTimeField(default=timezone.now)

    history = HistoricalRecords()

    class Meta:
        ordering = ["-done_on", "-id"]
        indexes = [
            models.Index(fields=["organisation", "person", "done_on"], name="cpd_org_person_on"),
        ]
        constraints = [
            models.CheckConstraint(
                condition=Q(participatory_hours__isnull=True)
                | Q(hours__isnull=False, participatory_hours__lte=F("hours")),
                name="cpd_participatory_within_hours",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.title} ({self.done_on:%-d %B %Y})"

    @property
    def counts_as_peer_reflection(self) -> bool:
        return self.peer_reflection or self.kind in PEER_KINDS


class Revalidation(TenantModel):
    """A nurse's or midwife's revalidation, due on their registration renewal date: the three
    years before it are the period its evidence comes from."""

    person = models.ForeignKey(
        "organisations.Person", on_delete=models.CASCADE, related_name="revalidations"
    )
    pin = models.CharField("NMC PIN", max_length=20)
    due_on = models.DateField("renewal date")
    confirmer_name = models.CharField(max_length=200, blank=True)
    confirmer_role = models.CharField(max_length=200, blank=True)
    confirmer_pin = models.CharField("confirmer's NMC PIN", max_length=20, blank=True)
    confirmed_on = models.DateField(null=True, blank=True)
    created_at = models.DateTimeField(default=timezone.now)

    history = HistoricalRecords()

    class Meta:
        ordering = ["-due_on"]
        constraints = [
            models.UniqueConstraint(
                fields=["organisation", "person", "due_on"], name="revalidation_unique"
            )
        ]
        indexes = [models.Index(fields=["organisation", "due_on"], name="revalidation_org_due")]

    def __str__(self) -> str:
        return f"Revalidation of {self.person} due {self.due_on:%-d %B %Y}"


class PracticeHours(TenantModel):
    """Hours practised in one role or setting over a period, toward the 450."""

    revalidation = models.ForeignKey(
        Revalidation, on_delete=models.CASCADE, related_name="practice_hours"
    )
    starts_on = models.DateField("from")
    ends_on = models.DateField("to")
    hours = models.DecimalField(max_digits=6, decimal_places=1)
    setting = models.CharField("role and setting", max_length=200)

    class Meta:
        ordering = ["starts_on", "id"]
        constraints = [
            models.CheckConstraint(
                condition=Q(ends_on__gte=F("starts_on")), name="practice_hours_ends_after_start"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.hours} hours, {self.setting}"


class RevalidationFeedback(TenantModel):
    """A piece of practice-related feedback (from people in care, colleagues, an appraisal)."""

    revalidation = models.ForeignKey(
        Revalidation, on_delete=models.CASCADE, related_name="feedback"
    )
    received_on = models.DateField()
    source = models.CharField("from whom", max_length=200)
    summary = models.TextField("what it said", max_length=TEXT_LIMIT)
    used_for = models.TextField(
        "how I used it to improve my practice", max_length=TEXT_LIMIT, blank=True
    )

    class Meta:
        ordering = ["received_on", "id"]

    def __str__(self) -> str:
        return f"Feedback from {self.source}"


class CodeTheme(models.TextChoices):
    """The four themes of the NMC Code a reflective account relates to."""

    PEOPLE = "people", "Prioritise people"
    PRACTISE = "practise", "Practise effectively"
    SAFETY = "safety", "Preserve safety"
    TRUST = "trust", "Promote professionalism and trust"


class ReflectiveAccount(TenantModel):
    """A written reflective account on a piece of CPD, feedback or an event, and the Code."""

    revalidation = models.ForeignKey(
        Revalidation, on_delete=models.CASCADE, related_name="reflective_accounts"
    )
    written_on = models.DateField()
    experience = models.TextField("what the CPD, feedback or event was", max_length=TEXT_LIMIT)
    learnt = models.TextField("what I learnt", max_length=TEXT_LIMIT)
    changed = models.TextField("how I changed or improved my practice", max_length=TEXT_LIMIT)
    code_theme = models.CharField("the Code", max_length=20, choices=CodeTheme.choices)

    class Meta:
        ordering = ["written_on", "id"]

    def __str__(self) -> str:
        return f"Reflective account, {self.written_on:%-d %B %Y}"


class ReflectiveDiscussion(TenantModel):
    """The reflective discussion with another NMC registrant, as the NMC's form records it."""

    revalidation = models.ForeignKey(
        Revalidation, on_delete=models.CASCADE, related_name="discussions"
    )
    held_on = models.DateField("date of the discussion")
    partner_name = models.CharField("the partner's name", max_length=200)
    partner_pin = models.CharField("the partner's NMC PIN", max_length=20)
    partner_email = models.EmailField("the partner's email", blank=True)
    partner_address = models.CharField(
        "the partner's professional address", max_length=300, blank=True
    )
    partner_signed_on = models.DateField("signed by the partner on", null=True, blank=True)

    class Meta:
        ordering = ["held_on", "id"]

    def __str__(self) -> str:
        return f"Reflective discussion with {self.partner_name}"


class ReminderKind(models.TextChoices):
    CPD = "cpd", "CPD behind for the registration year"
    REVALIDATION = "revalidation", "Revalidation due soon"


class DevelopmentReminder(TenantModel):
    """A reminder sent to a person (a notice in Tandem and an email), once per ``key``: for CPD
    the registration year and the month (one a month while behind), for a revalidation its
    renewal date."""

    person = models.ForeignKey(
        "organisations.Person", on_delete=models.CASCADE, related_name="development_reminders"
    )
    kind = models.CharField(max_length=20, choices=ReminderKind.choices)
    key = models.CharField(max_length=40)
    sent_on = models.DateField()

    class Meta:
        ordering = ["-sent_on", "-id"]
        constraints = [
            models.UniqueConstraint(
                fields=["organisation", "person", "kind", "key"], name="development_reminder_once"
            )
        ]

    def __str__(self) -> str:
        return f"{self.get_kind_display()}: {self.person}, {self.sent_on:%-d %B %Y}"
