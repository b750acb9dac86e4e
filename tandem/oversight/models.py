"""Oversight: the windows in which each person needs a session (the policy, materialised so the
compliance figures can be computed in the database), the supervisee's feedback on sessions, and
inspection evidence packs with their time-limited inspector access.
"""

from __future__ import annotations

from django.db import models
from django.db.models import Q
from django.utils import timezone

from tandem.core.models import TenantModel


class DueWindow(TenantModel):
    """From ``starts_on`` to ``ends_on`` (both included) this person needs at least one one-to-one
    or ad hoc session of at least ``min_minutes`` (None: any length).

    The windows are the frequency policy as it stood on each date (``meetings.requirements``),
    written down: windows that have ended are never rewritten, so a later change of policy,
    category or agreement does not change what was required in the past. ``starts_at`` and
    ``ends_at`` are the same days as instants in the organisation's time zone (``ends_at`` is the
    midnight after ``ends_on``), so a session's time compares with them directly.
    """

    person = models.ForeignKey(
        "organisations.Person", on_delete=models.CASCADE, related_name="due_windows"
    )
    starts_on = models.DateField()
    ends_on = models.DateField()
    starts_at = models.DateTimeField()
    ends_at = models.DateTimeField()
    frequency = models.CharField(max_length=20)
    min_minutes = models.PositiveSmallIntegerField(null=True, blank=True)
    staff_category = models.CharField(max_length=40)
    computed_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["person", "starts_on"]
        constraints = [
            models.UniqueConstraint(
                fields=["organisation", "person", "starts_on"], name="due_window_unique"
            ),
            models.CheckConstraint(
                condition=Q(ends_on__gte=models.F("starts_on")), name="due_window_ordered"
            ),
        ]
        indexes = [
            # The dashboards: every window falling due in a period, then per person.
            models.Index(fields=["organisation", "ends_on", "person"], name="due_window_org_end"),
            models.Index(
                fields=["organisation", "person", "ends_on"], name="due_window_org_person"
            ),
            # The window a session was held in (for its minimum length then).
            models.Index(fields=["person", "starts_at"], name="due_window_person_start"),
        ]

    def __str__(self) -> str:
        return f"{self.person_id}: a session {self.starts_on} to {self.ends_on}"


class Answer(models.IntegerChoices):
    """A four-point scale, no middle: the feedback form's answers."""

    NO = 1, "No"
    NOT_REALLY = 2, "Not really"
    MOSTLY = 3, "Mostly"
    YES = 4, "Yes"


# An answer of at least this counts as agreeing in the figures.
AGREES = Answer.MOSTLY
# Groups with fewer responses than this are never shown (people could be recognised).
SMALL_GROUP = 5


class SessionFeedback(TenantModel):
    """The supervisee's view of one held session. Only they ever see it one by one; everyone
    else sees counts over at least ``SMALL_GROUP`` responses."""

    session = models.OneToOneField(
        "meetings.Session", on_delete=models.CASCADE, related_name="feedback"
    )
    person = models.ForeignKey(
        "organisations.Person", on_delete=models.CASCADE, related_name="session_feedback"
    )
    # The team the person was in when they answered (teams change; the answer stays with it).
    team = models.ForeignKey(
        "organisations.Team", on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    held_on = models.DateField()
    useful = models.PositiveSmallIntegerField(choices=Answer.choices)
    time_to_reflect = models.PositiveSmallIntegerField(choices=Answer.choices)
    felt_supported = models.PositiveSmallIntegerField(choices=Answer.choices)
    submitted_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["-held_on", "-id"]
        indexes = [
            models.Index(fields=["organisation", "held_on"], name="feedback_org_held"),
            models.Index(fields=["organisation", "team", "held_on"], name="feedback_org_team"),
        ]

    def __str__(self) -> str:
        return f"Feedback on session {self.session_id}"


class SampleChoice(models.TextChoices):
    RANDOM = "random", "At random"
    CHOSEN = "chosen", "Chosen by the inspector"


class EvidencePack(TenantModel):
    """Inspection evidence for a unit (team, service or directorate; None for the whole
    organisation) over a period: the figures, the policy in force and a sample of records
    without their welfare sections. The figures are computed when the pack is made and kept,
    so the pack says what it said on the day."""

    unit = models.ForeignKey(
        "organisations.Team", on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    title = models.CharField(max_length=200)
    inspectorate = models.CharField(max_length=80, blank=True, help_text="E.g. Ofsted, CQC.")
    starts_on = models.DateField()
    ends_on = models.DateField()
    sample = models.CharField(max_length=10, choices=SampleChoice.choices)
    sample_size = models.PositiveSmallIntegerField(default=10)
    seed = models.PositiveIntegerField(default=0)
    records = models.ManyToManyField("records.Record", blank=True, related_name="+")
    figures = models.JSONField(default=dict)
    created_by = models.ForeignKey(
        "organisations.Person", on_delete=models.PROTECT, related_name="+"
    )
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["-created_at", "-id"]
        indexes = [models.Index(fields=["organisation", "created_at"], name="pack_org_created")]

    def __str__(self) -> str:
        return self.title


class InspectorAccess(TenantModel):
    """A read-only link to one pack for one inspector, until the end of ``expires_on``. Only a
    hash of its token is kept; revoking it ends it at once."""

    pack = models.ForeignKey(EvidencePack, on_delete=models.CASCADE, related_name="accesses")
    name = models.CharField(max_length=200)
    email = models.EmailField()
    token_hash = models.CharField(max_length=64, unique=True)
    expires_on = models.DateField()
    granted_by = models.ForeignKey(
        "organisations.Person", on_delete=models.PROTECT, related_name="+"
    )
    granted_at = models.DateTimeField(default=timezone.now)
    revoked_at = models.DateTimeField(null=True, blank=True)
    last_used_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-granted_at", "-id"]

    def __str__(self) -> str:
        return f"{self.name} ({self.email}) until {self.expires_on}"

    def is_live(self, today: object = None) -> bool:
        day = today or timezone.localdate()
        return self.revoked_at is None and day <= self.expires_on  # type: ignore[operator]


class StaleWindows(TenantModel):
    """People whose windows must be rewritten once the change that made them stale commits.
    Written in the change's own transaction (oversight/signals.py), so that a change rolled
    back leaves nothing to do; taken, and turned into one task per organisation, on commit."""

    # None: everyone in the organisation (a frequency rule or the organisation changed).
    person_ids = models.JSONField(null=True, blank=True)
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        verbose_name_plural = "stale windows"

    def __str__(self) -> str:
        return f"{self.organisation_id}: {self.person_ids or 'everyone'}"
