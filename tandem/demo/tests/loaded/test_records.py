import datetime

import pytest
from django.db.models import Count, F
from django.utils import timezone

from tandem.core.models import AuditEvent, Notice
from tandem.demo.organisations import HOLLYFIELD, NORTHBRIDGE
from tandem.demo.records import load_demo_records
from tandem.meetings.models import Session, SessionKind, SessionStatus
from tandem.organisations.models import Person
from tandem.records import services
from tandem.records.models import (
    Action,
    ActionStatus,
    Addendum,
    CaseDiscussion,
    Disagreement,
    DisagreementStatus,
    Record,
    RecordSignature,
    RecordStatus,
    RecordVersion,
    WelfareAccess,
)
from tandem.records.selectors import (
    Level,
    disagreements_to_resolve,
    overdue_actions,
    overdue_records_managed,
    record_access,
    records_to_finish,
)

pytestmark = pytest.mark.dated


@pytest.fixture
def demo(the_demo):
    return the_demo.logins, the_demo.records


def person(first_name, last_name):
    return Person.objects.select_related("organisation").get(
        first_name=first_name, last_name=last_name
    )


def counts():
    return {
        model.__name__: model.objects.count()
        for model in (
            Record,
            RecordVersion,
            RecordSignature,
            CaseDiscussion,
            Action,
            Addendum,
            Disagreement,
            WelfareAccess,
            AuditEvent,
            Notice,
        )
    }


def test_every_held_session_with_a_supervisee_has_a_record_in_a_state_its_age_gives(demo):
    _, made = demo
    today = timezone.localdate()
    held = Session.objects.filter(status=SessionStatus.HELD)
    one_to_one = held.filter(kind__in=[SessionKind.ONE_TO_ONE, SessionKind.AD_HOC])
    assert Record.objects.count() == one_to_one.count() == made["records"] > 1500
    assert not Record.objects.filter(session__kind=SessionKind.GROUP).exists()
    assert held.filter(kind=SessionKind.GROUP).exists()  # group sessions were held, no record
    statuses = dict(Record.objects.values_list("status").annotate(n=Count("id")))
    assert statuses == {
        RecordStatus.SIGNED: made["signed"],
        RecordStatus.SHARED: made["shared"],
        RecordStatus.DRAFT: made["drafts"],
    }
    assert made["signed"] > 0.9 * made["records"] and made["shared"] >= 5 and made["drafts"] >= 8
    # Two years of records, up to the last few weeks (fewer over Christmas).
    days = Record.objects.values_list("held_on", flat=True)
    assert min(days) <= today - datetime.timedelta(days=700)
    assert max(days) >= today - datetime.timedelta(days=21)
    # Drafts are recent, except the overdue ones: past their due date and never shared.
    drafts = Record.objects.filter(status=RecordStatus.DRAFT)
    overdue = drafts.filter(due_on__lt=today)
    assert overdue.count() == made["overdue"] == 6
    assert all(r.is_overdue and r.shared_at is None for r in overdue)
    assert {r.organisation.name for r in overdue} == {NORTHBRIDGE, HOLLYFIELD}
    assert all(r.held_on >= today - datetime.timedelta(days=130) for r in overdue)
    assert all(
        r.held_on >= today - datetime.timedelta(days=21) for r in drafts.exclude(pk__in=overdue)
    )
    # Their supervisors' managers see them: the Duty and Assessment team manager sees hers.
    claire = person("Claire", "Whitehouse")
    assert list(overdue_records_managed(person=claire)) == list(
        overdue.filter(supervisee__team=claire.team)
    )
    # Most records of the past were shared in time, some late.
    shared = Record.objects.exclude(shared_at=None)
    late = [r for r in shared if not r.shared_on_time]
    assert 0.05 < len(late) / shared.count() < 0.2
    # Shared ones wait for one signature or both.
    waiting = Record.objects.filter(status=RecordStatus.SHARED).annotate(signed=Count("signatures"))
    assert {r.signed for r in waiting} <= {0, 1}
    assert 1 in {r.signed for r in waiting}  # at least Amira's latest, signed by Daniel
    # Loading again makes nothing.
    before = counts()
    assert set(load_demo_records().values()) == {0}
    assert counts() == before


def test_signed_records_are_signed_by_both_on_their_last_version_with_their_history(demo):
    signed = Record.objects.filter(status=RecordStatus.SIGNED)
    on_last = RecordSignature.objects.filter(
        record__status=RecordStatus.SIGNED, version__number=F("record__version_number")
    )
    assert on_last.count() == 2 * signed.count()
    assert not RecordSignature.objects.filter(record__status=RecordStatus.SIGNED).exclude(
        version__number=F("record__version_number")
    )
    # Every version is kept: 1 to N, the first the empty record started when the session ended.
    versions = dict(RecordVersion.objects.values_list("record").annotate(n=Count("id")))
    assert all(versions[r.pk] == r.version_number >= 2 for r in signed)
    now = timezone.now()
    for record in signed.order_by("?")[:60]:
        history = list(record.versions.order_by("number"))
        assert not any(history[0].content["sections"].values())
        assert [v.number for v in history] == list(range(1, record.version_number + 1))
        assert [v.saved_at for v in history] == sorted(v.saved_at for v in history)
        last = history[-1]
        assert last.content_hash == services.version_hash(
            record=record, content=last.content, welfare=last.welfare
        )
        signatures = {s.role: s for s in record.signatures.all()}
        assert set(signatures) == {"supervisor", "supervisee"}
        assert all(s.content_hash == last.content_hash for s in signatures.values())
        assert signatures["supervisor"].person == record.supervisor
        assert signatures["supervisee"].person == record.supervisee
        assert record.created_at <= record.shared_at <= record.signed_at < now
        # The words are what the services accept, and their rows follow them.
        assert services.clean_content(
            record,
            sections=last.content["sections"],
            welfare=last.welfare,
            agenda=last.content["agenda"],
            cases=last.content["cases"],
            actions=last.content["actions"],
        ) == (last.content, last.welfare)
        assert [c.case_reference for c in record.case_discussions.all()] == [
            c["case_reference"] for c in last.content["cases"]
        ]
        assert sorted(a.key for a in record.actions.all()) == sorted(
            a["key"] for a in last.content["actions"]
        )
        # Every step is in the audit trail, when it happened.
        events = AuditEvent.objects.filter(object_type="records.record", object_id=str(record.pk))
        steps = [e.action for e in events.order_by("at", "id")]
        assert steps[0] == "record.start"
        assert steps.count("record.share") == 1 and steps.count("record.sign") == 2
        assert steps.count("record.save") == record.version_number - 1
        shared_at = events.get(action="record.share").at
        assert abs(shared_at - record.shared_at) < datetime.timedelta(seconds=5)
    # The case discussions follow the organisation's reflective model, with the Kolb prompts.
    discussion = CaseDiscussion.objects.exclude(reflection__experience="").first()
    assert set(discussion.reflection) == {"experience", "reflection", "analysis", "action_plan"}
    assert discussion.decision and discussion.rationale


def test_actions_are_mostly_done_and_a_few_overdue(demo):
    today = timezone.localdate()
    actions = Action.objects.all()
    done = actions.filter(status=ActionStatus.DONE)
    overdue = actions.filter(status=ActionStatus.OPEN, due_on__lt=today)
    assert done.count() > 0.8 * actions.count()
    assert 10 <= overdue.count() < 0.06 * actions.count()
    assert not done.filter(completed_at=None).exists()
    assert actions.exclude(case_reference="").filter(case_reference__startswith="CF-").exists()
    amira = person("Amira", "Hussain")
    first = Record.objects.filter(supervisee=amira).earliest("held_on")
    assert {a.text: a.status for a in first.actions.all()} == {
        "Put protected development time in the calendar": ActionStatus.DONE,
        "See each child alone and record their views": ActionStatus.OPEN,
        "Read the council's neglect strategy and the GCP2 guidance": ActionStatus.OPEN,
        "Book the first direct observation of practice": ActionStatus.OPEN,
    }
    theirs = overdue_actions(person=amira)
    assert {
        "See each child alone and record their views",
        "Read the council's neglect strategy and the GCP2 guidance",
    } <= {a.text for a in theirs}
    assert all(a.due_on < today for a in theirs)


def test_the_story_disagreements_addendum_and_break_glass(demo):
    _, made = demo
    assert (made["disagreements"], made["resolved"], made["addenda"]) == (2, 1, 1)
    resolved = Disagreement.objects.get(status=DisagreementStatus.RESOLVED)
    daniel = person("Daniel", "Okafor")
    assert resolved.raised_by == daniel == resolved.record.supervisee
    assert resolved.resolved_by == resolved.routed_to == person("Marcus", "Reid")
    assert resolved.routed_as == "Head of service"
    assert resolved.record.status == RecordStatus.SIGNED
    assert resolved.record.signed_at < resolved.raised_at < resolved.resolved_at
    assert resolved.resolution
    # The open one waits for the assistant director, on a record Bukola has not signed.
    waiting = Disagreement.objects.get(status=DisagreementStatus.OPEN)
    helen = person("Helen", "Marsh")
    assert list(disagreements_to_resolve(person=helen)) == [waiting]
    assert waiting.raised_by == person("Bukola", "Adebayo") == waiting.record.supervisee
    assert waiting.record.status == RecordStatus.SHARED
    assert record_access(helen, waiting.record).level == Level.WITHOUT_WELFARE
    # The addendum, signed by both after the record was.
    addendum = Addendum.objects.get()
    assert addendum.written_by == daniel and addendum.is_signed
    assert addendum.record.signed_at < addendum.written_at < addendum.supervisor_signed_at
    # Break-glass: the headteacher opened a welfare section, with a reason, audited.
    opened = WelfareAccess.objects.get()
    assert opened.person == person("Rebecca", "Lewis")
    assert "grievance" in opened.reason
    assert opened.expires_at < timezone.now()  # long since closed again
    assert AuditEvent.objects.filter(
        action="record.welfare_break_glass", object_id=str(opened.record_id)
    ).exists()
    # Amira's first record is signed by both; her second waits for her signature, as does
    # Grace's record of the safeguarding session.
    amira = person("Amira", "Hussain")
    first, second = Record.objects.filter(supervisee=amira).order_by("held_on")
    assert first.status == RecordStatus.SIGNED
    assert second.status == RecordStatus.SHARED
    assert [s.role for s in second.signatures.all()] == ["supervisor"]
    assert second in records_to_finish(person=amira)
    grace = Record.objects.get(supervisee=person("Grace", "Adeyemi"))
    assert grace.session.kind == SessionKind.AD_HOC and grace.status == RecordStatus.SHARED


def test_the_demo_logins_read_their_records(demo):
    logins, _ = demo
    for login in logins:
        me = Person.objects.get(user__email=login.email)
        mine = Record.objects.filter(supervisee=me) | Record.objects.filter(supervisor=me)
        assert mine.exists(), login
        for record in mine.order_by("-held_on")[:5]:
            assert record_access(me, record).level == Level.FULL, (login, record)
    # The assistant director reads everyone else's records without the welfare section.
    helen, amira = person("Helen", "Marsh"), person("Amira", "Hussain")
    managed = (
        Record.objects.filter(organisation=helen.organisation)
        .exclude(supervisee=helen)
        .exclude(supervisor=helen)
    )
    for record in managed.order_by("-held_on")[:20]:
        access = record_access(helen, record)
        assert access.level == Level.WITHOUT_WELFARE and access.may_break_glass
    # Nobody reads the records of people they have no part with, or of another organisation.
    other_team = managed.filter(supervisee__team__name="Court and Proceedings").first()
    assert record_access(amira, other_team).level == Level.NONE
    assert record_access(person("Rebecca", "Lewis"), other_team).level == Level.NONE
