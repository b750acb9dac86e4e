import datetime

import pytest

from tandem.meetings import sessions
from tandem.meetings.tests.test_sessions import at
from tandem.records import selectors, services
from tandem.records.models import ImmutableRecordError, Record, RecordStatus, RecordVersion
from tandem.records.tests.factories import signed_record, write


def test_smoke(cast):
    r = signed_record(cast)
    assert r.status == RecordStatus.SIGNED
    with pytest.raises(ImmutableRecordError):
        Record.objects.filter(pk=r.pk).update(due_on=datetime.date(2030, 1, 1))
    with pytest.raises(ImmutableRecordError):
        r.due_on = datetime.date(2030, 1, 1)
        r.save()
    v = RecordVersion.objects.filter(record=r).first()
    with pytest.raises(ImmutableRecordError):
        v.save()
    a = selectors.record_access(cast.manager, r)
    assert a.level == selectors.Level.WITHOUT_WELFARE
    assert selectors.record_access(cast.colleague, r).level == 0
    d = services.disagreement_raise(record=r, by=cast.supervisee, text="No")
    assert d.routed_to == cast.manager, d.routing_reason
    services.welfare_open(record=r, by=cast.manager, reason="A grievance was raised today")
    assert selectors.record_access(cast.manager, r).reads_welfare


def test_conflict_and_hook(cast):
    from tandem.meetings.models import Session

    s = Session.objects.create(
        organisation=cast.organisation,
        supervisor=cast.supervisor,
        supervisee=cast.supervisee,
        starts_at=at(-1),
        duration_minutes=90,
    )
    # held via service

    sessions.session_record_held(session=s, started_at=at(-1), minutes=90, actor=cast.supervisor)
    r = Record.objects.get(session=s)
    write(r, base=1)
    with pytest.raises(services.RecordConflict):
        write(r, by=cast.supervisee, base=1, welfare="x")
