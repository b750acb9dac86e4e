"""Base pieces every Tandem app builds on: the user, tenancy and the audit trail."""

from __future__ import annotations

from typing import Any, ClassVar, Self

from django.conf import settings
from django.contrib.auth.models import AbstractBaseUser, BaseUserManager, PermissionsMixin
from django.db import models
from django.utils import timezone
from django_scopes.manager import DisabledQuerySet
from django_scopes.state import get_scope


class UserManager(BaseUserManager["User"]):
    use_in_migrations = True

    def create_user(self, email: str, password: str | None = None, **extra: Any) -> User:
        if not email:
            raise ValueError("An email address is required.")
        user = self.model(email=self.normalize_email(email).lower(), **extra)
        if password:
            user.set_password(password)
        else:
            user.set_unusable_password()
        user.save(using=self._db)
        return user

    def create_superuser(self, email: str, password: str | None = None, **extra: Any) -> User:
        extra.setdefault("is_staff", True)
        extra.setdefault("is_superuser", True)
        return self.create_user(email, password, **extra)


class User(AbstractBaseUser, PermissionsMixin):
    """A login. What the person does at work lives on ``organisations.Person``."""

    email = models.EmailField("email address", unique=True)
    is_active = models.BooleanField(default=True)
    is_staff = models.BooleanField(default=False)
    date_joined = models.DateTimeField(default=timezone.now)

    objects: ClassVar[UserManager] = UserManager()

    USERNAME_FIELD = "email"
    EMAIL_FIELD = "email"
    REQUIRED_FIELDS: ClassVar[list[str]] = []

    class Meta:
        ordering = ["email"]

    def __str__(self) -> str:
        return self.email


class TenantQuerySet(models.QuerySet):
    """The one place where rows are scoped to an organisation."""

    def for_organisation(self, organisation: models.Model | int) -> Self:
        organisation_id = organisation if isinstance(organisation, int) else organisation.pk
        return self.filter(organisation_id=organisation_id)


class TenantScopedManager(models.Manager[Any]):
    """Every query inside the open organisation scope, and none outside one (core/scoping.py).

    ``shared_rows``: the rows with no organisation (the built-in templates) are in every
    organisation's scope too.
    """

    shared_rows: ClassVar[bool] = False

    def get_queryset(self) -> Any:
        queryset = super().get_queryset()
        scope = get_scope()
        if not scope.get("_enabled", True):
            return queryset
        organisation_id = scope.get("organisation")
        if organisation_id is None:
            return _refusing(queryset)
        if self.shared_rows:
            return queryset.filter(
                models.Q(organisation_id=organisation_id) | models.Q(organisation__isnull=True)
            )
        return queryset.filter(organisation_id=organisation_id)


class RefusingQuerySet(DisabledQuerySet):
    """django-scopes' refusal, with the reads it leaves open closed too."""

    exists = DisabledQuerySet.error
    in_bulk = DisabledQuerySet.error
    contains = DisabledQuerySet.error
    explain = DisabledQuerySet.error
    exclude = DisabledQuerySet.error
    select_related = DisabledQuerySet.error
    prefetch_related = DisabledQuerySet.error
    distinct = DisabledQuerySet.error
    defer = DisabledQuerySet.error
    alias = DisabledQuerySet.error
    extra = DisabledQuerySet.error
    bulk_update = DisabledQuerySet.error


# Every tenant model's manager is this or is made from it (``TenantManager.from_queryset``).
TenantManager = TenantScopedManager.from_queryset(TenantQuerySet)

_REFUSING: dict[type, type] = {}


def _refusing(queryset: models.QuerySet) -> Any:
    """The queryset of a query made with no organisation scope: any use raises ScopeError,
    with its own methods (``current()``, ``for_organisation()``) there to be refused too."""
    kind = type(queryset)
    if kind not in _REFUSING:
        _REFUSING[kind] = type(f"Refusing{kind.__name__}", (RefusingQuerySet, kind), {})
    return _REFUSING[kind](
        model=queryset.model,
        using=queryset.db,
        hints=queryset._hints,  # type: ignore[attr-defined]
        missing_scopes=["organisation"],
    )


class TenantModel(models.Model):
    """A row that belongs to one organisation, carried on the row itself, children included (a
    signature carries its organisation as its agreement does), so that every tenant query, and
    PostgreSQL's row-level security, can scope a table by its own column (docs/decisions/0002).
    A model may make the column optional only for a reason listed in ``ORGANISATION_OPTIONAL``.
    """

    organisation = models.ForeignKey(
        "organisations.Organisation", on_delete=models.CASCADE, related_name="+"
    )

    objects: ClassVar[models.Manager[Any]] = TenantManager()

    class Meta:
        abstract = True


# Every model of Tandem's apps is a TenantModel, or is here with the reason it has no organisation
# (tests/test_tenancy.py holds every model, a new one included, to this).
SHARED_ON_PURPOSE = {
    "core.User": "a login: what the person does at work, and where, is on their Person",
    "organisations.Organisation": "the tenant itself",
}
# Tenant models whose organisation may be empty, and when it is.
ORGANISATION_OPTIONAL = {
    "core.AuditEvent": "events before anyone's organisation is known (a sign-in refused)",
    "agreements.AgreementTemplate": "the built-in templates, which every organisation shares",
    "agreements.AgreementTemplateVersion": "the built-in templates' versions, as their template",
}


class AuditEvent(TenantModel):
    """Who did or saw what, when. Written by services in the same transaction as the change."""

    organisation = models.ForeignKey(  # type: ignore[assignment]  # may be empty (ORGANISATION_OPTIONAL)
        "organisations.Organisation",
        on_delete=models.CASCADE,
        related_name="audit_events",
        null=True,
        blank=True,
    )
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True
    )
    action = models.CharField(max_length=80)
    object_type = models.CharField(max_length=80, blank=True)
    object_id = models.CharField(max_length=64, blank=True)
    summary = models.CharField(max_length=300, blank=True)
    detail = models.JSONField(default=dict, blank=True)
    at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["-at", "-id"]
        indexes = [
            models.Index(fields=["organisation", "-at"], name="audit_org_at"),
            models.Index(fields=["organisation", "object_type", "object_id"], name="audit_org_obj"),
        ]

    def __str__(self) -> str:
        return f"{self.at:%Y-%m-%d %H:%M} {self.actor} {self.action} {self.summary}"


class Notice(TenantModel):
    """A message in the app for one person ("Your agreement is due for review"), with a link."""

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="notices"
    )
    text = models.CharField(max_length=300)
    url = models.CharField(max_length=300, blank=True)
    created_at = models.DateTimeField(default=timezone.now)
    read_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-created_at", "-id"]
        indexes = [models.Index(fields=["user", "read_at"], name="notice_user_unread")]

    def __str__(self) -> str:
        return self.text


class ClosureDay(TenantModel):
    """A day the organisation is closed beyond weekends and bank holidays (e.g. between
    Christmas and New Year, a school's training day): not a working day."""

    date = models.DateField()
    reason = models.CharField(max_length=200, blank=True)

    class Meta:
        ordering = ["date"]
        constraints = [
            models.UniqueConstraint(fields=["organisation", "date"], name="closure_day_unique")
        ]

    def __str__(self) -> str:
        return f"{self.date:%Y-%m-%d} {self.reason}"


class TermDate(TenantModel):
    """A school's half term: teaching from ``starts_on`` to ``ends_on``. Half terms with the same
    ``term`` (Autumn, Spring, Summer) make a term, so "each half term" and "each term" have a
    meaning for the schedule."""

    name = models.CharField(max_length=60, help_text="For example, Autumn 1 2026.")
    term = models.CharField(max_length=60, help_text="For example, Autumn 2026.")
    starts_on = models.DateField()
    ends_on = models.DateField()

    class Meta:
        ordering = ["starts_on"]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(ends_on__gte=models.F("starts_on")), name="term_ends_after_start"
            ),
            models.UniqueConstraint(fields=["organisation", "starts_on"], name="term_start_unique"),
        ]

    def __str__(self) -> str:
        return f"{self.name} ({self.starts_on:%-d %b} to {self.ends_on:%-d %b %Y})"
