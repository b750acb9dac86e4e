"""Who reads what of a record, at selector level, with the fixed cast: the supervisee and the
supervisor read it all; managers up the chain read it without the welfare section and may open
that by break-glass, with a reason, recorded and shown to the supervisee; the people the
agreement names read what it allows; anyone else reads nothing (and the pages answer 404)."""

from __future__ import annotations

import datetime

import pytest
from django.core.exceptions import ValidationError
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from tandem.agreements.tests.factories import signed_agreement
from tandem.core.models import AuditEvent, Notice
from tandem.organisations.models import SupervisionRelationship
from tandem.organisations.tests.factories import PersonFactory, RelationshipFactory
from tandem.records import selectors, services
from tandem.records.models import RecordViewer, ViewerScope, WelfareAccess
from tandem.records.selectors import Level
from tandem.records.tests.factories import held_session, shared_record, signed_record, write

MATRIX = [
    ("supervisee", Level.FULL, "supervisee", False),
    ("supervisor", Level.FULL, "supervisor", False),
    ("manager", Level.WITHOUT_WELFARE, "manager", True),
    ("head_of_service", Level.WITHOUT_WELFARE, "manager", True),
    ("director", Level.WITHOUT_WELFARE, "manager", True),
    ("colleague", Level.NONE, "", False),
    ("admin", Level.NONE, "", False),
    ("outsider", Level.NONE, "", False),
]


@pytest.mark.parametrize(("who", "level", "reason", "may_break_glass"), MATRIX)
def test_the_access_matrix(cast, who, level, reason, may_break_glass):
    record = signed_record(cast)

    access = selectors.record_access(getattr(cast, who), record)

    assert (access.level, access.reason, access.may_break_glass) == (
        level,
        reason,
        may_break_glass,
    )
    assert access.can_read is (level > Level.NONE)
    assert access.reads_welfare is (level == Level.FULL)
    assert access.reads_sections is (level >= Level.WITHOUT_WELFARE)
    assert access.is_party is (who in ("supervisor", "supervisee"))


def test_nobody_at_all_reads_nothing(cast):
    record = signed_record(cast)

    assert selectors.record_access(None, record) == selectors.NO_ACCESS


def test_a_manager_reads_while_they_manage_and_no_longer(cast):
    record = signed_record(cast)
    team = cast.supervisee.team
    team.manager = cast.colleague
    team.save()

    # Cole now leads the team; Mia still line-manages Sam, so is still his manager.
    assert selectors.record_access(cast.colleague, record).level == Level.WITHOUT_WELFARE
    assert selectors.record_access(cast.manager, record).reason == "manager"
    SupervisionRelationship.objects.filter(supervisee=cast.supervisor).delete()
    assert selectors.record_access(cast.manager, record).level == Level.NONE
    assert record not in selectors.readable_records(person=cast.manager)


# People the agreement names


@pytest.fixture
def agreed(cast):
    """A record of Sam and Sue's, under their signed agreement."""
    relationship = SupervisionRelationship.objects.get(
        supervisee=cast.supervisee, kind="line", ends_on=None
    )
    agreement = signed_agreement(relationship)
    record = shared_record(cast)
    assert record.agreement == agreement
    return record


@pytest.mark.parametrize(
    ("scope", "level"),
    [
        (ViewerScope.WITHOUT_WELFARE, Level.WITHOUT_WELFARE),
        (ViewerScope.CASES, Level.CASES),
    ],
)
def test_a_named_viewer_reads_what_the_agreement_allows_and_never_the_welfare(
    cast, agreed, scope, level
):
    assert selectors.record_access(cast.colleague, agreed).level == Level.NONE

    viewer = services.record_viewer_add(
        agreement=agreed.agreement, person=cast.colleague, scope=scope, by=cast.supervisee
    )

    access = selectors.record_access(cast.colleague, agreed)
    assert (access.level, access.reason) == (level, "named")
    assert not access.may_break_glass and not access.reads_welfare
    assert access.reads_sections is (level == Level.WITHOUT_WELFARE)
    assert agreed in selectors.readable_records(person=cast.colleague)
    event = AuditEvent.objects.get(action="record_viewer.add")
    assert event.detail == {"person": cast.colleague.pk, "scope": scope}
    with pytest.raises(ValidationError, match="Only a manager up the chain"):
        services.welfare_open(record=agreed, by=cast.colleague, reason="A grievance was raised.")

    services.record_viewer_remove(viewer=viewer, by=cast.supervisor)

    assert selectors.record_access(cast.colleague, agreed).level == Level.NONE
    assert agreed not in selectors.readable_records(person=cast.colleague)
    assert AuditEvent.objects.filter(action="record_viewer.remove").count() == 1


def test_only_the_two_name_viewers_and_only_people_of_their_organisation(cast, agreed):
    agreement = agreed.agreement

    with pytest.raises(ValidationError, match="Only the two parties"):
        services.record_viewer_add(
            agreement=agreement, person=cast.colleague, scope="cases", by=cast.manager
        )
    for person in (cast.outsider, cast.supervisee):
        with pytest.raises(ValidationError) as error:
            services.record_viewer_add(
                agreement=agreement, person=person, scope="cases", by=cast.supervisor
            )
        assert list(error.value.message_dict) == ["person"]
    with pytest.raises(ValidationError) as error:
        services.record_viewer_add(
            agreement=agreement, person=cast.admin, scope="everything", by=cast.supervisor
        )
    assert list(error.value.message_dict) == ["scope"]
    services.record_viewer_add(
        agreement=agreement, person=cast.admin, scope="cases", by=cast.supervisor
    )
    with pytest.raises(ValidationError, match="already named"):
        services.record_viewer_add(
            agreement=agreement, person=cast.admin, scope="cases", by=cast.supervisee
        )
    viewer = RecordViewer.objects.get()
    with pytest.raises(ValidationError, match="Only the two parties"):
        services.record_viewer_remove(viewer=viewer, by=cast.manager)
    assert RecordViewer.objects.count() == 1


def test_a_viewer_named_on_another_agreement_reads_nothing_of_this_record(cast, agreed):
    RelationshipFactory(supervisee=cast.colleague, supervisor=cast.supervisor, kind="professional")
    coles = signed_agreement(
        SupervisionRelationship.objects.get(supervisee=cast.colleague, supervisor=cast.supervisor)
    )
    services.record_viewer_add(
        agreement=coles, person=cast.admin, scope=ViewerScope.WITHOUT_WELFARE, by=cast.supervisor
    )

    assert selectors.record_access(cast.admin, agreed).level == Level.NONE


# Break-glass


def test_break_glass_needs_a_written_reason(cast):
    record = signed_record(cast)
    events, notices = AuditEvent.objects.count(), Notice.objects.count()

    with pytest.raises(ValidationError) as error:
        services.welfare_open(record=record, by=cast.manager, reason=" grievance ")

    assert error.value.message_dict == {
        "reason": ["Enter why you need to read the welfare section (at least 10 characters)."]
    }
    assert not WelfareAccess.objects.exists()
    assert (AuditEvent.objects.count(), Notice.objects.count()) == (events, notices)
    assert not selectors.record_access(cast.manager, record).reads_welfare


@pytest.mark.parametrize("who", ["supervisor", "supervisee", "colleague", "admin", "outsider"])
def test_only_a_manager_up_the_chain_breaks_the_glass(cast, who):
    record = signed_record(cast)

    with pytest.raises(ValidationError, match="Only a manager up the chain"):
        services.welfare_open(
            record=record, by=getattr(cast, who), reason="A grievance was raised today."
        )

    assert not WelfareAccess.objects.exists()


def test_break_glass_is_audited_with_its_reason_and_shown_to_the_supervisee(cast):
    record = signed_record(cast)
    reason = "Disciplinary investigation opened on 2 March: welfare notes requested by HR."

    opened = services.welfare_open(record=record, by=cast.head_of_service, reason=reason)

    access = selectors.record_access(cast.head_of_service, record)
    assert access.level == Level.WITHOUT_WELFARE
    assert access.reads_welfare and access.welfare_open_until == opened.expires_at
    event = AuditEvent.objects.get(action="record.welfare_break_glass")
    assert (event.actor, event.object_id) == (cast.head_of_service.user, str(record.pk))
    assert event.detail == {"reason": reason, "access": opened.pk}
    notice = Notice.objects.filter(user=cast.supervisee.user).latest("pk")
    assert notice.text.startswith("Hal Service opened the welfare section of your supervision")
    assert reason not in notice.text  # the reason is on the record page, not in a notice
    assert list(WelfareAccess.objects.filter(record=record).values_list("person", "reason")) == [
        (cast.head_of_service.pk, reason)
    ]
    # Only for the one who opened it, and only this record.
    assert not selectors.record_access(cast.manager, record).reads_welfare
    other = signed_record(cast, on=timezone.localdate() - datetime.timedelta(days=30))
    assert not selectors.record_access(cast.head_of_service, other).reads_welfare


def test_break_glass_expires(cast, monkeypatch):
    record = signed_record(cast)
    opened = services.welfare_open(
        record=record, by=cast.manager, reason="Grievance procedure, stage 2."
    )
    assert opened.expires_at - opened.opened_at == datetime.timedelta(
        minutes=services.BREAK_GLASS_MINUTES
    )
    now = timezone.now()

    monkeypatch.setattr(
        timezone,
        "now",
        lambda: now + datetime.timedelta(minutes=services.BREAK_GLASS_MINUTES - 1),
    )
    assert selectors.record_access(cast.manager, record).reads_welfare
    monkeypatch.setattr(
        timezone,
        "now",
        lambda: now + datetime.timedelta(minutes=services.BREAK_GLASS_MINUTES, seconds=1),
    )
    access = selectors.record_access(cast.manager, record)
    assert not access.reads_welfare and access.welfare_open_until is None
    assert access.level == Level.WITHOUT_WELFARE and access.may_break_glass


# The welfare section is never loaded for a reader without it


def test_the_welfare_text_is_not_even_loaded_without_it(cast):
    record = signed_record(cast)

    with CaptureQueriesContext(connection) as queries:
        version = selectors.current_version(record, with_welfare=False)

    assert "welfare" in version.get_deferred_fields()
    assert version.content["sections"]["performance"] == "Caseload of 18; two visits overdue."
    sql = " ".join(query["sql"] for query in queries.captured_queries)
    assert '"welfare"' not in sql and "Feeling stretched" not in str(version.__dict__)

    with CaptureQueriesContext(connection) as queries:
        full = selectors.current_version(record)
    assert '"welfare"' in queries.captured_queries[0]["sql"]
    assert full.welfare == "Feeling stretched; annual leave booked for May."


def test_the_version_history_carries_no_words(cast):
    record = signed_record(cast)

    history = list(selectors.version_history(record))

    assert [v.number for v in history] == [2, 1]
    assert {"welfare", "content"} <= history[0].get_deferred_fields()


# Every read is audited


def test_every_read_is_an_audit_event(cast):
    record = signed_record(cast)

    services.record_read(record=record, by=cast.manager, parts=["sections", "cases"], how="pdf")

    event = AuditEvent.objects.get(action="record.view")
    assert (event.actor, event.object_id, event.detail) == (
        cast.manager.user,
        str(record.pk),
        {"parts": ["sections", "cases"], "how": "pdf"},
    )


# The lists


def test_readable_records_lists_exactly_the_right_records_for_each_person(cast):
    """Four records: Sam's of Sue, Mia's of Sam, Hal's of Cole (another team of his service),
    and one in the other organisation. Each person's list matches what they may open."""
    sues = shared_record(cast)
    sams = shared_record(cast, supervisor=cast.manager, supervisee=cast.supervisor)
    coles = shared_record(cast, supervisor=cast.head_of_service, supervisee=cast.colleague)
    elsewhere_supervisee = PersonFactory(organisation=cast.other_organisation)
    elsewhere = held_session(cast, supervisor=cast.outsider, supervisee=elsewhere_supervisee)
    olgas = services.record_start(session=elsewhere)
    assert olgas is not None
    write(olgas)
    expected = {
        "supervisee": {sues},
        "supervisor": {sues, sams},
        "manager": {sues, sams},
        "head_of_service": {sues, sams, coles},
        "director": {sues, sams, coles},
        "colleague": {coles},
        "admin": set(),
        "outsider": {olgas},
    }
    everything = [sues, sams, coles, olgas]

    for who, records in expected.items():
        person = getattr(cast, who)
        readable = list(selectors.readable_records(person=person))
        assert len(readable) == len(set(readable)), who
        assert set(readable) == records, who
        # The list and the door agree: what is listed opens, and nothing else does.
        for record in everything:
            assert selectors.record_access(person, record).can_read is (record in records), (
                who,
                record,
            )


def test_readable_records_takes_the_same_queries_whatever_the_number_of_records(
    cast, django_assert_max_num_queries
):
    shared_record(cast)
    with CaptureQueriesContext(connection) as few:
        list(selectors.readable_records(person=cast.head_of_service))
    for days in (14, 21, 28, 35):
        shared_record(cast, on=timezone.localdate() - datetime.timedelta(days=days))

    with django_assert_max_num_queries(len(few.captured_queries)):
        listed = list(selectors.readable_records(person=cast.head_of_service))
    assert len(listed) == 5
