"""Supervision records: what was discussed in a held session, agreed and signed by both.

A record's words live in ``RecordVersion`` rows, one per save, never changed and never deleted:
"every version is kept". The welfare section is kept apart from the rest (its own column), so a
reader without the right to it never has it loaded. Once both have signed the same version the
record is signed and never changes again: the model and its queryset refuse, below any page or
API (``ImmutableRecordError``); corrections are addenda, signed in turn, and a disagreement sits
beside the record with its resolution.

Case discussions and actions are written in the version's content; on each save they are copied
into their own rows (``CaseDiscussion``, ``Action``) so decisions can be exported per case and
actions followed up. An action's progress (open, done) is follow-up, not the record: it changes
after signing and is audited.
"""

from __future__ import annotations

from typing import Any, ClassVar

from django.db import models
from django.utils import timezone

from tandem.core.dates import long_date
from tandem.core.models import TenantModel, TenantQuerySet, TenantScopedManager


class ImmutableRecordError(Exception):
    """Raised when anything tries to change a signed record, or any saved version."""


class RecordStatus(models.TextChoices):
    DRAFT = "draft", "Draft"
    SHARED = "shared", "Shared, awaiting signatures"
    SIGNED = "signed", "Agreed and signed by both"


class RecordQuerySet(TenantQuerySet):
    def update(self, **kwargs: Any) -> int:
        if self.filter(status=RecordStatus.SIGNED).exists():
            raise ImmutableRecordError("A signed record never changes: write an addendum.")
        return super().update(**kwargs)

    def delete(self) -> tuple[int, dict[str, int]]:
        if self.filter(status=RecordStatus.SIGNED).exists():
            raise ImmutableRecordError("A signed record is never deleted.")
        return super().delete()


RecordManager = TenantScopedManager.from_queryset(RecordQuerySet)


class Record(TenantModel):
    """The record of one held session between a supervisor and a supervisee."""

    session = models.OneToOneField(
        "meetings.Session", on_delete=models.PROTECT, related_name="record"
    )
    supervisor = models.ForeignKey(
        "organisations.Person", on_delete=models.PROTECT, related_name="records_led"
    )
    supervisee = models.ForeignKey(
        "organisations.Person", on_delete=models.PROTECT, related_name="records_received"
    )
    agreement = models.ForeignKey(
        "agreements.Agreement",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="records",
    )
    # The sections the record is laid out in, copied from the layout when it was started, and
    # the reflective model its case discussions use (frameworks change; records keep theirs).
    layout = models.JSONField()
    held_on = models.DateField()
    status = models.CharField(
        max_length=20, choices=RecordStatus.choices, default=RecordStatus.DRAFT
    )
    # The latest version's number: the optimistic lock. A save names the number it started from.
    version_number = models.PositiveIntegerField(default=0)
    due_on = models.DateField(help_text="The last day to share it: N working days after.")
    shared_at = models.DateTimeField(null=True, blank=True)
    shared_by = models.ForeignKey(
        "organisations.Person", on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    signed_at = models.DateTimeField(null=True, blank=True, help_text="When both had signed.")
    overdue_notified_on = models.DateField(null=True, blank=True)
    created_at = models.DateTimeField(default=timezone.now)

    objects: ClassVar[models.Manager[Any]] = RecordManager()  # type: ignore[assignment]  # a narrower TenantManager

    class Meta:
        ordering = ["-held_on", "-id"]
        indexes = [
            models.Index(fields=["organisation", "supervisee", "held_on"], name="record_org_see"),
            models.Index(fields=["organisation", "supervisor", "held_on"], name="record_org_sup"),
            models.Index(fields=["organisation", "status", "due_on"], name="record_org_status"),
            # Oversight: every record of sessions held in a period.
            models.Index(fields=["organisation", "held_on"], name="record_org_held"),
        ]

    def __str__(self) -> str:
        return f"Supervision record: {self.supervisee} on {long_date(self.held_on)}"

    def save(self, *args: Any, **kwargs: Any) -> None:
        if self.pk is not None:
            stored = Record.objects.filter(pk=self.pk).values_list("status", flat=True).first()
            if stored == RecordStatus.SIGNED:
                raise ImmutableRecordError("A signed record never changes: write an addendum.")
        super().save(*args, **kwargs)

    def delete(self, *args: Any, **kwargs: Any) -> tuple[int, dict[str, int]]:
        if Record.objects.filter(pk=self.pk, status=RecordStatus.SIGNED).exists():
            raise ImmutableRecordError("A signed record is never deleted.")
        return super().delete(*args, **kwargs)

    @property
    def is_signed(self) -> bool:
        return self.status == RecordStatus.SIGNED

    @property
    def is_overdue(self) -> bool:
        """Not shared by its due date."""
        if self.shared_at is not None:
            return timezone.localdate(self.shared_at) > self.due_on
        return timezone.localdate() > self.due_on

    @property
    def shared_on_time(self) -> bool | None:
        if self.shared_at is None:
            return None
        return timezone.localdate(self.shared_at) <= self.due_on


class AppendOnlyQuerySet(TenantQuerySet):
    """Rows written once and kept: saved versions and signatures. (Deleting a draft record, or an
    organisation, still removes its rows: Django's cascade does not go through this queryset.)"""

    def update(self, **kwargs: Any) -> int:
        raise ImmutableRecordError("Saved versions of a record never change.")

    def delete(self) -> tuple[int, dict[str, int]]:
        raise ImmutableRecordError("Every version of a record, and every signature, is kept.")


AppendOnlyManager = TenantScopedManager.from_queryset(AppendOnlyQuerySet)


class RecordVersion(TenantModel):
    """The record's words at one save. Written once, never changed."""

    record = models.ForeignKey(Record, on_delete=models.CASCADE, related_name="versions")
    number = models.PositiveIntegerField()
    # {"sections": {key: text}, "agenda": {item id: notes}, "cases": [...], "actions": [...]}
    content = models.JSONField(default=dict)
    # The welfare and support section, apart: special-category data (UK GDPR art. 9).
    welfare = models.TextField(blank=True)
    content_hash = models.CharField(max_length=64)
    saved_by = models.ForeignKey("organisations.Person", on_delete=models.PROTECT, related_name="+")
    saved_at = models.DateTimeField(default=timezone.now)

    objects: ClassVar[models.Manager[Any]] = AppendOnlyManager()  # type: ignore[assignment]  # a narrower TenantManager

    class Meta:
        ordering = ["record", "-number"]
        constraints = [
            models.UniqueConstraint(fields=["record", "number"], name="record_version_unique")
        ]

    def __str__(self) -> str:
        return f"{self.record} v{self.number}"

    def save(self, *args: Any, **kwargs: Any) -> None:
        if not self._state.adding:
            raise ImmutableRecordError("Saved versions of a record never change.")
        super().save(*args, **kwargs)

    def delete(self, *args: Any, **kwargs: Any) -> tuple[int, dict[str, int]]:
        raise ImmutableRecordError("Every version of a record is kept.")


class SignatureRole(models.TextChoices):
    SUPERVISEE = "supervisee", "Supervisee"
    SUPERVISOR = "supervisor", "Supervisor"


class RecordSignature(TenantModel):
    """One party's signature on one version: who, when, and the hash of what they read."""

    record = models.ForeignKey(Record, on_delete=models.CASCADE, related_name="signatures")
    version = models.ForeignKey(RecordVersion, on_delete=models.PROTECT, related_name="signatures")
    person = models.ForeignKey("organisations.Person", on_delete=models.PROTECT, related_name="+")
    role = models.CharField(max_length=20, choices=SignatureRole.choices)
    content_hash = models.CharField(max_length=64)
    signed_at = models.DateTimeField(default=timezone.now)

    objects: ClassVar[models.Manager[Any]] = AppendOnlyManager()  # type: ignore[assignment]  # a narrower TenantManager

    class Meta:
        ordering = ["signed_at", "id"]
        constraints = [
            models.UniqueConstraint(
                fields=["version", "role"], name="record_one_signature_per_role"
            )
        ]

    def __str__(self) -> str:
        return f"{self.person} signed {self.version} as {self.get_role_display()}"

    def save(self, *args: Any, **kwargs: Any) -> None:
        if not self._state.adding:
            raise ImmutableRecordError("A signature never changes.")
        super().save(*args, **kwargs)

    def delete(self, *args: Any, **kwargs: Any) -> tuple[int, dict[str, int]]:
        raise ImmutableRecordError("A signature is never taken back.")


class CaseDiscussion(TenantModel):
    """A case discussed in supervision, copied from the version's content. No case data beyond
    its reference and a label: the case file lives in the case management system."""

    record = models.ForeignKey(Record, on_delete=models.CASCADE, related_name="case_discussions")
    key = models.CharField(max_length=40)
    position = models.PositiveSmallIntegerField(default=0)
    case_reference = models.CharField(max_length=40)
    label = models.CharField(max_length=80, blank=True)
    discussion = models.TextField(blank=True)
    reflection = models.JSONField(default=dict, blank=True)
    decision = models.TextField(blank=True)
    rationale = models.TextField(blank=True)

    class Meta:
        ordering = ["record", "position"]
        indexes = [
            models.Index(fields=["organisation", "case_reference"], name="case_org_reference")
        ]

    def __str__(self) -> str:
        return f"{self.case_reference} {self.label}".strip()


class ActionStatus(models.TextChoices):
    OPEN = "open", "Open"
    DONE = "done", "Done"
    DROPPED = "dropped", "No longer needed"


class Action(TenantModel):
    """Something someone will do by a date, agreed in supervision. Open actions go on the
    pair's next session's agenda and, once overdue, on both people's home pages."""

    record = models.ForeignKey(Record, on_delete=models.CASCADE, related_name="actions")
    key = models.CharField(max_length=40)
    position = models.PositiveSmallIntegerField(default=0)
    text = models.CharField(max_length=300)
    case_reference = models.CharField(max_length=40, blank=True)
    owner = models.ForeignKey(
        "organisations.Person", on_delete=models.PROTECT, related_name="actions_owned"
    )
    due_on = models.DateField()
    status = models.CharField(max_length=20, choices=ActionStatus.choices, default="open")
    completed_at = models.DateTimeField(null=True, blank=True)
    # The agenda item it was last carried into.
    agenda_item = models.ForeignKey(
        "meetings.AgendaItem", on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )

    class Meta:
        ordering = ["due_on", "position", "id"]
        constraints = [models.UniqueConstraint(fields=["record", "key"], name="action_key_unique")]
        indexes = [
            models.Index(fields=["organisation", "status", "due_on"], name="action_org_status"),
            models.Index(fields=["organisation", "owner", "status"], name="action_org_owner"),
        ]

    def __str__(self) -> str:
        return self.text


class WordsQuerySet(TenantQuerySet):
    """Addenda and disagreements: their words are written once. Bulk updates may touch the rest
    (signatures, status), never the words."""

    words: ClassVar[frozenset[str]] = frozenset()

    def update(self, **kwargs: Any) -> int:
        if self.words & set(kwargs):
            raise ImmutableRecordError("Words written on a record never change: write anew.")
        return super().update(**kwargs)

    def delete(self) -> tuple[int, dict[str, int]]:
        raise ImmutableRecordError("Words written on a record are kept.")


class AddendumQuerySet(WordsQuerySet):
    words = frozenset({"text", "written_by", "written_by_id", "record", "record_id", "number"})


AddendumManager = TenantScopedManager.from_queryset(AddendumQuerySet)


class DisagreementQuerySet(WordsQuerySet):
    words = frozenset(
        {"text", "about", "raised_by", "raised_by_id", "record", "record_id", "resolution", "kind"}
    )


DisagreementManager = TenantScopedManager.from_queryset(DisagreementQuerySet)


class Addendum(TenantModel):
    """A correction or addition to a shared or signed record, written once and signed by both
    in turn. The record itself is untouched."""

    record = models.ForeignKey(Record, on_delete=models.CASCADE, related_name="addenda")
    number = models.PositiveSmallIntegerField()
    text = models.TextField()
    written_by = models.ForeignKey(
        "organisations.Person", on_delete=models.PROTECT, related_name="+"
    )
    written_at = models.DateTimeField(default=timezone.now)
    supervisor_signed_at = models.DateTimeField(null=True, blank=True)
    supervisee_signed_at = models.DateTimeField(null=True, blank=True)

    objects: ClassVar[models.Manager[Any]] = AddendumManager()  # type: ignore[assignment]  # a narrower TenantManager

    class Meta:
        ordering = ["record", "number"]
        constraints = [
            models.UniqueConstraint(fields=["record", "number"], name="addendum_number_unique")
        ]

    def __str__(self) -> str:
        return f"Addendum {self.number} to {self.record}"

    def save(self, *args: Any, **kwargs: Any) -> None:
        if not self._state.adding:
            stored = Addendum.objects.filter(pk=self.pk).values_list("text", flat=True).first()
            if stored is not None and stored != self.text:
                raise ImmutableRecordError("An addendum's words never change: write another.")
        super().save(*args, **kwargs)

    def delete(self, *args: Any, **kwargs: Any) -> tuple[int, dict[str, int]]:
        raise ImmutableRecordError("An addendum is kept: write another to correct it.")

    @property
    def is_signed(self) -> bool:
        return self.supervisor_signed_at is not None and self.supervisee_signed_at is not None


class DisagreementKind(models.TextChoices):
    RECORD = "record", "I disagree with what the record says or decides"
    PRACTICE = "practice", "A concern about the supervisor's supervision practice"


class DisagreementStatus(models.TextChoices):
    OPEN = "open", "Open"
    RESOLVED = "resolved", "Resolved"


class Disagreement(TenantModel):
    """A disagreement beside a record, never in it, routed to the right senior manager from
    the escalation chain, who records the resolution."""

    record = models.ForeignKey(Record, on_delete=models.PROTECT, related_name="disagreements")
    kind = models.CharField(max_length=20, choices=DisagreementKind.choices, default="record")
    raised_by = models.ForeignKey(
        "organisations.Person", on_delete=models.PROTECT, related_name="+"
    )
    raised_at = models.DateTimeField(default=timezone.now)
    about = models.CharField(
        max_length=300, blank=True, help_text="The words or the part of the record it is about."
    )
    text = models.TextField()
    routed_to = models.ForeignKey(
        "organisations.Person",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="disagreements_to_resolve",
    )
    routed_as = models.CharField(max_length=80, blank=True, help_text="E.g. Head of service.")
    routing_reason = models.CharField(max_length=300, blank=True)
    status = models.CharField(max_length=20, choices=DisagreementStatus.choices, default="open")
    resolution = models.TextField(blank=True)
    resolved_by = models.ForeignKey(
        "organisations.Person", on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    resolved_at = models.DateTimeField(null=True, blank=True)

    objects: ClassVar[models.Manager[Any]] = DisagreementManager()  # type: ignore[assignment]  # a narrower TenantManager

    class Meta:
        ordering = ["raised_at", "id"]
        indexes = [
            models.Index(fields=["organisation", "status", "routed_to"], name="disagree_org_open"),
        ]

    def __str__(self) -> str:
        return f"Disagreement on {self.record}"

    def save(self, *args: Any, **kwargs: Any) -> None:
        if not self._state.adding:
            words = ("text", "about", "kind", "raised_by_id", "record_id")
            resolved = ("status", "resolution", "resolved_by_id", "resolved_at")
            stored = Disagreement.objects.filter(pk=self.pk).values(*words, *resolved).first()
            if stored is not None and (
                any(stored[name] != getattr(self, name) for name in words)
                or (
                    stored["status"] == DisagreementStatus.RESOLVED
                    and any(stored[name] != getattr(self, name) for name in resolved)
                )
            ):
                raise ImmutableRecordError("A disagreement and its resolution never change.")
        super().save(*args, **kwargs)

    def delete(self, *args: Any, **kwargs: Any) -> tuple[int, dict[str, int]]:
        raise ImmutableRecordError("A disagreement and its resolution are kept.")


class ViewerScope(models.TextChoices):
    WITHOUT_WELFARE = "without_welfare", "The record without the welfare section"
    CASES = "cases", "Case discussions and decisions only"


class RecordViewer(TenantModel):
    """Someone the agreement names among "others who may see the record", and what they see.
    Never the welfare section."""

    agreement = models.ForeignKey(
        "agreements.Agreement", on_delete=models.CASCADE, related_name="record_viewers"
    )
    person = models.ForeignKey("organisations.Person", on_delete=models.CASCADE, related_name="+")
    scope = models.CharField(
        max_length=20, choices=ViewerScope.choices, default=ViewerScope.WITHOUT_WELFARE
    )
    added_by = models.ForeignKey(
        "organisations.Person", on_delete=models.SET_NULL, null=True, related_name="+"
    )
    added_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["added_at"]
        constraints = [
            models.UniqueConstraint(fields=["agreement", "person"], name="record_viewer_unique")
        ]

    def __str__(self) -> str:
        return f"{self.person} may see {self.get_scope_display().lower()}"


class WelfareAccess(TenantModel):
    """Break-glass: a manager opened a record's welfare section, with a written reason. Shown
    to the supervisee; valid for a short while, then asked again."""

    record = models.ForeignKey(Record, on_delete=models.CASCADE, related_name="welfare_accesses")
    person = models.ForeignKey("organisations.Person", on_delete=models.PROTECT, related_name="+")
    reason = models.TextField()
    opened_at = models.DateTimeField(default=timezone.now)
    expires_at = models.DateTimeField()

    class Meta:
        ordering = ["-opened_at"]
        indexes = [
            models.Index(fields=["record", "person", "expires_at"], name="welfare_access_live"),
        ]

    def __str__(self) -> str:
        return f"{self.person} opened the welfare section of {self.record}"


# Group supervision and action learning sets


class GroupRecordStatus(models.TextChoices):
    DRAFT = "draft", "Draft"
    SHARED = "shared", "Shared with the group"


class GroupRecordQuerySet(TenantQuerySet):
    def update(self, **kwargs: Any) -> int:
        if self.filter(status=GroupRecordStatus.SHARED).exists():
            raise ImmutableRecordError("A shared group record never changes.")
        return super().update(**kwargs)

    def delete(self) -> tuple[int, dict[str, int]]:
        raise ImmutableRecordError("A group record is kept.")


GroupRecordManager = TenantScopedManager.from_queryset(GroupRecordQuerySet)


class GroupRecord(TenantModel):
    """The record of a group supervision session or an action learning set, written by the
    responsible supervisor: who came, the cases discussed with their decisions, what was learnt
    and who will do what. There is no welfare section: welfare is never recorded in a group.
    Once shared it never changes; each attendee acknowledges having read it."""

    session = models.OneToOneField(
        "meetings.Session", on_delete=models.PROTECT, related_name="group_record"
    )
    supervisor = models.ForeignKey(
        "organisations.Person", on_delete=models.PROTECT, related_name="group_records_led"
    )
    held_on = models.DateField()
    learning_points = models.TextField(blank=True)
    status = models.CharField(
        max_length=20, choices=GroupRecordStatus.choices, default=GroupRecordStatus.DRAFT
    )
    shared_at = models.DateTimeField(null=True, blank=True)
    created_at = models.DateTimeField(default=timezone.now)

    objects: ClassVar[models.Manager[Any]] = GroupRecordManager()  # type: ignore[assignment]  # a narrower TenantManager

    class Meta:
        ordering = ["-held_on", "-id"]
        indexes = [
            models.Index(fields=["organisation", "supervisor", "held_on"], name="group_record_sup")
        ]

    def __str__(self) -> str:
        return f"Group supervision record: {self.session.title or 'group'} on {long_date(self.held_on)}"

    @property
    def is_shared(self) -> bool:
        return self.status == GroupRecordStatus.SHARED

    def save(self, *args: Any, **kwargs: Any) -> None:
        if self.pk is not None:
            stored = GroupRecord.objects.filter(pk=self.pk).values_list("status", flat=True).first()
            if stored == GroupRecordStatus.SHARED:
                raise ImmutableRecordError("A shared group record never changes.")
        super().save(*args, **kwargs)

    def delete(self, *args: Any, **kwargs: Any) -> tuple[int, dict[str, int]]:
        raise ImmutableRecordError("A group record is kept.")


class GroupAttendance(TenantModel):
    """One member of the group: present or sent apologies, and when they acknowledged the
    record."""

    record = models.ForeignKey(GroupRecord, on_delete=models.CASCADE, related_name="attendance")
    person = models.ForeignKey(
        "organisations.Person", on_delete=models.PROTECT, related_name="group_attendance"
    )
    present = models.BooleanField(default=True)
    acknowledged_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["record", "person__last_name", "person__first_name"]
        constraints = [
            models.UniqueConstraint(fields=["record", "person"], name="group_attendance_once")
        ]
        indexes = [models.Index(fields=["organisation", "person"], name="group_attendance_person")]

    def __str__(self) -> str:
        return f"{self.person} ({'present' if self.present else 'apologies'})"


class GroupCaseDiscussion(TenantModel):
    """A case discussed in the group: its reference and label only, whose case it is, and the
    decision the responsible supervisor recorded with its rationale."""

    record = models.ForeignKey(GroupRecord, on_delete=models.CASCADE, related_name="cases")
    position = models.PositiveSmallIntegerField(default=0)
    case_reference = models.CharField(max_length=40)
    label = models.CharField(max_length=80, blank=True)
    case_holder = models.ForeignKey(
        "organisations.Person", on_delete=models.PROTECT, related_name="group_cases_held"
    )
    discussion = models.TextField(blank=True)
    decision = models.TextField(blank=True)
    rationale = models.TextField(blank=True)

    class Meta:
        ordering = ["record", "position", "id"]
        indexes = [
            models.Index(fields=["organisation", "case_reference"], name="group_case_reference")
        ]

    def __str__(self) -> str:
        return f"{self.case_reference} {self.label}".strip()


class GroupAction(TenantModel):
    record = models.ForeignKey(GroupRecord, on_delete=models.CASCADE, related_name="actions")
    text = models.CharField(max_length=300)
    owner = models.ForeignKey(
        "organisations.Person", on_delete=models.PROTECT, related_name="group_actions_owned"
    )
    due_on = models.DateField()
    status = models.CharField(max_length=20, choices=ActionStatus.choices, default="open")
    completed_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["record", "due_on", "id"]
        indexes = [
            models.Index(fields=["organisation", "owner", "status"], name="group_action_owner")
        ]

    def __str__(self) -> str:
        return self.text
