"""The tenant, its team hierarchy, its people and who supervises whom."""

from __future__ import annotations

import datetime
from typing import Any, ClassVar

from django.conf import settings
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.db.models import F, Q
from django.utils import timezone
from django.utils.functional import cached_property
from simple_history.models import HistoricalRecords

from tandem.core.models import TenantModel, TenantQuerySet, TenantScopedManager


class Nation(models.TextChoices):
    """Decides the bank holidays of the organisation's working-day calendar."""

    ENGLAND = "england", "England"
    WALES = "wales", "Wales"
    SCOTLAND = "scotland", "Scotland"
    NORTHERN_IRELAND = "northern_ireland", "Northern Ireland"


class Sector(models.TextChoices):
    CHILDREN_SOCIAL_CARE = "children_social_care", "Children's social care"
    ADULT_SOCIAL_CARE = "adult_social_care", "Adult social care"
    HEALTH = "health", "Health"
    CARE_PROVIDER = "care_provider", "Care provider"
    SCHOOL = "school", "School"
    OTHER = "other", "Other"


class PolicyClock(models.TextChoices):
    """Where an NQSW's time in post counts from for the frequency policy: Skills for Care counts
    from the ASYE start, the LGA from the employment start."""

    ASYE_START = "asye_start", "The ASYE start"
    EMPLOYMENT_START = "employment_start", "The employment start"


class ReflectionModel(models.TextChoices):
    """The reflective model a record's case discussions follow (see records.layout)."""

    KOLB_4X4X4 = "kolb_4x4x4", "Morrison's 4x4x4 model (Kolb cycle)"
    SIGNS_OF_SAFETY = "signs_of_safety", "Signs of Safety"
    SEVEN_EYED = "seven_eyed", "Hawkins and Shohet seven-eyed model"


class Organisation(models.Model):
    """The tenant. Every other row in Tandem belongs to exactly one organisation."""

    name = models.CharField(max_length=200)
    nation = models.CharField(max_length=20, choices=Nation.choices, default=Nation.ENGLAND)
    sector = models.CharField(max_length=30, choices=Sector.choices)
    record_deadline_working_days = models.PositiveSmallIntegerField(
        default=10,
        validators=[MinValueValidator(1), MaxValueValidator(60)],
        help_text="Working days after a session by which its record must be shared.",
    )
    policy_clock = models.CharField(
        max_length=20,
        choices=PolicyClock.choices,
        default=PolicyClock.ASYE_START,
        help_text="Where an NQSW's time in post starts, for the frequency policy.",
    )
    agreement_review_months = models.PositiveSmallIntegerField(
        default=12,
        validators=[MinValueValidator(1), MaxValueValidator(36)],
        help_text="Months after both sign by which a supervision agreement is reviewed.",
    )
    reflection_model = models.CharField(
        max_length=30,
        choices=ReflectionModel.choices,
        default=ReflectionModel.KOLB_4X4X4,
        help_text="The reflective model that case discussions in records follow.",
    )
    compliance_from = models.DateField(
        null=True,
        blank=True,
        help_text=(
            "The first day the compliance figures count (sessions before it were not recorded "
            "in Tandem). Empty: the day the organisation was set up."
        ),
    )
    smallest_group = models.PositiveSmallIntegerField(
        default=5,
        validators=[MinValueValidator(5), MaxValueValidator(50)],
        help_text="No figure of feedback or equality data is shown for a smaller group.",
    )
    inspector_access_days = models.PositiveSmallIntegerField(
        default=90,
        validators=[MinValueValidator(1), MaxValueValidator(90)],
        help_text="The longest an inspector's link to an evidence pack may last.",
    )
    created_at = models.DateTimeField(default=timezone.now)

    history = HistoricalRecords()

    class Meta:
        ordering = ["name"]
        constraints = [
            models.UniqueConstraint(fields=["name"], name="organisation_name_unique"),
        ]

    def __str__(self) -> str:
        return self.name


class TeamKind(models.TextChoices):
    DIRECTORATE = "directorate", "Directorate"
    SERVICE = "service", "Service"
    TEAM = "team", "Team"


# A unit's parent must be of a higher kind: directorate > service > team.
ALLOWED_PARENT_KINDS: dict[str, set[str]] = {
    TeamKind.DIRECTORATE: set(),
    TeamKind.SERVICE: {TeamKind.DIRECTORATE},
    TeamKind.TEAM: {TeamKind.SERVICE, TeamKind.DIRECTORATE},
}


class Team(TenantModel):
    """A unit in the hierarchy (directorate > service > team); its manager is in the chain."""

    name = models.CharField(max_length=200)
    kind = models.CharField(max_length=20, choices=TeamKind.choices, default=TeamKind.TEAM)
    parent = models.ForeignKey(
        "self", on_delete=models.PROTECT, null=True, blank=True, related_name="children"
    )
    manager = models.ForeignKey(
        "Person",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="managed_teams",
    )

    history = HistoricalRecords()

    class Meta:
        ordering = ["name"]
        constraints = [
            models.UniqueConstraint(
                fields=["organisation", "parent", "name"], name="team_name_unique_in_parent"
            ),
            models.UniqueConstraint(
                fields=["organisation", "name"],
                condition=Q(parent__isnull=True),
                name="team_root_name_unique",
            ),
        ]
        indexes = [models.Index(fields=["organisation", "name"], name="team_org_name")]

    def __str__(self) -> str:
        return self.name

    @property
    def path(self) -> str:
        """Directorate > service > team, for people who need to know where a team sits."""
        names = []
        unit: Team | None = self
        while unit is not None:
            names.append(unit.name)
            unit = unit.parent
        return " > ".join(reversed(names))


class StaffCategory(models.TextChoices):
    """Decides the frequency policy that applies to a person."""

    REGISTERED_SOCIAL_WORKER = "registered_social_worker", "Registered social worker"
    NQSW_ASYE = "nqsw_asye", "Newly qualified social worker (ASYE)"
    PROBATIONER = "probationer", "Probationer"
    PRACTICE_SUPERVISOR = "practice_supervisor", "Practice supervisor"
    TEAM_MANAGER = "team_manager", "Team manager"
    HEAD_OF_SERVICE = "head_of_service", "Head of service"
    ASSISTANT_DIRECTOR = "assistant_director", "Assistant director"
    TEACHER = "teacher", "Teacher"
    SUPPORT_STAFF = "support_staff", "Support staff"
    CARE_WORKER = "care_worker", "Care worker"
    HOME_CARE_WORKER = "home_care_worker", "Home care worker"
    REGISTERED_MANAGER = "registered_manager", "Registered manager"
    NURSE = "nurse", "Nurse"


class PersonQuerySet(TenantQuerySet):
    def current(self) -> PersonQuerySet:
        """People still in post today."""
        today = timezone.localdate()
        return self.filter(Q(left_on__isnull=True) | Q(left_on__gte=today))


PersonManager = TenantScopedManager.from_queryset(PersonQuerySet)


class Person(TenantModel):
    """A member of staff: the login plus what HR knows about their job."""

    user = models.OneToOneField(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="person"
    )
    staff_number = models.CharField(max_length=40)
    first_name = models.CharField(max_length=100)
    last_name = models.CharField(max_length=100)
    job_title = models.CharField(max_length=200, blank=True)
    staff_category = models.CharField(max_length=40, choices=StaffCategory.choices)
    team = models.ForeignKey(
        Team, on_delete=models.SET_NULL, null=True, blank=True, related_name="members"
    )
    employment_start = models.DateField(null=True, blank=True)
    asye_start = models.DateField("ASYE start", null=True, blank=True)
    asye_end = models.DateField("ASYE end", null=True, blank=True)
    probation_end = models.DateField(null=True, blank=True)
    registration_number = models.CharField(
        "professional registration number", max_length=40, blank=True
    )
    left_on = models.DateField(null=True, blank=True)

    objects: ClassVar[models.Manager[Any]] = PersonManager()  # type: ignore[assignment]  # a narrower TenantManager
    history = HistoricalRecords()

    class Meta:
        ordering = ["last_name", "first_name"]
        verbose_name_plural = "people"
        constraints = [
            models.UniqueConstraint(
                fields=["organisation", "staff_number"], name="person_staff_number_unique"
            ),
        ]
        indexes = [
            models.Index(
                fields=["organisation", "last_name", "first_name"], name="person_org_name"
            ),
            models.Index(fields=["organisation", "team"], name="person_org_team"),
        ]

    def __str__(self) -> str:
        return self.full_name

    @property
    def full_name(self) -> str:
        return f"{self.first_name} {self.last_name}"

    @property
    def email(self) -> str:
        return self.user.email

    @property
    def has_left(self) -> bool:
        return self.left_on is not None and self.left_on < timezone.localdate()

    @cached_property
    def granted_roles(self) -> frozenset[str]:
        """Explicit grants (admin, HR, senior leader), read once per request."""
        return frozenset(self.role_grants.values_list("role", flat=True))


class SupervisionKind(models.TextChoices):
    LINE = "line", "Line management supervision"
    PROFESSIONAL = "professional", "Professional supervision"
    CLINICAL = "clinical", "Clinical supervision"


class RelationshipQuerySet(TenantQuerySet):
    def current(self, on: datetime.date | None = None) -> RelationshipQuerySet:
        day = on or timezone.localdate()
        return self.filter(starts_on__lte=day).filter(Q(ends_on__isnull=True) | Q(ends_on__gte=day))


RelationshipManager = TenantScopedManager.from_queryset(RelationshipQuerySet)


class SupervisionRelationship(TenantModel):
    """Who supervises whom, of which kind, from and to when. Ended, never deleted."""

    supervisee = models.ForeignKey(
        Person, on_delete=models.PROTECT, related_name="supervisor_relationships"
    )
    supervisor = models.ForeignKey(
        Person, on_delete=models.PROTECT, related_name="supervisee_relationships"
    )
    kind = models.CharField(max_length=20, choices=SupervisionKind.choices, default="line")
    starts_on = models.DateField()
    ends_on = models.DateField(null=True, blank=True, help_text="The last day, inclusive.")

    objects: ClassVar[models.Manager[Any]] = RelationshipManager()  # type: ignore[assignment]  # a narrower TenantManager
    history = HistoricalRecords()

    class Meta:
        ordering = ["-starts_on", "-id"]
        constraints = [
            models.CheckConstraint(
                condition=~Q(supervisee=F("supervisor")), name="relationship_not_self"
            ),
            models.CheckConstraint(
                condition=Q(ends_on__isnull=True) | Q(ends_on__gte=F("starts_on")),
                name="relationship_ends_after_start",
            ),
            models.UniqueConstraint(
                fields=["organisation", "supervisee", "kind"],
                condition=Q(ends_on__isnull=True),
                name="relationship_one_open_per_kind",
            ),
        ]
        indexes = [
            models.Index(
                fields=["organisation", "supervisor", "ends_on"], name="rel_org_supervisor"
            ),
            models.Index(
                fields=["organisation", "supervisee", "ends_on"], name="rel_org_supervisee"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.supervisor} supervises {self.supervisee} ({self.get_kind_display()})"

    def is_current(self, on: datetime.date | None = None) -> bool:
        day = on or timezone.localdate()
        return self.starts_on <= day and (self.ends_on is None or self.ends_on >= day)


class Role(models.TextChoices):
    """Explicit grants. Supervisor and supervisee follow from relationships instead."""

    ADMIN = "admin", "Organisation admin"
    HR = "hr", "HR"
    SENIOR_LEADER = "senior_leader", "Senior leader"
    AUDITOR = "auditor", "Practice auditor"


class RoleGrant(TenantModel):
    person = models.ForeignKey(Person, on_delete=models.CASCADE, related_name="role_grants")
    role = models.CharField(max_length=20, choices=Role.choices)
    granted_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    granted_at = models.DateTimeField(default=timezone.now)

    history = HistoricalRecords()

    class Meta:
        ordering = ["role"]
        constraints = [
            models.UniqueConstraint(
                fields=["organisation", "person", "role"], name="role_grant_unique"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.person}: {self.get_role_display()}"


class Invitation(TenantModel):
    """An email inviting someone added to Tandem to set their password: a link that works
    once, until it expires. Only a hash of its token is kept; sending another withdraws it."""

    person = models.ForeignKey(Person, on_delete=models.CASCADE, related_name="invitations")
    token_hash = models.CharField(max_length=64, unique=True)
    sent_at = models.DateTimeField(default=timezone.now)
    expires_at = models.DateTimeField()
    used_at = models.DateTimeField(null=True, blank=True)
    withdrawn_at = models.DateTimeField(null=True, blank=True)
    sent_by = models.ForeignKey(
        Person, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )

    class Meta:
        ordering = ["-sent_at", "-id"]
        indexes = [models.Index(fields=["organisation", "person"], name="invitation_person")]

    def __str__(self) -> str:
        return f"Invitation for {self.person} of {self.sent_at:%Y-%m-%d}"

    def is_usable(self, now: datetime.datetime | None = None) -> bool:
        now = now or timezone.now()
        return self.used_at is None and self.withdrawn_at is None and self.expires_at > now
