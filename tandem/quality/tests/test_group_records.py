"""Group supervision records: started from a held group session by its supervisor, who came,
cases with decisions and rationale (on the case decisions export and in each case holder's
record list), actions with owners, shared and acknowledged, counted as peer reflection for
CPD, and never anything about anyone's welfare."""

import datetime

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse
from django.utils import timezone

from tandem.development.models import CpdRecord
from tandem.meetings.models import Session, SessionKind, SessionStatus
from tandem.records import services
from tandem.records.models import GroupCaseDiscussion, GroupRecord, ImmutableRecordError

pytestmark = pytest.mark.django_db

DAY = datetime.timedelta(days=1)


def group_session(cast, *, held=True):
    starts_at = timezone.make_aware(
        datetime.datetime.combine(timezone.localdate() - 3 * DAY, datetime.time(14))
    )
    session = Session.objects.create(
        organisation=cast.organisation,
        kind=SessionKind.GROUP,
        title="Reflective group: neglect",
        supervisor=cast.manager,
        starts_at=starts_at,
        duration_minutes=90,
        status=SessionStatus.HELD if held else SessionStatus.SCHEDULED,
        held_started_at=starts_at if held else None,
        held_minutes=90 if held else None,
    )
    session.members.set([cast.supervisor, cast.supervisee, cast.colleague])
    return session


def written(cast):
    record = services.group_record_start(session=group_session(cast), by=cast.manager)
    services.group_record_save(
        record=record,
        by=cast.manager,
        learning_points="Graded care profile early.",
        present={cast.supervisor.pk, cast.supervisee.pk},
    )
    services.group_case_add(
        record=record,
        by=cast.manager,
        case_reference="CF-3003",
        case_holder=cast.supervisee,
        label="Neglect",
        discussion="Home conditions worse.",
        decision="Convene a core group within 10 days.",
        rationale="Three visits found no food.",
    )
    services.group_action_add(
        record=record,
        by=cast.manager,
        text="Book the core group",
        owner=cast.supervisee,
        due_on=timezone.localdate() + 7 * DAY,
    )
    return record


def test_the_supervisor_writes_it_and_members_are_marked(cast):
    record = written(cast)
    attendance = {row.person_id: row.present for row in record.attendance.all()}
    assert attendance == {
        cast.supervisor.pk: True,
        cast.supervisee.pk: True,
        cast.colleague.pk: False,
    }
    with pytest.raises(ValidationError):
        services.group_record_start(session=group_session(cast, held=False), by=cast.manager)
    with pytest.raises(ValidationError):
        services.group_case_add(
            record=record, by=cast.supervisor, case_reference="CF-1", case_holder=cast.supervisee
        )


def test_a_decision_needs_its_rationale_and_a_case_holder_from_the_group(cast):
    record = written(cast)
    with pytest.raises(ValidationError) as refused:
        services.group_case_add(
            record=record,
            by=cast.manager,
            case_reference="CF-9",
            case_holder=cast.director,
            decision="Close.",
        )
    problems = refused.value.message_dict
    assert "rationale" in problems and "case_holder" in problems


def test_no_welfare_is_ever_recorded_in_a_group_record(cast):
    fields = {f.name for m in (GroupRecord, GroupCaseDiscussion) for f in m._meta.get_fields()}
    assert not {name for name in fields if "welfare" in name}
    record = written(cast)
    client = cast.client_for(cast.manager)
    page = client.get(reverse("group-record", args=[record.pk])).content.decode()
    assert 'name="welfare"' not in page
    assert "never holds anything about anyone's welfare" in page
    client.post(
        reverse("group-record-save", args=[record.pk]),
        {"present": [cast.supervisor.pk], "learning_points": "Kept.", "welfare": "Off sick."},
    )
    record.refresh_from_db()
    assert "Off sick" not in record.learning_points
    api = client.get(f"/api/group-records/{record.pk}").json()
    assert "welfare" not in str(api).lower()


def test_shared_it_never_changes_and_each_member_acknowledges(cast):
    record = services.group_record_share(record=written(cast), by=cast.manager)
    assert record.is_shared
    with pytest.raises(ValidationError):
        services.group_record_save(
            record=record, by=cast.manager, learning_points="New", present=set()
        )
    record.learning_points = "Rewritten"
    with pytest.raises(ImmutableRecordError):
        record.save()
    with pytest.raises(ImmutableRecordError):
        GroupRecord.objects.filter(pk=record.pk).update(learning_points="x")
    client = cast.client_for(cast.supervisee)
    assert client.post(reverse("group-record-acknowledge", args=[record.pk])).status_code == 302
    assert record.attendance.get(person=cast.supervisee).acknowledged_at is not None
    with pytest.raises(ValidationError):
        services.group_record_acknowledge(record=record, by=cast.director)


def test_decisions_reach_the_case_decisions_export_and_the_case_holders_list(cast):
    record = services.group_record_share(record=written(cast), by=cast.manager)
    sue = cast.client_for(cast.supervisee)
    csv = sue.get(reverse("case-decisions"), {"case_reference": "cf-3003", "format": "csv"})
    text = csv.content.decode("utf-8-sig")
    assert "Group supervision decision" in text
    assert "Convene a core group within 10 days." in text
    assert "Three visits found no food." in text
    assert "Home conditions" not in text  # the discussion is not a decision
    page = sue.get(reverse("case-decisions"), {"case_reference": "CF-3003"}).content.decode()
    assert "In group supervision" in page
    listed = sue.get(reverse("records")).content.decode()
    assert "Your case discussed" in listed
    assert reverse("group-record", args=[record.pk]) in listed
    # Ada manages the directorate, above the group's supervisor: she finds it too; Ann, the
    # admin, outside the group and above nobody, does not.
    ada = cast.client_for(cast.director).get(
        reverse("case-decisions"), {"case_reference": "CF-3003"}
    )
    assert "Convene" in ada.content.decode()
    ann = cast.client_for(cast.admin).get(reverse("case-decisions"), {"case_reference": "CF-3003"})
    assert "Convene" not in ann.content.decode()
    outsider = cast.client_for(cast.outsider).get(reverse("group-record", args=[record.pk]))
    assert outsider.status_code == 404


def test_a_draft_groups_decisions_are_not_exported(cast):
    written(cast)
    csv = cast.client_for(cast.supervisee).get(
        reverse("case-decisions"), {"case_reference": "CF-3003", "format": "csv"}
    )
    assert "Convene" not in csv.content.decode("utf-8-sig")


def test_it_counts_as_peer_reflection_for_cpd(cast):
    record = services.group_record_share(record=written(cast), by=cast.manager)
    sue = cast.client_for(cast.supervisee)
    url = reverse("cpd-add", args=[cast.supervisee.pk]) + f"?group={record.pk}"
    form = sue.get(url).content.decode()
    assert "Group supervision counts as peer reflection" in form
    saved = sue.post(
        url,
        {
            "group": record.pk,
            "kind": "group_supervision",
            "title": "Reflective group: neglect",
            "done_on": record.held_on.isoformat(),
            "description": "The group on neglect.",
            "learnt": "Graded care profile early.",
            "impact": "I use it at the first visit.",
            "peer_reflection": "on",
            "peer_with": "The group",
            "peer_on": record.held_on.isoformat(),
        },
    )
    assert saved.status_code == 302, saved.content.decode()[:2000]
    cpd = CpdRecord.objects.get(person=cast.supervisee)
    assert cpd.source_group_record == record and cpd.counts_as_peer_reflection
    # Cole sent apologies: no CPD from a group he was not in.
    cole = cast.client_for(cast.colleague).get(
        reverse("cpd-add", args=[cast.colleague.pk]) + f"?group={record.pk}"
    )
    assert "counts as peer reflection" not in cole.content.decode()


def test_the_pages_write_it_with_field_errors(cast):
    session = group_session(cast)
    mia = cast.client_for(cast.manager)
    started = mia.post(reverse("group-record-start", args=[session.pk]))
    assert started.status_code == 302
    record = GroupRecord.objects.get(session=session)
    bad = mia.post(
        reverse("group-case-add", args=[record.pk]), {"case_reference": "", "decision": "Close it"}
    )
    assert bad.status_code == 400
    body = bad.content.decode()
    assert "Enter the case reference" in body and "Choose whose case it is" in body
    ok = mia.post(
        reverse("group-case-add", args=[record.pk]),
        {
            "case_reference": "CF-1",
            "case_holder": cast.supervisor.pk,
            "decision": "Close",
            "rationale": "Goals met",
        },
    )
    assert ok.status_code == 302
    bad_action = mia.post(
        reverse("group-action-add", args=[record.pk]),
        {"text": "Do it", "owner": cast.supervisee.pk, "due_on": "yesterday"},
    )
    assert bad_action.status_code == 400
    # A member reads but cannot write.
    sam = cast.client_for(cast.supervisor)
    assert sam.get(reverse("group-record", args=[record.pk])).status_code == 200
    assert sam.post(reverse("group-record-share", args=[record.pk])).status_code == 403
    assert (
        cast.client_for(cast.admin).get(reverse("group-record", args=[record.pk])).status_code
        == 403
    )
    shared = mia.post(reverse("group-record-share", args=[record.pk]))
    assert shared.status_code == 302
    record.refresh_from_db()
    assert record.is_shared
