"""The records of the present go through the services, as a supervisor and a supervisee would
take them; then the story: disagreements, an addendum, a break-glass opening of a welfare
section, each through its service and then moved back to when it happened."""

from __future__ import annotations

import datetime
from collections import Counter
from collections.abc import Iterator, Sequence
from contextlib import contextmanager
from typing import Any

from django.db.models import Max
from django.utils import timezone

from tandem.core.models import AuditEvent, Notice
from tandem.organisations.models import Person
from tandem.records import services
from tandem.records.models import Action, Disagreement, DisagreementKind, Record

from . import words
from .compose import empty
from .plan import (
    BUKOLA,
    CONNOR,
    DANIEL,
    DAY,
    MINUTE,
    REBECCA,
    Entry,
    Fate,
    Planner,
    moment,
    named,
)


class Present(Planner):
    """Takes the records of the present through the services, then the story."""

    def write_present(self, entries: Sequence[Entry]) -> None:
        for entry in entries:
            if entry.fate in Fate.BULK:
                continue
            supervisor, supervisee = entry.supervisor, entry.supervisee
            record = services.record_start(session=entry.session, by=supervisor)
            assert record is not None
            entry.record = record
            if entry.fate == Fate.EMPTY:
                continue
            content = entry.content
            if entry.fate == Fate.OVERDUE:
                # Started, never finished: the performance section and the agenda only.
                content = {
                    **empty(entry.facts),
                    "sections": {
                        "performance": content["sections"]["performance"],
                        "development": "",
                    },
                    "agenda": content["agenda"],
                }
            welfare = "" if entry.fate == Fate.OVERDUE else entry.welfare
            version = self._save(record, supervisor, 1, content, welfare)
            if entry.addition and entry.fate != Fate.OVERDUE:
                added = {**content, "sections": dict(content["sections"])}
                added["sections"]["development"] += " " + entry.addition
                version = self._save(record, supervisee, version, added, entry.welfare)
            if entry.fate in (Fate.OVERDUE, Fate.DRAFT):
                continue
            services.record_share(record=record, by=supervisor, version=version)
            if entry.fate in (Fate.HALF, Fate.BOTH):
                services.record_sign(record=record, by=supervisor, version=version)
            if entry.fate == Fate.BOTH:
                services.record_sign(record=record, by=supervisee, version=version)
        self._action_progress(entries)

    @staticmethod
    def _save(record: Record, by: Person, base: int, content: dict[str, Any], welfare: str) -> int:
        saved = services.record_save(
            record=record,
            by=by,
            base_version=base,
            sections=content["sections"],
            welfare=welfare,
            agenda=content["agenda"],
            cases=content["cases"],
            actions=content["actions"],
        )
        return saved.number

    def _action_progress(self, entries: Sequence[Entry]) -> None:
        """The progress the story needs on actions (Amira has done her first one)."""
        for entry in entries:
            if entry.fate in Fate.BULK or entry.record is None or not entry.action_status:
                continue
            for action in Action.objects.filter(
                record=entry.record, key__in=list(entry.action_status)
            ):
                services.action_set_status(
                    action=action, by=action.owner, status=entry.action_status[action.key]
                )

    # The story

    def story(self, entries: Sequence[Entry]) -> Counter[str]:
        made: Counter[str] = Counter()
        if self.school:
            made["welfare_opened"] += self._break_glass(entries)
            return made
        made["resolved"] += self._resolved_disagreement(entries)
        made["addenda"] += self._addendum(entries)
        made["open_disagreements"] += self._open_disagreement(entries)
        return made

    @contextmanager
    def _moved_back(self, record: Record, to: datetime.datetime, *, read: bool) -> Iterator[None]:
        """Run a story step now, then move its audit events and notices back to ``to``:
        marked read if ``read`` (long since seen)."""
        last_notice = Notice.objects.aggregate(last=Max("pk"))["last"] or 0
        last_event = AuditEvent.objects.aggregate(last=Max("pk"))["last"] or 0
        yield
        AuditEvent.objects.filter(
            pk__gt=last_event, object_type="records.record", object_id=str(record.pk)
        ).update(at=to)
        Notice.objects.filter(pk__gt=last_notice).update(
            created_at=to, read_at=to + DAY if read else None
        )

    def _after(
        self, at: datetime.datetime, working_days: int, hour: int, minute: int
    ) -> datetime.datetime:
        """A time of day, some working days after a moment."""
        day = self.calendar.add_working_days(timezone.localdate(at), working_days)
        return moment(day, hour, minute)

    def _signed(self, entries: Sequence[Entry], days_ago: tuple[int, int]) -> list[Record]:
        """Daniel's records as supervisee, signed by both between so many days ago."""
        low, high = days_ago
        return [
            e.record
            for e in self.of(entries, DANIEL)
            if e.fate == Fate.SIGNED
            and e.record is not None
            and e.record.signed_at is not None
            and self.today - high * DAY <= e.held_on <= self.today - low * DAY
        ]

    def _resolved_disagreement(self, entries: Sequence[Entry]) -> int:
        """Daniel disagreed with a decision of a record he had signed; the head of service it
        was routed to resolved it."""
        candidates = self._signed(entries, (75, 140))
        with_case = [r for r in candidates if r.case_discussions.exists()]
        if not candidates:
            return 0
        record = (with_case or candidates)[-1]
        assert record.signed_at is not None
        case = record.case_discussions.first()
        reference = case.case_reference if case else ""
        raised_at = self._after(record.signed_at, 2, 9, 40)
        with self._moved_back(record, raised_at, read=True):
            disagreement = services.disagreement_raise(
                record=record,
                by=record.supervisee,
                kind=DisagreementKind.RECORD,
                about=f"The decision recorded for {reference}" if reference else "Workload",
                text=words.DANIEL_DISAGREES.format(reference=reference or "the allocation"),
            )
        manager = disagreement.routed_to
        if manager is None:
            return 0
        resolved_at = self._after(raised_at, 6, 15, 30)
        with self._moved_back(record, resolved_at, read=True):
            services.disagreement_resolve(
                disagreement=disagreement,
                by=manager,
                resolution=words.RESOLUTION.format(
                    day=f"{resolved_at - DAY:%-d %B}", reference=reference or "the case"
                ),
            )
        Disagreement.objects.filter(pk=disagreement.pk).update(
            raised_at=raised_at, resolved_at=resolved_at
        )
        return 1

    def _addendum(self, entries: Sequence[Entry]) -> int:
        """Daniel corrected a signed record with an addendum; Claire signed it the next day. The
        record is one held 30 to 70 days ago, or failing that (a missed month, a summer: the
        date sweep found none on 30 August 2027) 14 to 74: never one the disagreement takes."""
        candidates = self._signed(entries, (30, 70)) or self._signed(entries, (14, 74))
        # ... and one whose addendum, 3 and 4 working days after its signing, is in the past.
        candidates = [
            r
            for r in candidates
            if r.signed_at is not None
            and self._after(self._after(r.signed_at, 3, 11, 20), 1, 14, 5) < timezone.now()
        ]
        if not candidates:
            return 0
        record = candidates[-1]
        assert record.signed_at is not None
        written_at = self._after(record.signed_at, 3, 11, 20)
        countersigned = self._after(written_at, 1, 14, 5)
        with self._moved_back(record, written_at, read=True):
            addendum = services.addendum_add(
                record=record, by=record.supervisee, text=words.DANIEL_ADDENDUM
            )
            services.addendum_sign(addendum=addendum, by=record.supervisor)
        type(addendum).objects.filter(pk=addendum.pk).update(
            written_at=written_at,
            supervisee_signed_at=written_at,
            supervisor_signed_at=countersigned,
        )
        AuditEvent.objects.filter(object_id=str(record.pk), action="record.addendum_sign").update(
            at=countersigned
        )
        return 1

    def _open_disagreement(self, entries: Sequence[Entry]) -> int:
        """Bukola disagrees with her latest record instead of signing it: it waits for the
        assistant director."""
        bukola = self.of(entries, BUKOLA)
        record = bukola[-1].record if bukola else None
        if record is None:
            return 0
        services.disagreement_raise(
            record=record,
            by=record.supervisee,
            kind=DisagreementKind.RECORD,
            about="The allocation in the performance and workload section",
            text=words.BUKOLA_DISAGREES,
        )
        return 1

    def _break_glass(self, entries: Sequence[Entry]) -> int:
        """A record signed a few weeks ago, opened a few days after signing."""
        rebecca = named(self.people, REBECCA)
        signed = [
            e.record
            for e in self.of(entries, CONNOR)
            if e.record is not None
            and e.record.signed_at is not None
            and e.record.signed_at < self.now - 14 * DAY
        ]
        if not signed or rebecca is None:
            return 0
        record = signed[-1]
        assert record.signed_at is not None
        day = self.calendar.add_working_days(timezone.localdate(record.signed_at), 3)
        opened_at = moment(day, 10, 15)
        with self._moved_back(record, opened_at, read=False):
            access = services.welfare_open(
                record=record,
                by=rebecca,
                reason=words.GRIEVANCE.format(day=f"{opened_at - 8 * DAY:%-d %B}"),
            )
            services.record_read(
                record=record,
                by=rebecca,
                parts=["sections", "agenda", "cases", "actions", "welfare"],
            )
        type(access).objects.filter(pk=access.pk).update(
            opened_at=opened_at, expires_at=opened_at + services.BREAK_GLASS_MINUTES * MINUTE
        )
        return 1
