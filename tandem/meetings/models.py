"""Supervision sessions: scheduled, held, cancelled and re-booked; their shared agenda; personal
calendar feeds; and the reminders sent about them (once each, whatever happens to the worker).
"""

from __future__ import annotations

import datetime
from typing import Any, ClassVar

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils import timezone

from tandem.core.models import TenantModel, TenantQuerySet, TenantScopedManager


class SessionKind(models.TextChoices):
    ONE_TO_ONE = "one_to_one", "One to one"
    GROUP = "group", "Group supervision"
    AD_HOC = "ad_hoc", "Ad hoc"


class SessionStatus(models.TextChoices):
    SCHEDULED = "scheduled", "Scheduled"
    HELD = "held", "Held"
    CANCELLED = "cancelled", "Cancelled"


class CancelReason(models.TextChoices):
    ILLNESS = "illness", "Illness"
    CRISIS = "crisis", "A crisis"
    SAFEGUARDING = "safeguarding", "A safeguarding priority"
    LEAVE = "leave", "Leave"
    OTHER = "other", "Other"


class SessionQuerySet(TenantQuerySet):
    def of_person(self, person: Any) -> SessionQuerySet:
        """Sessions this person takes part in, on either side or as a group member."""
        return self.filter(
            Q(supervisor=person) | Q(supervisee=person) | Q(members=person)
        ).distinct()

    def upcoming(self, now: datetime.datetime | None = None) -> SessionQuerySet:
        return self.filter(status=SessionStatus.SCHEDULED, starts_at__gte=now or timezone.now())


SessionManager = TenantScopedManager.from_queryset(SessionQuerySet)


class Session(TenantModel):
    """One supervision session. One to one and ad hoc sessions have a supervisee; a group
    session has members instead (group reflective supervision, an action learning set)."""

    kind = models.CharField(max_length=20, choices=SessionKind.choices, default="one_to_one")
    supervisor = models.ForeignKey(
        "organisations.Person", on_delete=models.PROTECT, related_name="sessions_led"
    )
    supervisee = models.ForeignKey(
        "organisations.Person",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="sessions_received",
    )
    members = models.ManyToManyField(
        "organisations.Person", blank=True, related_name="group_sessions"
    )
    title = models.CharField(max_length=200, blank=True, help_text="For group sessions.")
    agreement = models.ForeignKey(
        "agreements.Agreement",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="sessions",
    )
    starts_at = models.DateTimeField()
    duration_minutes = models.PositiveSmallIntegerField()
    location = models.CharField(max_length=300, blank=True)
    status = models.CharField(
        max_length=20, choices=SessionStatus.choices, default=SessionStatus.SCHEDULED
    )
    # From the 12-month schedule (proposed by Tandem) rather than booked by hand.
    from_schedule = models.BooleanField(default=False)
    # Cancellation: who, when, why; and by when it must be re-booked (the agreement's rule).
    cancelled_by = models.ForeignKey(
        "organisations.Person", on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    cancelled_at = models.DateTimeField(null=True, blank=True)
    cancel_reason = models.CharField(max_length=20, choices=CancelReason.choices, blank=True)
    cancel_note = models.TextField(blank=True)
    rebook_by = models.DateField(null=True, blank=True)
    rebooked_from = models.OneToOneField(
        "self", on_delete=models.SET_NULL, null=True, blank=True, related_name="rebooked_as"
    )
    # A held session: when it really started and how long it lasted.
    held_started_at = models.DateTimeField(null=True, blank=True)
    held_minutes = models.PositiveSmallIntegerField(null=True, blank=True)
    created_at = models.DateTimeField(default=timezone.now)
    created_by = models.ForeignKey(
        "organisations.Person", on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )

    objects: ClassVar[models.Manager[Any]] = SessionManager()  # type: ignore[assignment]  # a narrower TenantManager

    class Meta:
        ordering = ["starts_at", "id"]
        constraints = [
            models.CheckConstraint(
                condition=Q(duration_minutes__gt=0), name="session_duration_positive"
            ),
            models.CheckConstraint(
                condition=~Q(supervisee=models.F("supervisor")), name="session_not_self"
            ),
        ]
        indexes = [
            models.Index(
                fields=["organisation", "supervisor", "starts_at"], name="session_org_sup"
            ),
            models.Index(
                fields=["organisation", "supervisee", "starts_at"], name="session_org_see"
            ),
            models.Index(fields=["organisation", "status", "starts_at"], name="session_org_status"),
            # Oversight: "was there a held session of this length in this window?", probed
            # once per window, answered from the index alone.
            models.Index(
                fields=["supervisee", "held_started_at", "held_minutes"],
                condition=Q(status="held", kind__in=["one_to_one", "ad_hoc"]),
                name="session_held_see",
            ),
            # Oversight: the sessions held, and the cancellations to re-book, in a period.
            models.Index(
                fields=["organisation", "held_started_at"],
                condition=Q(status="held"),
                name="session_org_held_at",
            ),
            models.Index(
                fields=["organisation", "rebook_by"],
                condition=Q(status="cancelled"),
                name="session_org_rebook",
            ),
        ]

    def __str__(self) -> str:
        who = self.title or (self.supervisee.full_name if self.supervisee else "")
        return f"Supervision {who} {self.starts_at:%Y-%m-%d %H:%M}"

    @property
    def ends_at(self) -> datetime.datetime:
        return self.starts_at + datetime.timedelta(minutes=self.duration_minutes)


class SupervisionFunction(models.TextChoices):
    """Morrison's four functions of supervision: tagging items shows the balance."""

    MANAGEMENT = "management", "Management"
    DEVELOPMENT = "development", "Development"
    SUPPORT = "support", "Support"
    MEDIATION = "mediation", "Mediation"


class Priority(models.TextChoices):
    HIGH = "high", "High"
    MEDIUM = "medium", "Medium"
    LOW = "low", "Low"


class AgendaItem(TenantModel):
    session = models.ForeignKey(Session, on_delete=models.CASCADE, related_name="agenda")
    added_by = models.ForeignKey("organisations.Person", on_delete=models.PROTECT, related_name="+")
    title = models.CharField(max_length=200)
    detail = models.TextField(blank=True)
    priority = models.CharField(max_length=10, choices=Priority.choices, default="medium")
    minutes = models.PositiveSmallIntegerField(default=10)
    function = models.CharField(max_length=20, choices=SupervisionFunction.choices)
    # Carried in from an earlier session because it was not finished there.
    carried_from = models.ForeignKey(
        "self", on_delete=models.SET_NULL, null=True, blank=True, related_name="carried_to"
    )
    done = models.BooleanField(default=False)
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["session", "created_at", "id"]

    def __str__(self) -> str:
        return self.title


class CalendarFeed(TenantModel):
    """A person's secret calendar address, for Outlook or Google Calendar to subscribe to. Only
    a hash of its token is kept; revoking it stops the feed at once."""

    person = models.ForeignKey(
        "organisations.Person", on_delete=models.CASCADE, related_name="calendar_feeds"
    )
    token_hash = models.CharField(max_length=64, unique=True)
    created_at = models.DateTimeField(default=timezone.now)
    revoked_at = models.DateTimeField(null=True, blank=True)
    last_fetched_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-created_at"]

    def __str__(self) -> str:
        return f"Calendar feed of {self.person}"


class ReminderKind(models.TextChoices):
    PREPARE = "prepare", "Prepare for your session"
    TOMORROW = "tomorrow", "Session tomorrow"
    OVERDUE = "overdue", "Session overdue"
    REBOOK = "rebook", "Cancelled session not re-booked"


class Reminder(TenantModel):
    """One reminder to one person about one session: written before it is sent, marked when it
    is sent. The unique constraint is what makes sending idempotent."""

    session = models.ForeignKey(Session, on_delete=models.CASCADE, related_name="reminders")
    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+")
    kind = models.CharField(max_length=20, choices=ReminderKind.choices)
    due_at = models.DateTimeField()
    sent_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["due_at"]
        constraints = [
            models.UniqueConstraint(
                fields=["session", "user", "kind"], name="one_reminder_per_kind"
            )
        ]
        indexes = [models.Index(fields=["sent_at", "due_at"], name="reminder_unsent")]

    def __str__(self) -> str:
        return f"{self.get_kind_display()} to {self.user} for {self.session}"
