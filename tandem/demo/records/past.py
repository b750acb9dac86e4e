"""The records of the past, written in bulk: the rows the services would have written (versions,
signatures, case discussions, actions, audit events), at the times they would have been."""

from __future__ import annotations

import datetime
import random
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

from django.utils import timezone

from tandem.core.models import AuditEvent
from tandem.demo.bulk import bulk_insert
from tandem.organisations.models import Person
from tandem.records import services
from tandem.records.models import (
    Action,
    ActionStatus,
    CaseDiscussion,
    Record,
    RecordSignature,
    RecordStatus,
    RecordVersion,
    SignatureRole,
)

from .compose import empty
from .plan import (
    DAY,
    EDITED_AFTER_SHARING,
    EDITED_BY_SUPERVISEE,
    HOUR,
    MINUTE,
    RECENT_DAYS,
    Entry,
    Fate,
    Planner,
    moment,
)


@dataclass(frozen=True)
class _Times:
    """When each step of a record of the past happened."""

    started: datetime.datetime
    versions: list[tuple[datetime.datetime, Person]]  # when each was saved, and by whom
    after_sharing: bool  # the last version was saved after sharing
    shared: datetime.datetime
    supervisor_signs: datetime.datetime
    supervisee_signs: datetime.datetime | None


class Past(Planner):
    """Writes the records of the past."""

    def _timeline(self, entry: Entry) -> _Times:
        """When each step of a record of the past happened: started when the session ended,
        written over the next days, shared (mostly in time), signed by both."""
        rng = entry.rng
        session = entry.session
        began = session.held_started_at or session.starts_at
        started = began + (session.held_minutes or session.duration_minutes) * MINUTE
        deadline = self.organisation.record_deadline_working_days
        if rng.random() < self.late_rate(entry):
            share_day = self.calendar.add_working_days(entry.due_on, rng.randint(1, 6))
        else:
            share_day = self.calendar.add_working_days(
                entry.held_on, min(deadline, rng.choice((1, 2, 2, 3, 4, 5, 6, 8, deadline)))
            )
        if share_day >= self.today:
            share_day = entry.due_on
        shared = max(moment(share_day, rng.randint(9, 17), rng.randrange(0, 60, 5)), started + HOUR)
        versions = [(started, entry.supervisor)]
        written = self._during_work(rng, started + 10 * MINUTE, shared - 10 * MINUTE)
        versions.append((written, entry.supervisor))
        after_sharing = False
        if entry.addition:
            after_sharing = rng.random() < EDITED_AFTER_SHARING / (
                EDITED_BY_SUPERVISEE + EDITED_AFTER_SHARING
            )
            if after_sharing:
                edited = self._during_work(rng, shared + 10 * MINUTE, shared + 2 * DAY)
                versions.append((min(edited, self.now - 2 * HOUR), entry.supervisee))
            else:
                edited = self._during_work(rng, written + 5 * MINUTE, shared - 5 * MINUTE)
                versions.append((edited, entry.supervisee))
        last_words = versions[-1][0]
        ceiling = self.now - HOUR
        supervisor_signs = min(max(shared, last_words) + rng.randint(1, 20) * MINUTE, ceiling)
        supervisee_day = self.calendar.add_working_days(
            timezone.localdate(max(shared, last_words)), rng.choice((0, 1, 1, 2, 3, 5, 8))
        )
        supervisee_signs = moment(supervisee_day, rng.randint(9, 17), rng.randrange(0, 60, 5))
        supervisee_signs = min(max(supervisee_signs, supervisor_signs + 5 * MINUTE), ceiling)
        return _Times(
            started=started,
            versions=versions,
            after_sharing=after_sharing,
            shared=shared,
            supervisor_signs=supervisor_signs,
            supervisee_signs=supervisee_signs if entry.fate == Fate.SIGNED else None,
        )

    def _during_work(
        self, rng: random.Random, after: datetime.datetime, before: datetime.datetime
    ) -> datetime.datetime:
        """A moment in working hours on a working day between the two, where there is one."""
        days = list(
            self.calendar.working_days(timezone.localdate(after), timezone.localdate(before))
        )
        for _ in range(6):
            if not days:
                break
            when = moment(rng.choice(days), rng.randint(9, 17), rng.randrange(0, 60, 5))
            if after < when < before:
                return when
        return after + (before - after) * rng.uniform(0.2, 0.8)

    def write_past(self, entries: Sequence[Entry]) -> None:
        past = [e for e in entries if e.fate in Fate.BULK]
        times = {id(e): self._timeline(e) for e in past}
        records = []
        for entry in past:
            when = times[id(entry)]
            signed = entry.fate == Fate.SIGNED
            entry.record = Record(
                organisation=self.organisation,
                session=entry.session,
                supervisor=entry.supervisor,
                supervisee=entry.supervisee,
                agreement_id=entry.session.agreement_id,
                layout=entry.layout,
                held_on=entry.held_on,
                status=RecordStatus.SIGNED if signed else RecordStatus.SHARED,
                version_number=len(when.versions),
                due_on=entry.due_on,
                shared_at=when.shared,
                shared_by=entry.supervisor,
                signed_at=when.supervisee_signs,
                created_at=when.started,
            )
            records.append(entry.record)
        bulk_insert(records, lambda r: r.session_id)
        versions = []
        events = []
        for entry in past:
            record = entry.record
            assert record is not None
            when = times[id(entry)]
            contents = [
                (empty(entry.facts), ""),
                (entry.content, entry.welfare),
            ]
            if entry.addition:
                added = {**entry.content, "sections": dict(entry.content["sections"])}
                added["sections"]["development"] += " " + entry.addition
                contents.append((added, entry.welfare))
            for number, ((content, welfare), (at, by)) in enumerate(
                zip(contents, when.versions, strict=True), start=1
            ):
                versions.append(
                    RecordVersion(
                        organisation=self.organisation,
                        record=record,
                        number=number,
                        content=content,
                        welfare=welfare,
                        content_hash=services.version_hash(
                            record=record, content=content, welfare=welfare
                        ),
                        saved_by=by,
                        saved_at=at,
                    )
                )
                if number == 1:
                    events.append(
                        self._event(
                            record,
                            by,
                            "record.start",
                            at,
                            {"session": entry.session.pk, "due_on": entry.due_on.isoformat()},
                        )
                    )
                else:
                    shared = when.after_sharing and number == len(contents)
                    events.append(
                        self._event(
                            record,
                            by,
                            "record.save",
                            at,
                            {"version": number, "status": "shared" if shared else "draft"},
                        )
                    )
            shared_version = len(contents) - (1 if when.after_sharing else 0)
            events.append(
                self._event(
                    record,
                    entry.supervisor,
                    "record.share",
                    when.shared,
                    {
                        "version": shared_version,
                        "on_time": timezone.localdate(when.shared) <= entry.due_on,
                        "due_on": entry.due_on.isoformat(),
                        "carried_actions": [],
                    },
                )
            )
            entry.content = contents[-1][0]
        made = bulk_insert(versions, lambda v: (v.record_id, v.number))
        last = {}
        for version in made:
            if version.number == version.record.version_number:
                last[version.record_id] = version
        signatures = []
        for entry in past:
            record = entry.record
            assert record is not None
            when = times[id(entry)]
            version = last[record.pk]
            signers = [(entry.supervisor, SignatureRole.SUPERVISOR, when.supervisor_signs)]
            if when.supervisee_signs is not None:
                signers.append((entry.supervisee, SignatureRole.SUPERVISEE, when.supervisee_signs))
            for person, role, at in signers:
                signatures.append(
                    RecordSignature(
                        organisation_id=record.organisation_id,
                        record=record,
                        version=version,
                        person=person,
                        role=role,
                        content_hash=version.content_hash,
                        signed_at=at,
                    )
                )
                events.append(
                    self._event(
                        record,
                        person,
                        "record.sign",
                        at,
                        {"version": version.number, "role": role, "hash": version.content_hash},
                    )
                )
        bulk_insert(signatures, lambda s: (s.version_id, s.role))
        self._write_cases_and_actions(past, events)
        AuditEvent.objects.bulk_create(events, batch_size=1000)

    def _write_cases_and_actions(self, past: Sequence[Entry], events: list[AuditEvent]) -> None:
        cases = []
        actions = []
        latest: dict[tuple[int, int], datetime.date] = {}
        for entry in past:
            pair = (entry.supervisor.pk, entry.supervisee.pk)
            latest[pair] = max(latest.get(pair, entry.held_on), entry.held_on)
        for entry in past:
            record = entry.record
            assert record is not None
            cases += services.case_discussion_rows(record, entry.content)
            recent = entry.held_on >= self.today - RECENT_DAYS * DAY
            is_latest = latest[(entry.supervisor.pk, entry.supervisee.pk)] == entry.held_on
            still_open = 0.35 if is_latest else (0.07 if recent else 0.0)
            for position, item in enumerate(entry.content["actions"]):
                due_on = datetime.date.fromisoformat(item["due_on"])
                action = Action(
                    organisation=self.organisation,
                    record=record,
                    key=item["key"],
                    position=position,
                    text=item["text"],
                    case_reference=item["case_reference"],
                    owner_id=item["owner"],
                    due_on=due_on,
                )
                roll = entry.rng.random()
                if item["key"] in entry.action_status:
                    action.status = entry.action_status[item["key"]]
                elif due_on < self.today and roll >= still_open:
                    action.status = ActionStatus.DROPPED if roll > 0.97 else ActionStatus.DONE
                if action.status != ActionStatus.OPEN:
                    done_day = due_on + entry.rng.randint(-4, 3) * DAY
                    action.completed_at = min(
                        max(moment(done_day, 16), record.created_at + DAY), self.now - HOUR
                    )
                actions.append(action)
        CaseDiscussion.objects.bulk_create(cases, batch_size=1000)
        made = bulk_insert(actions, lambda a: (a.record_id, a.key))
        for action in made:
            if action.completed_at is not None:
                events.append(
                    self._event(
                        action.record,
                        self.people[action.owner_id],
                        "action.status",
                        action.completed_at,
                        {"action": action.pk, "status": action.status},
                    )
                )

    def _event(
        self, record: Record, person: Person, action: str, at: datetime.datetime, detail: Any
    ) -> AuditEvent:
        return AuditEvent(
            organisation=self.organisation,
            actor_id=person.user_id,
            action=action,
            object_type=Record._meta.label_lower,
            object_id=str(record.pk),
            summary=self._summaries.setdefault(record.pk, str(record)[:300]),
            detail=detail,
            at=at,
        )
