"""The record pages as people use them, through the test client: from a held session to a
record signed by both, two people writing at once, autosave, bad input, signing, addenda,
disagreements, the list, and query counts that do not grow with the data.

Sam supervises Sue; Mia manages their team; Cole is in another team (see conftest.py).
"""

from __future__ import annotations

import datetime
import re
from typing import Any

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from tandem.agreements.tests.pages import form_data, shows, text
from tandem.meetings.models import AgendaItem, Session, SessionKind, SessionStatus
from tandem.records import services
from tandem.records.models import (
    Action,
    Addendum,
    CaseDiscussion,
    Disagreement,
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


def write_url(record: Record) -> str:
    return reverse("record-write", args=[record.pk])


def record_url(record: Record) -> str:
    return reverse("record", args=[record.pk])


def due(days: int, record: Record) -> str:
    return f"{record.held_on + datetime.timedelta(days=days):%d/%m/%Y}"


def messages_of(response: Any) -> list[str]:
    return [str(m) for m in response.context["messages"]] if response.context else []


def fill(record: Record, data: dict[str, Any], **changes: Any) -> dict[str, Any]:
    """The writing page's form with a whole session's record typed in: every agenda item's
    notes, the three sections, one case with a decision and two actions."""
    items = list(AgendaItem.objects.filter(session=record.session).order_by("id"))
    for number, item in enumerate(items, start=1):
        data[f"agenda-{item.pk}"] = f"Notes on item {number}"
    data |= {
        "performance": "Caseload of 18; two visits overdue.",
        "development": "PCF domain 6: a reflective log by May.",
        "welfare": "Feeling stretched; annual leave booked for May.",
        "case-0-case_reference": "cf-204981",
        "case-0-label": "Strategy meeting follow-up",
        "case-0-discussion": "Whether to hold a second strategy meeting.",
        "case-0-reflection-analysis": "The pattern of missed visits matters more than any one.",
        "case-0-decision": "Hold a second strategy meeting this week.",
        "case-0-rationale": "New information from the school.",
        "action-0-text": "Book the strategy meeting",
        "action-0-owner": str(record.supervisee_id),
        "action-0-due_on": due(3, record),
        "action-0-case_reference": "CF-204981",
        "action-1-text": "Find an ASYE reflective log template",
        "action-1-owner": str(record.supervisor_id),
        "action-1-due_on": due(14, record),
    }
    data.update(changes)
    return data


# The whole path


def test_from_a_held_session_to_a_record_signed_by_both(cast):
    session = held_session(cast, agenda=("Caseload", "Training plan", "Wellbeing"))
    sam, sue = cast.client_for(cast.supervisor), cast.client_for(cast.supervisee)

    start = sam.get(reverse("session-record", args=[session.pk]))
    record = Record.objects.get(session=session)
    assert start.status_code == 302 and start.url == write_url(record)
    page = sam.get(start.url)
    assert page.status_code == 200
    for title in ("Caseload", "Training plan", "Wellbeing"):
        assert shows(page, title)
    assert shows(page, f"Share by {record.due_on:%A %-d %B %Y}")
    assert shows(page, "Save and share with Sue Supervisee")

    data = fill(record, form_data(page), share="yes")
    shared = sam.post(write_url(record), data)

    assert shared.status_code == 302 and shared.url == record_url(record)
    record.refresh_from_db()
    assert record.status == RecordStatus.SHARED and record.version_number == 2
    case = CaseDiscussion.objects.get(record=record)
    assert (case.case_reference, case.decision) == (
        "CF-204981",
        "Hold a second strategy meeting this week.",
    )
    assert sorted(Action.objects.filter(record=record).values_list("owner", flat=True)) == sorted(
        [cast.supervisee.pk, cast.supervisor.pk]
    )
    detail = sam.get(shared.url)
    assert "Shared with Sue Supervisee, who has been told." in " ".join(messages_of(detail))
    assert shows(detail, "Caseload of 18; two visits overdue.")
    assert shows(detail, "Notes on item 3")

    sues_page = sue.get(record_url(record))
    assert shows(sues_page, "Sign version 2")
    assert sue.post(reverse("record-sign", args=[record.pk]), {"version": "2"}).status_code == 302
    record.refresh_from_db()
    assert record.status == RecordStatus.SHARED
    assert shows(sam.get(record_url(record)), "Sue Supervisee (supervisee) signed version 2")

    signed = sam.post(reverse("record-sign", args=[record.pk]), {"version": "2"}, follow=True)

    record.refresh_from_db()
    assert record.status == RecordStatus.SIGNED
    assert shows(signed, "Signed by both")
    assert "agreed and signed by both" in " ".join(messages_of(signed))
    assert not shows(signed, "Write or continue the record")
    # A signed record is no longer written: the writing page sends both to the record.
    assert sam.get(write_url(record)).url == record_url(record)
    assert sam.post(write_url(record), data).url == record_url(record)
    assert RecordVersion.objects.filter(record=record).count() == 2


def test_save_draft_keeps_the_draft_and_shows_what_was_written(cast):
    record = draft_record(cast)
    sam = cast.client_for(cast.supervisor)
    data = fill(record, form_data(sam.get(write_url(record))), save="yes")

    saved = sam.post(write_url(record), data, follow=True)

    record.refresh_from_db()
    assert record.status == RecordStatus.DRAFT and record.version_number == 2
    assert "Draft saved at" in " ".join(messages_of(saved))
    again = sam.get(write_url(record))
    assert shows(again, "Caseload of 18; two visits overdue.")
    assert shows(again, "Feeling stretched; annual leave booked for May.")
    assert 'value="CF-204981"' in text(again)
    assert f'value="{due(3, record)}"' in text(again)
    # The sections with words in them are open; the saved case and actions have their rows.
    assert '<details class="govuk-details" id="section-welfare" open>' in text(again)
    assert shows(again, "Case 1") and shows(again, "Action 2")


def test_the_supervisee_writes_too_and_a_manager_is_sent_to_the_record(cast):
    record = draft_record(cast)
    sue = cast.client_for(cast.supervisee)
    data = fill(record, form_data(sue.get(write_url(record))), save="yes")
    assert sue.post(write_url(record), data).status_code == 302
    assert RecordVersion.objects.get(record=record, number=2).saved_by == cast.supervisee

    mia = cast.client_for(cast.manager)
    assert mia.get(write_url(record)).url == record_url(record)
    assert mia.post(write_url(record), data).status_code == 403
    assert Record.objects.get(pk=record.pk).version_number == 2


def test_add_another_saves_and_gives_one_more_row(cast):
    record = draft_record(cast)
    sam = cast.client_for(cast.supervisor)
    data = fill(record, form_data(sam.get(write_url(record))), add="case")

    more = sam.post(write_url(record), data)

    record.refresh_from_db()
    assert record.version_number == 2
    assert more.status_code == 302 and more.url.endswith("#case-1")
    page = sam.get(more.url)
    assert "case-1-case_reference" in text(page) and "case-2-" not in text(page)
    assert shows(page, "Another case (optional)")
    data = form_data(page)
    data |= {
        "case-1-case_reference": "LAC/1234",
        "case-1-discussion": "Placement stability",
        "add": "action",
    }
    more = sam.post(write_url(record), data)
    page = sam.get(more.url)
    assert "action-3-text" in text(page)
    assert list(
        CaseDiscussion.objects.filter(record=record).values_list("case_reference", flat=True)
    ) == ["CF-204981", "LAC/1234"]


def test_emptying_a_row_takes_it_off_the_record(cast):
    record = draft_record(cast)
    sam = cast.client_for(cast.supervisor)
    sam.post(write_url(record), fill(record, form_data(sam.get(write_url(record))), save="yes"))
    data = form_data(sam.get(write_url(record)))
    for name in ("text", "due_on", "case_reference"):
        data[f"action-0-{name}"] = ""

    sam.post(write_url(record), data | {"save": "yes"})

    assert list(Action.objects.filter(record=record).values_list("text", flat=True)) == [
        "Find an ASYE reflective log template"
    ]


# Two people at once


def test_a_second_save_from_an_older_version_shows_both_and_overwrites_nothing(cast):
    record = draft_record(cast)
    sam, sue = cast.client_for(cast.supervisor), cast.client_for(cast.supervisee)
    sams_form = form_data(sam.get(write_url(record)))
    sues_form = form_data(sue.get(write_url(record)))
    assert sams_form["base_version"] == sues_form["base_version"] == "1"
    sam.post(write_url(record), sams_form | {"performance": "Sam's words", "save": "yes"})

    conflict = sue.post(
        write_url(record),
        sues_form | {"performance": "Sue's words", "development": "Sue's plan", "save": "yes"},
    )

    assert conflict.status_code == 200
    assert shows(conflict, "Sam Supervisor saved this record at")
    assert shows(conflict, "Where the two versions differ")
    assert shows(conflict, "Theirs: version 2, saved by Sam Supervisor")
    assert shows(conflict, "Sam's words") and shows(conflict, "Sue's words")
    # Nothing was overwritten: version 2 is Sam's, and nothing else was saved.
    versions = RecordVersion.objects.filter(record=record)
    assert versions.count() == 2
    assert versions.get(number=2).content["sections"]["performance"] == "Sam's words"
    # The form holds what Sue typed, based on Sam's version; autosave is off.
    again = form_data(conflict)
    assert again["performance"] == "Sue's words" and again["development"] == "Sue's plan"
    assert again["base_version"] == "2" and again["autosave"] == "off"
    assert "hx-post" not in text(conflict)

    deliberate = sue.post(write_url(record), again | {"save": "yes"})

    assert deliberate.status_code == 302
    assert versions.count() == 3
    assert versions.get(number=3).content["sections"]["performance"] == "Sue's words"
    assert versions.get(number=2).content["sections"]["performance"] == "Sam's words"


def test_the_same_words_saved_twice_are_no_conflict(cast):
    record = draft_record(cast)
    sam = cast.client_for(cast.supervisor)
    data = fill(record, form_data(sam.get(write_url(record))), save="yes")
    assert sam.post(write_url(record), data).status_code == 302
    # The page's autosave, or a second press of the button, from the same starting version.
    again = sam.post(write_url(record), data)
    assert again.status_code == 302 and again.url == record_url(record)
    assert RecordVersion.objects.filter(record=record).count() == 2
    # One more word is a real conflict: both versions are shown.
    changed = sam.post(write_url(record), data | {"development": "One more word"})
    assert shows(changed, "Where the two versions differ")
    assert RecordVersion.objects.filter(record=record).count() == 2


# Autosave


def autosave(client: Any, record: Record, data: dict[str, Any]) -> Any:
    return client.post(reverse("record-autosave", args=[record.pk]), data, HTTP_HX_REQUEST="true")


def test_autosave_answers_with_the_new_version_for_the_next_save(cast):
    record = draft_record(cast)
    sam = cast.client_for(cast.supervisor)
    page = sam.get(write_url(record))
    assert f'hx-post="{reverse("record-autosave", args=[record.pk])}"' in text(page)
    data = form_data(page) | {"performance": "Half a sentence"}

    saved = autosave(sam, record, data)

    assert saved.status_code == 200
    assert re.search(r"Saved at \d\d:\d\d \(version 2\)\.", text(saved))
    assert '<input type="hidden" name="base_version" value="2"' in text(saved)
    assert 'hx-swap-oob="true"' in text(saved)
    assert "<html" not in text(saved)
    record.refresh_from_db()
    assert record.version_number == 2
    # The page's next save names version 2: saving the same words writes nothing new.
    assert autosave(sam, record, data | {"base_version": "2"}).status_code == 200
    assert RecordVersion.objects.filter(record=record).count() == 2


def test_autosave_meeting_someone_elses_save_stops_and_saves_nothing(cast):
    record = draft_record(cast)
    sam, sue = cast.client_for(cast.supervisor), cast.client_for(cast.supervisee)
    sams_form = form_data(sam.get(write_url(record)))
    write(record, cast.supervisee)  # Sue saves version 2 meanwhile.

    answer = autosave(sam, record, sams_form | {"performance": "Sam's unsaved words"})

    assert "Not saved: Sue Supervisee saved this record" in text(answer)
    assert "Press Save draft to see both versions side by side" in text(answer)
    assert 'name="autosave" value="off"' in text(answer)
    assert RecordVersion.objects.filter(record=record).count() == 2
    stopped = autosave(sam, record, sams_form | {"autosave": "off", "performance": "More"})
    assert "Not saved automatically" in text(stopped)
    assert RecordVersion.objects.filter(record=record).count() == 2
    # Save draft then shows both versions, with Sam's words in the form.
    both = sam.post(
        write_url(record), sams_form | {"autosave": "off", "performance": "More", "save": "yes"}
    )
    assert shows(both, "Where the two versions differ") and form_data(both)["performance"] == "More"
    assert sue.get(record_url(record)).status_code == 200


def test_autosave_with_a_problem_saves_nothing_and_says_so(cast):
    record = draft_record(cast)
    sam = cast.client_for(cast.supervisor)
    data = form_data(sam.get(write_url(record))) | {
        "performance": "Words",
        "action-0-text": "Something",
        "action-0-due_on": "31/02/2027",
    }

    answer = autosave(sam, record, data)

    assert "Not saved automatically: 2 things to correct." in text(answer)
    assert RecordVersion.objects.filter(record=record).count() == 1


def test_autosave_is_for_the_parties_and_for_drafts(cast):
    record = draft_record(cast)
    data = form_data(cast.client_for(cast.supervisor).get(write_url(record)))
    assert autosave(cast.client_for(cast.colleague), record, data).status_code == 404
    assert autosave(cast.client_for(cast.manager), record, data).status_code == 403
    assert (
        cast.client_for(cast.supervisor)
        .get(reverse("record-autosave", args=[record.pk]))
        .status_code
        == 405
    )
    shared = shared_record(cast)
    page = cast.client_for(cast.supervisor).get(write_url(shared))
    assert "hx-post" not in text(page) and shows(page, "Save changes")
    answer = autosave(cast.client_for(cast.supervisor), shared, form_data(page))
    assert "no longer saved as you type" in text(answer)
    assert RecordVersion.objects.filter(record=shared).count() == 2


# Bad input


def test_bad_input_is_shown_with_everything_typed_and_nothing_is_written(cast):
    record = draft_record(cast)
    sam = cast.client_for(cast.supervisor)
    data = fill(
        record,
        form_data(sam.get(write_url(record))),
        performance="x" * (services.SECTION_MAX + 1),
        **{
            "action-0-text": "",
            "case-0-case_reference": "??",
            "action-1-due_on": due(-3, record),
            "action-1-case_reference": "CF-1",
            "save": "yes",
        },
    )

    page = sam.post(write_url(record), data)

    assert page.status_code == 200
    assert text(page).count('class="govuk-error-summary"') == 1
    assert "<title>Error: " in text(page)
    for message in (
        f"Enter {services.SECTION_MAX:,} characters or fewer (it has 20,001).",
        "Enter what will be done.",
        "Enter a case reference like CF-204981",
        "Enter a due date between the session and two years after it.",
    ):
        assert shows(page, message), message
    # Each error links to its field, and the field shows it too.
    assert 'href="#id_performance"' in text(page)
    assert 'href="#id_case-0-case_reference"' in text(page)
    assert 'href="#id_action-0-text"' in text(page)
    assert 'href="#id_action-1-due_on"' in text(page)
    assert 'id="id_action-1-due_on-error"' in text(page)
    # The section with the error is open; what was typed is all there.
    assert '<details class="govuk-details" id="section-performance" open>' in text(page)
    shown = form_data(page)
    assert shown["welfare"] == "Feeling stretched; annual leave booked for May."
    assert shown["case-0-case_reference"] == "??"
    assert shown["action-0-due_on"] == due(3, record)
    assert shown["action-1-text"] == "Find an ASYE reflective log template"
    # Nothing written.
    record.refresh_from_db()
    assert record.version_number == 1
    assert not CaseDiscussion.objects.filter(record=record).exists()
    assert not Action.objects.filter(record=record).exists()


def test_a_date_that_is_not_a_date_is_caught_with_the_other_problems(cast):
    record = draft_record(cast)
    sam = cast.client_for(cast.supervisor)
    data = fill(
        record,
        form_data(sam.get(write_url(record))),
        **{"action-0-due_on": "31/02/2027", "case-0-rationale": "", "save": "yes"},
    )

    page = sam.post(write_url(record), data)

    assert shows(page, "Enter a real date as day/month/year")
    assert shows(page, "Enter the rationale for the decision.")
    assert form_data(page)["action-0-due_on"] == "31/02/2027"
    assert Record.objects.get(pk=record.pk).version_number == 1


def test_a_tampered_page_is_refused_without_a_failure(cast):
    record = draft_record(cast)
    sam = cast.client_for(cast.supervisor)
    data = fill(record, form_data(sam.get(write_url(record))), save="yes")

    for changes in (
        {"base_version": "x"},
        {"case_rows": "9999", "action_rows": "-4"},
        {"action-0-owner": str(cast.manager.pk)},
        {"case-0-key": "k" * 300, "action-1-key": data["action-0-key"]},
    ):
        response = sam.post(write_url(record), data | changes)
        assert response.status_code in (200, 302), changes
    assert shows(sam.post(write_url(record), data | {"base_version": "x"}), "out of date")
    # Duplicate or over-long keys were replaced, so every action kept a row of its own.
    assert Action.objects.filter(record=record).count() == 2


# Sharing and signing


def test_sharing_an_empty_record_is_refused_on_the_page(cast):
    record = draft_record(cast)
    sam = cast.client_for(cast.supervisor)
    page = sam.post(
        reverse("record-share", args=[record.pk]), {"version": str(record.version_number)}
    )
    assert page.status_code == 200
    assert shows(page, "Write the record before sharing it: every section is empty.")
    assert Record.objects.get(pk=record.pk).status == RecordStatus.DRAFT
    # The same from the writing page keeps what was typed (nothing, here) and says why.
    page = sam.post(write_url(record), form_data(sam.get(write_url(record))) | {"share": "yes"})
    assert shows(page, "Write the record before sharing it")
    assert Record.objects.get(pk=record.pk).status == RecordStatus.DRAFT


def test_signing_a_stale_version_is_refused_and_nothing_is_signed(cast):
    record = shared_record(cast)
    sue = cast.client_for(cast.supervisee)
    read = form_data(sue.get(record_url(record)))  # the sign form, version 2
    assert read["version"] == "2"
    write(record, cast.supervisor, sections={"performance": "Changed after sharing"})

    page = sue.post(reverse("record-sign", args=[record.pk]), read)

    assert page.status_code == 200
    assert shows(page, "You read version 2, but the record has been changed since (version 3).")
    assert not RecordSignature.objects.filter(record=record).exists()
    assert shows(page, "Sign version 3") and shows(page, "Changed after sharing")


def test_signing_someone_elses_record_finds_nothing(cast):
    record = shared_record(cast)
    for who in ("colleague", "admin", "outsider"):
        client = cast.client_for(getattr(cast, who))
        assert (
            client.post(reverse("record-sign", args=[record.pk]), {"version": "2"}).status_code
            == 404
        )
        assert (
            client.post(reverse("record-share", args=[record.pk]), {"version": "2"}).status_code
            == 404
        )
    mia = cast.client_for(cast.manager)
    refused = mia.post(reverse("record-sign", args=[record.pk]), {"version": "2"})
    assert shows(refused, "Only the supervisor and the supervisee sign the record.")
    assert not RecordSignature.objects.filter(record=record).exists()


def test_signing_twice_or_a_draft_is_refused_with_a_reason(cast):
    record = shared_record(cast)
    sam = cast.client_for(cast.supervisor)
    sam.post(reverse("record-sign", args=[record.pk]), {"version": "2"})
    again = sam.post(reverse("record-sign", args=[record.pk]), {"version": "2"})
    assert shows(again, "You have already signed this version.")
    assert shows(again, "Waiting for Sue Supervisee to sign it.")
    draft = draft_record(cast, on=timezone.localdate() - datetime.timedelta(days=3))
    refused = sam.post(reverse("record-sign", args=[draft.pk]), {"version": "1"})
    assert shows(refused, "Share the record before signing it.")
    assert RecordSignature.objects.filter(record=draft).count() == 0


# Addenda


def test_an_addendum_on_a_draft_is_refused(cast):
    record = draft_record(cast)
    sam = cast.client_for(cast.supervisor)
    page = sam.get(reverse("record-addendum", args=[record.pk]))
    assert shows(page, "This record is still a draft")

    refused = sam.post(reverse("record-addendum", args=[record.pk]), {"text": "A correction"})

    assert refused.status_code == 200
    assert shows(refused, "This record is still a draft: change the record itself.")
    assert not Addendum.objects.filter(record=record).exists()


def test_an_addendum_is_added_and_signed_in_turn(cast):
    record = signed_record(cast)
    sam, sue = cast.client_for(cast.supervisor), cast.client_for(cast.supervisee)
    empty = sam.post(reverse("record-addendum", args=[record.pk]), {"text": "  "})
    assert shows(empty, "Enter the addendum.")
    long = sam.post(reverse("record-addendum", args=[record.pk]), {"text": "y" * 5001})
    assert shows(long, "Enter 5,000 characters or fewer (it has 5,001).")
    assert form_data(long)["text"] == "y" * 5001

    added = sam.post(
        reverse("record-addendum", args=[record.pk]), {"text": "The visit was on Tuesday."}
    )

    assert added.status_code == 302 and added.url.endswith("#addenda")
    page = sue.get(record_url(record))
    assert shows(page, "The visit was on Tuesday.") and shows(page, "Sign addendum 1")
    assert not shows(sam.get(record_url(record)), "Sign addendum 1")
    sue.post(reverse("record-addendum-sign", args=[record.pk, 1]))
    assert Addendum.objects.get(record=record).is_signed
    again = sue.post(reverse("record-addendum-sign", args=[record.pk, 1]))
    assert shows(again, "You have already signed this addendum.")
    assert sue.post(reverse("record-addendum-sign", args=[record.pk, 9])).status_code == 404
    assert (
        cast.client_for(cast.manager).get(reverse("record-addendum", args=[record.pk])).status_code
        == 403
    )


# Disagreements


def test_a_disagreement_shows_where_it_goes_and_is_resolved_beside_the_record(cast):
    record = shared_record(cast)
    sue, mia = cast.client_for(cast.supervisee), cast.client_for(cast.manager)
    url = reverse("record-disagree", args=[record.pk])
    page = sue.get(url)
    assert shows(page, "This goes to Mia Manager, team manager.")
    assert shows(page, "A concern about the supervisor's practice")
    empty = sue.post(url, {"kind": "record", "about": "", "text": ""})
    assert shows(empty, "Enter what you disagree with and why.")
    assert not Disagreement.objects.exists()

    raised = sue.post(
        url, {"kind": "record", "about": "The decision on CF-204981", "text": "It was agreed."}
    )

    disagreement = Disagreement.objects.get()
    assert raised.url.endswith("#disagreements")
    assert disagreement.routed_to == cast.manager
    on_record = sue.get(record_url(record))
    assert shows(on_record, "It was agreed.") and shows(on_record, "Waiting for a resolution")
    waiting = mia.get(reverse("disagreements"))
    assert reverse("disagreement", args=[disagreement.pk]) in text(waiting)
    assert shows(cast.client_for(cast.supervisee).get(reverse("disagreements")), "Waiting for Mia")
    detail_url = reverse("disagreement", args=[disagreement.pk])
    assert shows(mia.get(detail_url), "Record the resolution")
    assert not shows(sue.get(detail_url), "Record the resolution")
    assert sue.post(detail_url, {"resolution": "No"}).status_code == 403
    assert cast.client_for(cast.colleague).get(detail_url).status_code == 404
    assert cast.client_for(cast.outsider).get(detail_url).status_code == 404
    assert shows(mia.post(detail_url, {"resolution": ""}), "Enter the resolution.")

    mia.post(detail_url, {"resolution": "The record stands; the decision was explained."})

    disagreement.refresh_from_db()
    assert disagreement.status == "resolved"
    assert shows(sue.get(record_url(record)), "The record stands; the decision was explained.")
    assert not shows(mia.get(detail_url), "Record the resolution")


def test_the_supervisor_is_not_offered_a_concern_about_their_own_practice(cast):
    record = shared_record(cast)
    sam = cast.client_for(cast.supervisor)
    url = reverse("record-disagree", args=[record.pk])
    assert not shows(sam.get(url), "A concern about the supervisor's practice")
    refused = sam.post(url, {"kind": "practice", "text": "Hmm"})
    assert shows(refused, "Choose what the disagreement is about.")
    assert not Disagreement.objects.exists()
    draft = draft_record(cast, on=timezone.localdate() - datetime.timedelta(days=2))
    on_draft = sam.post(
        reverse("record-disagree", args=[draft.pk]), {"kind": "record", "text": "No"}
    )
    assert shows(on_draft, "This record is still a draft")
    assert not Disagreement.objects.exists()


# From a session


def test_a_session_not_held_or_a_group_session_has_no_record_page(cast):
    sam = cast.client_for(cast.supervisor)
    session = held_session(cast)
    Session.objects.filter(pk=session.pk).update(status=SessionStatus.SCHEDULED)
    response = sam.get(reverse("session-record", args=[session.pk]), follow=True)
    assert "record it as held first" in " ".join(messages_of(response))
    assert not Record.objects.exists()
    Session.objects.filter(pk=session.pk).update(
        status=SessionStatus.HELD, kind=SessionKind.GROUP, supervisee=None, title="Group"
    )
    response = sam.get(reverse("session-record", args=[session.pk]), follow=True)
    assert "Records are written for one to one and ad hoc sessions" in " ".join(
        messages_of(response)
    )
    assert not Record.objects.exists()


def test_from_the_session_others_go_to_the_record_and_strangers_find_nothing(cast):
    record = draft_record(cast)
    url = reverse("session-record", args=[record.session_id])
    assert cast.client_for(cast.manager).get(url).url == record_url(record)
    assert cast.client_for(cast.colleague).get(url).status_code == 404
    assert cast.client_for(cast.outsider).get(url).status_code == 404
    signed = signed_record(cast, on=timezone.localdate() - datetime.timedelta(days=2))
    url = reverse("session-record", args=[signed.session_id])
    assert cast.client_for(cast.supervisee).get(url).url == record_url(signed)


# The list


def test_the_list_shows_my_records_and_my_teams_with_their_status(cast):
    draft = draft_record(cast, on=timezone.localdate() - datetime.timedelta(days=30))
    signed = signed_record(cast, on=timezone.localdate() - datetime.timedelta(days=2))
    for who in ("supervisor", "supervisee", "manager", "director"):
        page = cast.client_for(getattr(cast, who)).get(reverse("records"))
        assert record_url(draft) in text(page) and record_url(signed) in text(page), who
        assert shows(page, "Overdue") and shows(page, "Signed by both")
    for who in ("colleague", "admin"):
        page = cast.client_for(getattr(cast, who)).get(reverse("records"))
        assert "Sue Supervisee" not in text(page) and shows(page, "No records yet"), who

    sam = cast.client_for(cast.supervisor)
    overdue = sam.get(reverse("records"), {"status": "overdue"})
    assert record_url(draft) in text(overdue) and record_url(signed) not in text(overdue)
    signed_only = sam.get(reverse("records"), {"status": "signed"})
    assert record_url(signed) in text(signed_only) and record_url(draft) not in text(signed_only)
    others = sam.get(reverse("records"), {"whose": "others"})
    assert shows(others, "No records match.")
    assert sam.get(reverse("records"), {"status": "nonsense", "page": "x"}).status_code == 200


def test_records_are_in_the_navigation(cast):
    page = cast.client_for(cast.supervisee).get(reverse("home"))
    assert f'href="{reverse("records")}"' in text(page)


# Query counts


def _more_records(cast: Any, n: int) -> None:
    """n more records of Sam and Sue in every state, with words, cases and actions."""
    for index in range(n):
        day = timezone.localdate() - datetime.timedelta(days=40 + 3 * index)
        record = draft_record(cast, on=day, agenda=("One", "Two", "Three", "Four"))
        write(
            record,
            cases=[{"case_reference": f"CF-{index}00", "decision": "Go", "rationale": "Why"}],
            actions=[
                {"text": "Do", "owner": cast.supervisee.pk, "due_on": day.isoformat()},
                {"text": "Do too", "owner": cast.supervisor.pk, "due_on": day.isoformat()},
            ],
        )
        record.refresh_from_db()
        if index % 3:
            services.record_share(record=record, by=cast.supervisor, version=2)
        if index % 3 == 2:
            services.record_sign(record=record, by=cast.supervisor, version=2)


def _grow(record: Record, cast: Any) -> None:
    """The record itself gets bigger: more versions, cases, actions, addenda, disagreements."""
    write(
        record,
        base=record.version_number,
        cases=[
            {"case_reference": f"CF-{i}11", "decision": "D", "rationale": "R"} for i in range(5)
        ],
        actions=[
            {"text": f"Do {i}", "owner": cast.supervisee.pk, "due_on": record.held_on.isoformat()}
            for i in range(6)
        ],
    )
    record.refresh_from_db()
    for number in range(3):
        services.addendum_add(record=record, by=cast.supervisor, text=f"Addendum {number}")
        services.disagreement_raise(record=record, by=cast.supervisee, text=f"No {number}")
    services.welfare_open(record=record, by=cast.manager, reason="A grievance was raised")


@pytest.mark.parametrize("who", ["supervisor", "manager"])
def test_pages_cost_the_same_queries_with_more_data(cast, who, django_assert_max_num_queries):
    record = shared_record(cast)
    client = cast.client_for(getattr(cast, who))
    urls = [record_url(record), reverse("records"), reverse("record-versions", args=[record.pk])]
    if who == "supervisor":
        urls.append(write_url(record))
    counts = {}
    for url in urls:
        client.get(url)
        with CaptureQueriesContext(connection) as queries:
            assert client.get(url).status_code == 200
        counts[url] = len(queries)

    _more_records(cast, 6)
    _grow(record, cast)

    for url in urls:
        with django_assert_max_num_queries(counts[url]):
            page = client.get(url)
        assert page.status_code == 200
    assert shows(client.get(reverse("records")), "7 records")
