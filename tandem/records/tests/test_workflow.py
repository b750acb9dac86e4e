"""A record's life, through the services: started from a held session (laid out from the
agreement's template, the agenda in place), saved (every save a version, every version kept,
concurrent saves never overwrite each other), shared, signed by both, then never changed again
(below the views: the ORM and the database refuse); addenda; bad input refused with nothing
written; case discussions and actions copied to their rows; actions carried forward and
followed up."""

from __future__ import annotations

import datetime
from typing import Any

import pytest
from django.core.exceptions import ValidationError
from django.db import DatabaseError, connection, transaction
from django.utils import timezone

from tandem.agreements.models import AgreementTemplateVersion
from tandem.agreements.tests.factories import signed_agreement
from tandem.core.models import AuditEvent, Notice
from tandem.meetings.models import AgendaItem, Session, SessionKind, SessionStatus
from tandem.meetings.services import sessions
from tandem.organisations.models import SupervisionRelationship
from tandem.records import layout, selectors, services
from tandem.records.models import (
    Action,
    ActionStatus,
    Addendum,
    CaseDiscussion,
    ImmutableRecordError,
    Record,
    RecordSignature,
    RecordStatus,
    RecordVersion,
)
from tandem.records.tests.factories import (
    draft_record,
    held_session,
    shared_record,
    signed_record,
    write,
)

pytestmark = pytest.mark.dated

DAY = datetime.timedelta(days=1)


def relationship_of(supervisee) -> SupervisionRelationship:
    return SupervisionRelationship.objects.get(supervisee=supervisee, kind="line", ends_on=None)


def builtin(slug: str) -> AgreementTemplateVersion:
    version = (
        AgreementTemplateVersion.objects.filter(template__organisation=None, template__slug=slug)
        .order_by("-number")
        .first()
    )
    assert version is not None
    return version


def at(days: int, hour: int = 10) -> datetime.datetime:
    day = timezone.localdate() + days * DAY
    return timezone.make_aware(datetime.datetime.combine(day, datetime.time(hour)))


def headings(record: Record) -> dict[str, str]:
    return {section["key"]: section["heading"] for section in record.layout["sections"]}


def prompts(record: Record, key: str) -> list[str]:
    return next(s["prompts"] for s in record.layout["sections"] if s["key"] == key)


def snapshot(record: Record) -> dict[str, Any]:
    """Everything a change to the record could write."""
    stored = Record.objects.get(pk=record.pk)
    return {
        "versions": RecordVersion.objects.filter(record=record).count(),
        "cases": CaseDiscussion.objects.filter(record=record).count(),
        "actions": Action.objects.filter(record=record).count(),
        "signatures": RecordSignature.objects.filter(record=record).count(),
        "addenda": Addendum.objects.filter(record=record).count(),
        "audit": AuditEvent.objects.count(),
        "notices": Notice.objects.count(),
        "version_number": stored.version_number,
        "status": stored.status,
    }


def case(**changes: Any) -> dict[str, Any]:
    return {
        "case_reference": "CF-204981",
        "label": "Sibling group, assessment",
        "discussion": "Drift since the strategy meeting.",
        "reflection": {"experience": "Two missed visits.", "analysis": "Capacity, not intent."},
        "decision": "Step up to a child protection enquiry.",
        "rationale": "New information from school.",
        **changes,
    }


def action(record: Record, **changes: Any) -> dict[str, Any]:
    return {
        "text": "Book the strategy discussion",
        "owner": record.supervisee_id,
        "due_on": (record.held_on + 7 * DAY).isoformat(),
        "case_reference": "",
        **changes,
    }


# Starting


def test_a_held_session_gets_its_draft_record_from_the_meetings_app(cast):
    session = Session.objects.create(
        organisation=cast.organisation,
        supervisor=cast.supervisor,
        supervisee=cast.supervisee,
        starts_at=at(-2),
        duration_minutes=90,
    )
    AgendaItem.objects.create(
        organisation_id=session.organisation_id,
        session=session,
        added_by=cast.supervisee,
        title="Workload",
        function="management",
    )

    sessions.session_record_held(
        session=session, started_at=at(-2, 11), minutes=75, by=cast.supervisor
    )

    record = Record.objects.get(session=session)
    assert (record.status, record.supervisor, record.supervisee) == (
        RecordStatus.DRAFT,
        cast.supervisor,
        cast.supervisee,
    )
    assert record.held_on == timezone.localdate() - 2 * DAY
    assert record.due_on == selectors.record_due_on(cast.organisation, record.held_on)
    assert record.version_number == 1
    item = session.agenda.get()
    assert selectors.current_version(record).content == {
        "sections": {"performance": "", "development": ""},
        "agenda": {str(item.pk): ""},
        "cases": [],
        "actions": [],
    }
    assert AuditEvent.objects.filter(action="record.start", object_id=str(record.pk)).exists()


def test_starting_twice_gives_the_same_record_and_group_or_unheld_sessions_get_none(cast):
    record = draft_record(cast)
    assert services.record_start(session=record.session) == record
    assert Record.objects.filter(session=record.session).count() == 1

    group = Session.objects.create(
        organisation=cast.organisation,
        kind=SessionKind.GROUP,
        supervisor=cast.supervisor,
        title="Group reflective supervision",
        starts_at=at(-1),
        duration_minutes=90,
        status=SessionStatus.HELD,
    )
    scheduled = Session.objects.create(
        organisation=cast.organisation,
        supervisor=cast.supervisor,
        supervisee=cast.supervisee,
        starts_at=at(3),
        duration_minutes=90,
    )
    assert services.record_start(session=group) is None
    assert services.record_start(session=scheduled) is None
    assert not Record.objects.filter(session__in=[group, scheduled]).exists()


def test_a_council_record_is_laid_out_like_the_council_contract(cast):
    agreement = signed_agreement(
        relationship_of(cast.supervisee),
        template_version=builtin("council-supervision-contract"),
    )
    # Booked by hand, naming no agreement: the pair's agreement is used.
    record = draft_record(cast)

    assert record.agreement == agreement
    assert headings(record) == {
        "performance": "1. Performance Management discussions",
        "development": "2. Professional Development discussions of your skills, knowledge base "
        "and value base",
        "welfare": "3. Welfare/Support Issues",
    }
    assert prompts(record, "performance") == [
        "Activities undertaken",
        "Case Consultation and discussion (where applicable)",
        "Case file audit discussion (where applicable)",
    ]
    assert "Annual Leave" in prompts(record, "welfare")
    assert "Flexi/Time of in Lieu" in prompts(record, "welfare")
    assert [s["restricted"] for s in record.layout["sections"]] == [False, False, True]
    assert record.layout["reflection"]["name"] == "Morrison's 4x4x4 model (Kolb cycle)"
    assert [p["key"] for p in record.layout["reflection"]["prompts"]] == [
        "experience",
        "reflection",
        "analysis",
        "action_plan",
    ]


def test_a_school_record_is_laid_out_like_the_school_agreement(cast):
    school = builtin("school-staff-supervision-agreement")
    session = held_session(cast)
    agreement = signed_agreement(relationship_of(cast.supervisee), template_version=school)
    Session.objects.filter(pk=session.pk).update(agreement=agreement)
    session.refresh_from_db()

    record = services.record_start(session=session)

    assert record is not None and record.agreement == agreement
    assert headings(record) == {
        "performance": "Accountability objectives",
        "development": "Professional development",
        "welfare": "Support objectives",
    }
    assert prompts(record, "performance")[0] == "Reviewing and managing workload"
    assert "Critical incident analysis" in prompts(record, "development")
    assert prompts(record, "welfare")[0] == "Exploring professional boundaries"


def test_without_an_agreement_the_record_has_the_standard_sections(cast):
    record = draft_record(cast)

    assert record.agreement is None
    assert headings(record) == {
        "performance": "Performance and workload",
        "development": "Professional development",
        "welfare": "Welfare and support",
    }


def test_an_nqsws_record_prompts_for_asye_progress_and_others_do_not(cast):
    sues = draft_record(cast)  # Sue is an NQSW in her ASYE
    sams = draft_record(cast, supervisor=cast.manager, supervisee=cast.supervisor)

    assert layout.ASYE_PROMPT in prompts(sues, "development")
    assert layout.ASYE_PROMPT not in prompts(sams, "development")


def test_the_organisations_reflective_model_is_kept_on_the_record(cast):
    cast.organisation.reflection_model = "signs_of_safety"
    cast.organisation.save()
    record = draft_record(cast)
    cast.organisation.reflection_model = "seven_eyed"
    cast.organisation.save()

    record.refresh_from_db()
    assert record.layout["reflection"]["name"] == "Signs of Safety"
    assert record.layout["reflection"]["prompts"][0]["label"] == "What are we worried about?"


# Saving


def test_each_save_is_a_new_version_and_every_version_is_kept(cast):
    record = draft_record(cast)
    items = list(record.session.agenda.order_by("pk"))

    first = write(record, agenda={str(items[0].pk): "Caseload of 18 discussed."})
    record.refresh_from_db()
    second = write(
        record,
        by=cast.supervisee,
        sections={"performance": "Caseload of 18.", "development": "PCF 6, reflective log."},
    )

    record.refresh_from_db()
    assert (first.number, second.number, record.version_number) == (2, 3, 3)
    assert list(
        RecordVersion.objects.filter(record=record)
        .order_by("number")
        .values_list("number", "saved_by")
    ) == [(1, cast.supervisor.pk), (2, cast.supervisor.pk), (3, cast.supervisee.pk)]
    kept = RecordVersion.objects.get(record=record, number=2)
    assert kept.content["agenda"] == {
        str(items[0].pk): "Caseload of 18 discussed.",
        str(items[1].pk): "",
    }
    assert kept.welfare == "Feeling stretched; annual leave booked for May."
    assert selectors.current_version(record).content["sections"]["development"] == (
        "PCF 6, reflective log."
    )
    assert AuditEvent.objects.filter(action="record.save", object_id=str(record.pk)).count() == 2


def test_an_unchanged_save_writes_nothing(cast):
    record = draft_record(cast)
    saved = write(record)
    record.refresh_from_db()
    before = snapshot(record)

    again = write(record)

    assert again == saved
    assert snapshot(record) == before


def test_words_are_tidied_before_they_are_kept(cast):
    record = draft_record(cast)

    version = write(
        record,
        sections={"performance": "  Caseload of 18.  \n", "development": ""},
        cases=[case(case_reference=" cf-204981 ")],
    )

    assert version.content["sections"]["performance"] == "Caseload of 18."
    assert version.content["cases"][0]["case_reference"] == "CF-204981"


# Sharing


def test_sharing_tells_the_other_party(cast):
    record = draft_record(cast)
    write(record)
    record.refresh_from_db()

    services.record_share(record=record, by=cast.supervisor, version=record.version_number)

    record.refresh_from_db()
    assert (record.status, record.shared_by) == (RecordStatus.SHARED, cast.supervisor)
    assert record.shared_at is not None
    notice = Notice.objects.get(user=cast.supervisee.user)
    assert "shared the record of your supervision" in notice.text
    assert notice.url == f"/records/{record.pk}/"
    assert not Notice.objects.filter(user=cast.supervisor.user).exists()


def test_the_supervisee_may_share_and_the_supervisor_is_told(cast):
    record = draft_record(cast)
    write(record, by=cast.supervisee)
    record.refresh_from_db()

    services.record_share(record=record, by=cast.supervisee, version=record.version_number)

    assert Notice.objects.filter(user=cast.supervisor.user).count() == 1


def test_an_empty_record_is_not_shared(cast):
    record = draft_record(cast)
    before = snapshot(record)

    with pytest.raises(ValidationError, match="every section is empty"):
        services.record_share(record=record, by=cast.supervisor, version=1)

    assert snapshot(record) == before


@pytest.mark.parametrize("who", ["manager", "colleague", "outsider"])
def test_only_a_party_shares(cast, who):
    record = draft_record(cast)
    write(record)
    record.refresh_from_db()
    before = snapshot(record)

    with pytest.raises(ValidationError, match="Only the supervisor and the supervisee"):
        services.record_share(record=record, by=getattr(cast, who), version=2)

    assert snapshot(record) == before


def test_a_record_saved_since_it_was_read_is_not_shared_unread(cast):
    record = draft_record(cast)
    write(record)
    record.refresh_from_db()
    write(record, by=cast.supervisee, welfare="Annual leave in May.")
    before = snapshot(record)

    with pytest.raises(ValidationError) as error:
        services.record_share(record=record, by=cast.supervisor, version=2)

    assert "saved since you opened it" in error.value.message_dict["version"][0]
    assert snapshot(record) == before


def test_a_shared_record_is_not_shared_again(cast):
    record = shared_record(cast)

    with pytest.raises(ValidationError, match="already been shared"):
        services.record_share(record=record, by=cast.supervisor, version=record.version_number)


# Signing


def test_both_sign_the_same_version_and_the_record_is_signed(cast):
    record = shared_record(cast)
    version = record.version_number

    services.record_sign(record=record, by=cast.supervisee, version=version)
    record.refresh_from_db()
    assert record.status == RecordStatus.SHARED
    assert "your signature is needed" in Notice.objects.filter(user=cast.supervisor.user).get().text

    services.record_sign(record=record, by=cast.supervisor, version=version)
    record.refresh_from_db()
    assert record.status == RecordStatus.SIGNED and record.signed_at is not None
    latest = selectors.current_version(record)
    signatures = services.signatures_of_current(record)
    assert {role: s.person for role, s in signatures.items()} == {
        "supervisee": cast.supervisee,
        "supervisor": cast.supervisor,
    }
    assert {s.content_hash for s in signatures.values()} == {latest.content_hash}
    assert (
        "agreed and signed by both"
        in Notice.objects.filter(user=cast.supervisee.user).latest("pk").text
    )


def test_a_stale_version_is_not_signed(cast):
    record = shared_record(cast)
    read = record.version_number
    write(record, by=cast.supervisee, welfare="Leave booked for May and June.")
    before = snapshot(record)

    with pytest.raises(ValidationError) as error:
        services.record_sign(record=record, by=cast.supervisor, version=read)

    assert error.value.message_dict == {
        "version": [
            f"You read version {read}, but the record has been changed since (version "
            f"{read + 1}). Read the latest version, then sign it."
        ]
    }
    assert snapshot(record) == before


def test_a_signature_on_an_earlier_version_does_not_count(cast):
    record = shared_record(cast)
    services.record_sign(record=record, by=cast.supervisor, version=record.version_number)
    record.refresh_from_db()
    write(record, by=cast.supervisee, welfare="I would put it differently.")
    record.refresh_from_db()

    services.record_sign(record=record, by=cast.supervisee, version=record.version_number)

    record.refresh_from_db()
    assert record.status == RecordStatus.SHARED
    assert set(services.signatures_of_current(record)) == {"supervisee"}


@pytest.mark.parametrize("who", ["manager", "head_of_service", "colleague", "admin", "outsider"])
def test_nobody_signs_someone_elses_record(cast, who):
    record = shared_record(cast)
    before = snapshot(record)

    with pytest.raises(ValidationError, match="Only the supervisor and the supervisee sign"):
        services.record_sign(record=record, by=getattr(cast, who), version=record.version_number)

    assert snapshot(record) == before


def test_a_draft_is_not_signed_and_nobody_signs_twice(cast):
    record = draft_record(cast)
    write(record)
    record.refresh_from_db()
    with pytest.raises(ValidationError, match="Share the record before signing it"):
        services.record_sign(record=record, by=cast.supervisor, version=2)

    services.record_share(record=record, by=cast.supervisor, version=2)
    services.record_sign(record=record, by=cast.supervisor, version=2)
    with pytest.raises(ValidationError, match="already signed this version"):
        services.record_sign(record=record, by=cast.supervisor, version=2)
    assert RecordSignature.objects.filter(record=record).count() == 1


# Immutable once signed


def test_a_signed_record_is_refused_by_the_services(cast):
    record = signed_record(cast)
    before = snapshot(record)

    with pytest.raises(ValidationError, match="add an addendum instead"):
        write(record, sections={"performance": "Changed afterwards.", "development": ""})
    with pytest.raises(ValidationError, match="already signed"):
        services.record_sign(record=record, by=cast.supervisee, version=record.version_number)

    assert snapshot(record) == before


def test_a_signed_record_never_changes_through_the_orm(cast):
    record = signed_record(cast)
    version = RecordVersion.objects.get(record=record, number=record.version_number)
    signature = RecordSignature.objects.filter(record=record).first()
    assert signature is not None
    due_on = record.due_on

    with pytest.raises(ImmutableRecordError):
        record.due_on = datetime.date(2030, 1, 1)
        record.save()
    with pytest.raises(ImmutableRecordError):
        Record.objects.filter(pk=record.pk).update(status=RecordStatus.DRAFT)
    with pytest.raises(ImmutableRecordError):
        Record.objects.filter(pk__in=[record.pk]).delete()
    with pytest.raises(ImmutableRecordError):
        record.delete()
    with pytest.raises(ImmutableRecordError):
        version.welfare = "Rewritten"
        version.save()
    with pytest.raises(ImmutableRecordError):
        RecordVersion.objects.filter(pk=version.pk).update(welfare="Rewritten")
    with pytest.raises(ImmutableRecordError):
        RecordVersion.objects.filter(record=record).delete()
    with pytest.raises(ImmutableRecordError):
        signature.content_hash = "0" * 64
        signature.save()
    with pytest.raises(ImmutableRecordError):
        RecordSignature.objects.filter(pk=signature.pk).update(content_hash="0" * 64)
    with pytest.raises(ImmutableRecordError):
        signature.delete()

    stored = Record.objects.get(pk=record.pk)
    assert (stored.status, stored.due_on) == (RecordStatus.SIGNED, due_on)
    assert RecordVersion.objects.get(pk=version.pk).welfare == (
        "Feeling stretched; annual leave booked for May."
    )
    assert RecordSignature.objects.filter(record=record).count() == 2


@pytest.mark.parametrize("table", ["records_recordversion", "records_recordsignature"])
def test_the_database_refuses_an_update_that_bypasses_the_orm(cast, table):
    record = signed_record(cast)
    column = "welfare" if table == "records_recordversion" else "content_hash"

    with (
        pytest.raises(DatabaseError, match="never change"),
        transaction.atomic(),
        connection.cursor() as cursor,
    ):
        cursor.execute(f"UPDATE {table} SET {column} = %s WHERE record_id = %s", ["x", record.pk])

    with connection.cursor() as cursor:
        cursor.execute(f"SELECT COUNT(*) FROM {table} WHERE {column} = %s", ["x"])
        assert cursor.fetchone()[0] == 0


def test_even_a_draft_records_saved_versions_never_change(cast):
    record = draft_record(cast)
    write(record)

    with (
        pytest.raises(DatabaseError, match="never change"),
        transaction.atomic(),
        connection.cursor() as cursor,
    ):
        cursor.execute(
            "UPDATE records_recordversion SET welfare = %s WHERE record_id = %s",
            ["Rewritten", record.pk],
        )

    assert not RecordVersion.objects.filter(record=record, welfare="Rewritten").exists()


# Addenda


def test_an_addendum_is_signed_by_its_writer_then_by_the_other(cast):
    record = signed_record(cast)

    addendum = services.addendum_add(
        record=record, by=cast.supervisee, text="The visit was on the 3rd, not the 4th."
    )

    assert (addendum.number, addendum.written_by) == (1, cast.supervisee)
    assert addendum.supervisee_signed_at is not None and addendum.supervisor_signed_at is None
    assert not addendum.is_signed
    assert (
        "your signature is needed"
        in Notice.objects.filter(user=cast.supervisor.user).latest("pk").text
    )
    with pytest.raises(ValidationError, match="already signed this addendum"):
        services.addendum_sign(addendum=addendum, by=cast.supervisee)

    signed = services.addendum_sign(addendum=addendum, by=cast.supervisor)

    assert signed.is_signed
    second = services.addendum_add(record=record, by=cast.supervisor, text="And a second one.")
    assert second.number == 2 and second.supervisor_signed_at is not None
    stored = Record.objects.get(pk=record.pk)
    assert (stored.status, stored.version_number) == (RecordStatus.SIGNED, record.version_number)


def test_an_addendums_words_never_change(cast):
    record = signed_record(cast)
    addendum = services.addendum_add(record=record, by=cast.supervisor, text="A correction.")

    with pytest.raises(ImmutableRecordError):
        addendum.text = "Another correction."
        addendum.save()
    with pytest.raises(ImmutableRecordError):
        Addendum.objects.filter(pk=addendum.pk).update(text="Another correction.")
    with pytest.raises(ImmutableRecordError):
        Addendum.objects.filter(pk=addendum.pk).delete()

    assert Addendum.objects.get(pk=addendum.pk).text == "A correction."


def test_no_addendum_on_a_draft_nor_by_someone_else_nor_empty(cast):
    draft = draft_record(cast)
    write(draft)
    with pytest.raises(ValidationError, match="still a draft"):
        services.addendum_add(record=draft, by=cast.supervisor, text="A correction.")

    record = shared_record(cast)
    with pytest.raises(ValidationError, match="Only the supervisor and the supervisee"):
        services.addendum_add(record=record, by=cast.manager, text="A correction.")
    with pytest.raises(ValidationError) as error:
        services.addendum_add(record=record, by=cast.supervisor, text="   ")
    assert error.value.message_dict == {"text": ["Enter the addendum."]}
    with pytest.raises(ValidationError) as error:
        services.addendum_add(record=record, by=cast.supervisor, text="x" * 5001)
    assert error.value.message_dict["text"][0].startswith("Enter 5,000 characters or fewer")
    assert not Addendum.objects.exists()


# Bad input: refused, keyed by field, nothing written


def bad(record: Record) -> dict[str, dict[str, Any]]:
    good = {"sections": {"performance": "Caseload.", "development": ""}}
    return {
        "sections.performance": {"sections": {"performance": "x" * 20_001, "development": ""}},
        "sections.development": {"sections": {"performance": "", "development": "x" * 20_001}},
        "welfare": {**good, "welfare": "x" * 20_001},
        "cases.0.case_reference": {**good, "cases": [case(case_reference="")]},
        "cases.1.case_reference": {
            **good,
            "cases": [case(), case(case_reference="Smith family")],
        },
        "cases.0.label": {**good, "cases": [case(label="x" * 81)]},
        "cases.0.discussion": {**good, "cases": [case(discussion="x" * 10_001)]},
        "cases.0.reflection.analysis": {
            **good,
            "cases": [case(reflection={"analysis": "x" * 10_001})],
        },
        "cases.0.rationale": {**good, "cases": [case(rationale="")]},
        "actions.0.text": {**good, "actions": [action(record, text="  ")]},
        "actions.1.text": {**good, "actions": [action(record), action(record, text="x" * 301)]},
        "actions.0.owner": {**good, "actions": [action(record, owner=record.supervisor.pk + 999)]},
        "actions.0.due_on": {
            **good,
            "actions": [action(record, due_on=(record.held_on - DAY).isoformat())],
        },
        "actions.0.case_reference": {**good, "actions": [action(record, case_reference="Sue's")]},
        "agenda": {**good, "agenda": {"999999": "Notes on an item of another session."}},
        "cases": {**good, "cases": "CF-204981"},
        "actions": {**good, "actions": {"text": "Not a list"}},
    }


BAD_FIELDS = [
    "sections.performance",
    "sections.development",
    "welfare",
    "cases.0.case_reference",
    "cases.1.case_reference",
    "cases.0.label",
    "cases.0.discussion",
    "cases.0.reflection.analysis",
    "cases.0.rationale",
    "actions.0.text",
    "actions.1.text",
    "actions.0.owner",
    "actions.0.due_on",
    "actions.0.case_reference",
    "agenda",
    "cases",
    "actions",
]


@pytest.mark.parametrize("field", BAD_FIELDS)
def test_bad_input_is_refused_by_field_and_nothing_is_written(cast, field):
    record = draft_record(cast)
    write(record, cases=[case()], actions=[action(record)])
    record.refresh_from_db()
    before = snapshot(record)

    with pytest.raises(ValidationError) as error:
        write(record, **bad(record)[field])

    assert field in error.value.message_dict, error.value.message_dict
    message = error.value.message_dict[field][0]
    assert message[0].isupper() and message.endswith(".")
    assert not error.value.message_dict.keys() - {field}
    assert snapshot(record) == before
    assert selectors.current_version(record).content["cases"][0]["case_reference"] == "CF-204981"


@pytest.mark.parametrize(
    ("due_on", "message"),
    [
        ("2031-01-01", "Enter a due date between the session and two years after it."),
        ("31/02/2027", "Enter the date it is due, like 14 5 2027."),
        ("", "Enter the date it is due, like 14 5 2027."),
    ],
)
def test_an_actions_due_date_must_be_a_date_within_two_years_of_the_session(cast, due_on, message):
    record = draft_record(cast)
    before = snapshot(record)

    with pytest.raises(ValidationError) as error:
        write(record, actions=[action(record, due_on=due_on)])

    assert error.value.message_dict == {"actions.0.due_on": [message]}
    assert snapshot(record) == before


def test_an_action_owner_who_is_not_a_party_is_refused(cast):
    record = draft_record(cast)

    with pytest.raises(ValidationError) as error:
        write(record, actions=[action(record, owner=cast.manager.pk)])

    assert error.value.message_dict == {
        "actions.0.owner": ["Choose who will do it: the supervisor or the supervisee."]
    }
    assert not Action.objects.exists()


def test_a_bad_save_by_a_stranger_or_after_signing_writes_nothing(cast):
    record = draft_record(cast)
    before = snapshot(record)

    with pytest.raises(ValidationError, match="Only the supervisor and the supervisee write"):
        write(record, by=cast.manager)

    assert snapshot(record) == before


def test_missing_parts_are_empty_not_errors(cast):
    record = draft_record(cast)

    version = services.record_save(
        record=record,
        by=cast.supervisor,
        base_version=1,
        sections={"performance": "Caseload."},
        cases=None,
        actions=None,
        agenda=None,
    )

    assert version.content["sections"] == {"performance": "Caseload.", "development": ""}
    assert (version.content["cases"], version.content["actions"]) == ([], [])


# Two people writing at once


def test_the_second_of_two_saves_from_the_same_version_is_told_and_nothing_is_overwritten(cast):
    record = draft_record(cast)
    write(record)
    record.refresh_from_db()
    base = record.version_number  # both open version 2
    write(
        record,
        base=base,
        sections={"performance": "Sam's words.", "development": ""},
    )
    before = snapshot(record)

    with pytest.raises(services.RecordConflict) as conflict:
        write(
            record,
            by=cast.supervisee,
            base=base,
            sections={"performance": "Sue's words.", "development": ""},
            welfare="Sue's welfare note.",
        )

    theirs, mine = conflict.value.theirs, conflict.value.mine
    assert (theirs.number, theirs.saved_by) == (3, cast.supervisor)
    assert theirs.content["sections"]["performance"] == "Sam's words."
    assert mine["sections"]["performance"] == "Sue's words."
    assert mine["welfare"] == "Sue's welfare note."
    assert str(conflict.value).startswith("Sam Supervisor saved this record at")
    assert snapshot(record) == before
    record.refresh_from_db()
    assert selectors.current_version(record).content["sections"]["performance"] == "Sam's words."

    # Sue copies what she needs into the latest and saves again: both words are kept.
    write(
        record,
        by=cast.supervisee,
        base=3,
        sections={"performance": "Sam's words. Sue's words.", "development": ""},
    )
    record.refresh_from_db()
    assert record.version_number == 4
    assert RecordVersion.objects.filter(record=record).count() == 4


def test_a_conflict_is_raised_even_when_the_save_would_change_nothing(cast):
    record = draft_record(cast)
    write(record)
    write(record, by=cast.supervisee, base=2, welfare="Changed.")

    with pytest.raises(services.RecordConflict):
        write(record, base=2)


# Case discussions and actions in their own rows


def test_case_discussions_and_actions_are_copied_to_their_rows(cast):
    record = draft_record(cast)

    version = write(
        record,
        cases=[case(), case(case_reference="LAC/1234", label="", decision="", rationale="")],
        actions=[action(record, case_reference="CF-204981")],
    )

    rows = list(CaseDiscussion.objects.filter(record=record).order_by("position"))
    assert [(r.case_reference, r.decision) for r in rows] == [
        ("CF-204981", "Step up to a child protection enquiry."),
        ("LAC/1234", ""),
    ]
    assert rows[0].reflection == {
        "experience": "Two missed visits.",
        "reflection": "",
        "analysis": "Capacity, not intent.",
        "action_plan": "",
    }
    assert [r.key for r in rows] == [c["key"] for c in version.content["cases"]]
    row = Action.objects.get(record=record)
    assert (row.text, row.owner, row.due_on, row.case_reference, row.status) == (
        "Book the strategy discussion",
        cast.supervisee,
        record.held_on + 7 * DAY,
        "CF-204981",
        ActionStatus.OPEN,
    )


def test_an_action_keeps_its_identity_and_progress_across_saves_by_its_key(cast):
    record = draft_record(cast)
    version = write(record, actions=[action(record), action(record, text="Read the research")])
    keys = [a["key"] for a in version.content["actions"]]
    first = Action.objects.get(record=record, key=keys[0])
    services.action_set_status(action=first, by=cast.supervisee, status=ActionStatus.DONE)
    record.refresh_from_db()

    write(
        record,
        actions=[
            action(record, key=keys[0], text="Book the strategy discussion this week"),
            action(record, text="A new one"),
        ],
    )

    rows = {a.key: a for a in Action.objects.filter(record=record)}
    assert rows[keys[0]].pk == first.pk
    assert rows[keys[0]].text == "Book the strategy discussion this week"
    assert rows[keys[0]].status == ActionStatus.DONE
    assert keys[1] not in rows  # taken out of the record, so gone
    assert len(rows) == 2


def test_repeated_or_odd_keys_get_new_ones_instead_of_failing(cast):
    record = draft_record(cast)

    version = write(
        record,
        actions=[
            action(record, key="k1"),
            action(record, key="k1", text="Same key"),
            action(record, key="x" * 41),
        ],
        cases=[case(key="c1"), case(key="c1")],
    )

    keys = [a["key"] for a in version.content["actions"]]
    assert keys[0] == "k1" and len(set(keys)) == 3 and all(len(k) <= 40 for k in keys)
    assert len({c["key"] for c in version.content["cases"]}) == 2
    assert Action.objects.filter(record=record).count() == 3


# Actions after the session


def next_session(cast, days: int = 21) -> Session:
    return Session.objects.create(
        organisation=cast.organisation,
        supervisor=cast.supervisor,
        supervisee=cast.supervisee,
        starts_at=at(days),
        duration_minutes=90,
    )


def carried_titles(session: Session) -> list[str]:
    return sorted(
        session.agenda.filter(title__startswith="Action: ").values_list("title", flat=True)
    )


def test_open_actions_go_on_the_next_sessions_agenda_once(cast):
    following = next_session(cast)
    later = next_session(cast, days=49)
    record = draft_record(cast)
    version = write(record, actions=[action(record), action(record, text="Read the research")])
    done = Action.objects.get(record=record, key=version.content["actions"][1]["key"])
    services.action_set_status(action=done, by=cast.supervisee, status=ActionStatus.DONE)
    record.refresh_from_db()

    services.record_share(record=record, by=cast.supervisor, version=record.version_number)

    assert carried_titles(following) == ["Action: Book the strategy discussion"]
    assert carried_titles(later) == []
    item = following.agenda.get(title="Action: Book the strategy discussion")
    assert "Sue Supervisee, due" in item.detail
    event = AuditEvent.objects.get(action="record.share", object_id=str(record.pk))
    assert event.detail["carried_actions"] == [Action.objects.get(record=record, status="open").pk]

    # Another record of the pair shared before that session: nothing is added twice.
    other = shared_record(cast, on=timezone.localdate() - 3 * DAY)
    assert services.carry_open_actions(other) == []
    assert carried_titles(following) == ["Action: Book the strategy discussion"]


def test_an_action_carried_by_the_meetings_app_is_not_added_again(cast):
    """Session A's record puts an action on session B; B is held with the action unfinished, so
    the meetings app carries the item on to C; B's record, shared, does not add it again."""
    a = held_session(cast, on=timezone.localdate() - 14 * DAY)
    b = Session.objects.create(
        organisation=cast.organisation,
        supervisor=cast.supervisor,
        supervisee=cast.supervisee,
        starts_at=at(-3),
        duration_minutes=90,
    )
    c = next_session(cast)
    record_a = services.record_start(session=a)
    assert record_a is not None
    write(record_a, actions=[action(record_a)])
    record_a.refresh_from_db()
    services.record_share(record=record_a, by=cast.supervisor, version=2)
    assert carried_titles(b) == ["Action: Book the strategy discussion"]

    sessions.session_record_held(session=b, started_at=at(-3), minutes=90, by=cast.supervisor)
    assert carried_titles(c) == ["Action: Book the strategy discussion"]
    record_b = Record.objects.get(session=b)
    write(record_b)
    record_b.refresh_from_db()
    services.record_share(record=record_b, by=cast.supervisor, version=2)

    assert carried_titles(c) == ["Action: Book the strategy discussion"]
    # The action follows its item on C: marking it done ticks it there.
    open_action = Action.objects.get(record=record_a)
    assert open_action.agenda_item is not None and open_action.agenda_item.session == c
    services.action_set_status(action=open_action, by=cast.supervisor, status=ActionStatus.DONE)
    assert c.agenda.get(title__startswith="Action: ").done is True


def test_no_next_session_means_nothing_is_carried(cast):
    record = draft_record(cast)
    write(record, actions=[action(record)])

    assert services.carry_open_actions(record) == []


def test_an_actions_status_changes_after_signing_and_is_audited(cast):
    following = next_session(cast)
    record = draft_record(cast)
    write(record, actions=[action(record)])
    record.refresh_from_db()
    services.record_share(record=record, by=cast.supervisor, version=2)
    services.record_sign(record=record, by=cast.supervisor, version=2)
    services.record_sign(record=record, by=cast.supervisee, version=2)
    row = Action.objects.get(record=record)

    services.action_set_status(action=row, by=cast.supervisee, status=ActionStatus.DONE)

    row.refresh_from_db()
    assert row.status == ActionStatus.DONE and row.completed_at is not None
    assert following.agenda.get(title__startswith="Action: ").done is True
    event = AuditEvent.objects.get(action="action.status")
    assert event.detail == {"action": row.pk, "status": "done"}
    assert event.actor == cast.supervisee.user
    assert Record.objects.get(pk=record.pk).status == RecordStatus.SIGNED

    services.action_set_status(action=row, by=cast.supervisor, status=ActionStatus.OPEN)
    row.refresh_from_db()
    assert row.status == ActionStatus.OPEN and row.completed_at is None


def test_only_the_people_in_the_supervision_update_an_action(cast):
    record = draft_record(cast)
    write(record, actions=[action(record)])
    row = Action.objects.get(record=record)

    with pytest.raises(ValidationError, match="Only the people in the supervision"):
        services.action_set_status(action=row, by=cast.manager, status=ActionStatus.DONE)
    with pytest.raises(ValidationError) as error:
        services.action_set_status(action=row, by=cast.supervisee, status="finished")
    assert list(error.value.message_dict) == ["status"]
    row.refresh_from_db()
    assert row.status == ActionStatus.OPEN
    assert not AuditEvent.objects.filter(action="action.status").exists()


def test_overdue_actions_show_for_the_owner_and_the_other_party(cast):
    record = draft_record(cast)  # held a week ago
    write(
        record,
        actions=[
            action(record, text="Overdue, Sue's", due_on=(record.held_on + DAY).isoformat()),
            action(record, text="Due next month", due_on=(record.held_on + 40 * DAY).isoformat()),
            action(
                record,
                text="Overdue, Sam's but done",
                owner=cast.supervisor.pk,
                due_on=(record.held_on + 2 * DAY).isoformat(),
            ),
        ],
    )
    done = Action.objects.get(text="Overdue, Sam's but done")
    services.action_set_status(action=done, by=cast.supervisor, status=ActionStatus.DONE)

    def texts(person: Any) -> list[str]:
        return [a.text for a in selectors.overdue_actions(person=person)]

    assert texts(cast.supervisee) == ["Overdue, Sue's"]
    assert texts(cast.supervisor) == ["Overdue, Sue's"]
    assert texts(cast.manager) == []
    assert texts(cast.colleague) == []
    assert [
        a.text for a in selectors.overdue_actions(person=cast.supervisee, today=record.held_on)
    ] == []
