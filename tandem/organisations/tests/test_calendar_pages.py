"""The working calendar pages: an organisation admin sees the bank holidays of the organisation's
nation and manages its closure days and term dates, one at a time or from a CSV file.
"""

from __future__ import annotations

import datetime

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from tandem.core import terms
from tandem.core.calendar import calendar_for
from tandem.core.models import AuditEvent, ClosureDay, TermDate
from tandem.organisations.models import Sector

pytestmark = pytest.mark.dated

D = datetime.date

TERMS_CSV = """name,term,starts_on,ends_on
Autumn 1 2026,Autumn 2026,2026-09-03,2026-10-23
Autumn 2 2026,Autumn 2026,2026-11-02,2026-12-18
Spring 1 2027,Spring 2027,05/01/2027,12/02/2027
Spring 2 2027,Spring 2027,2027-02-22,2027-03-26
Summer 1 2027,Summer 2027,2027-04-12,2027-05-28
Summer 2 2027,Summer 2027,2027-06-07,2027-07-21
"""


def upload(content: str | bytes, name: str = "terms.csv") -> SimpleUploadedFile:
    data = content.encode() if isinstance(content, str) else content
    return SimpleUploadedFile(name, data, content_type="text/csv")


def term_rows(organisation) -> list[tuple]:
    return list(
        TermDate.objects.for_organisation(organisation)
        .order_by("starts_on")
        .values_list("pk", "name", "term", "starts_on", "ends_on")
    )


@pytest.fixture
def school(cast):
    """Riverside, for these tests, a school: its page shows term dates."""
    cast.organisation.sector = Sector.SCHOOL
    cast.organisation.save()
    return cast


# The page


def test_an_admin_sees_the_bank_holidays_of_their_nation(cast):
    response = cast.client_for(cast.admin).get(reverse("working-calendar"))

    assert response.status_code == 200
    page = response.content.decode()
    assert "Bank holidays in England" in page
    assert "Christmas Day" in page  # always within the next 12 months
    assert "Closure days" in page
    assert "Term dates" not in page  # a council, not a school


def test_another_organisation_sees_its_own_nation_and_nothing_of_riverside(cast):
    ClosureDay.objects.create(organisation=cast.organisation, date=D(2026, 12, 29), reason="Xmas")

    response = cast.client_for(cast.outsider).get(reverse("working-calendar"))

    page = response.content.decode()
    assert "Bank holidays in Wales" in page
    assert "Hillside Trust" in page
    assert "Riverside" not in page
    assert "Xmas" not in page


def test_the_bank_holidays_ahead_are_the_nations():
    from tandem.organisations.calendar_views import bank_holidays_ahead

    scotland = dict(bank_holidays_ahead("scotland", D(2026, 11, 1)))
    england = dict(bank_holidays_ahead("england", D(2026, 11, 1)))

    assert scotland[D(2026, 11, 30)] == "Saint Andrew's Day"
    assert D(2026, 11, 30) not in england
    assert england[D(2026, 12, 28)] == "Boxing Day (observed)"
    assert D(2027, 3, 29) in england  # Easter Monday
    assert D(2027, 3, 29) not in scotland
    assert max(england) <= D(2027, 11, 1)


def test_a_school_sees_its_term_dates(school):
    TermDate.objects.create(
        organisation=school.organisation,
        name="Autumn 1 2026",
        term="Autumn 2026",
        starts_on=D(2026, 9, 3),
        ends_on=D(2026, 10, 23),
    )

    page = school.client_for(school.admin).get(reverse("working-calendar")).content.decode()

    assert "Term dates" in page
    assert "Autumn 1 2026" in page
    assert reverse("term-dates-import") in page


# Closure days


def test_an_admin_adds_and_removes_a_closure_day(cast):
    client = cast.client_for(cast.admin)

    response = client.post(
        reverse("closure-day-add"), {"date": "29/12/2026", "reason": "Closed for Christmas"}
    )

    assert response.status_code == 302
    assert response.url == reverse("working-calendar")
    closure = ClosureDay.objects.get(organisation=cast.organisation)
    assert (closure.date, closure.reason) == (D(2026, 12, 29), "Closed for Christmas")
    assert not calendar_for(cast.organisation).is_working_day(D(2026, 12, 29))
    assert AuditEvent.objects.filter(action="closure_day.add", object_id=str(closure.pk)).exists()
    page = client.get(reverse("working-calendar")).content.decode()
    assert "Closed for Christmas" in page

    response = client.post(reverse("closure-day-remove", args=[closure.pk]))

    assert response.status_code == 302
    assert not ClosureDay.objects.exists()
    event = AuditEvent.objects.get(action="closure_day.remove")
    assert event.actor == cast.admin.user
    assert event.detail == {"date": "2026-12-29", "reason": "Closed for Christmas"}


def test_a_closure_day_needs_a_date_and_is_added_once(cast):
    client = cast.client_for(cast.admin)
    ClosureDay.objects.create(organisation=cast.organisation, date=D(2026, 12, 29))

    missing = client.post(reverse("closure-day-add"), {"date": "", "reason": "No date"})
    twice = client.post(reverse("closure-day-add"), {"date": "2026-12-29"})
    nonsense = client.post(reverse("closure-day-add"), {"date": "31/02/2027"})

    assert missing.status_code == twice.status_code == nonsense.status_code == 200
    assert "Enter the date the organisation is closed." in missing.content.decode()
    assert "29 December 2026 is already a closure day." in twice.content.decode()
    assert 'href="#id_date"' in twice.content.decode()
    assert "Enter a real date, for example 2027-01-05 or 05/01/2027." in nonsense.content.decode()
    assert ClosureDay.objects.count() == 1


# Term dates, one at a time


def test_an_admin_adds_and_removes_a_half_term(school):
    client = school.client_for(school.admin)

    response = client.post(
        reverse("term-date-add"),
        {
            "name": "Autumn 1 2026",
            "term": "Autumn 2026",
            "starts_on": "2026-09-03",
            "ends_on": "23/10/2026",
        },
    )

    assert response.status_code == 302
    term_date = TermDate.objects.get(organisation=school.organisation)
    assert (term_date.starts_on, term_date.ends_on) == (D(2026, 9, 3), D(2026, 10, 23))
    assert not calendar_for(school.organisation).is_working_day(D(2026, 10, 26))
    assert AuditEvent.objects.filter(action="term_date.add").count() == 1

    client.post(reverse("term-date-remove", args=[term_date.pk]))

    assert not TermDate.objects.exists()
    assert AuditEvent.objects.filter(action="term_date.remove").count() == 1


def test_a_half_term_may_not_overlap_another_or_end_before_it_starts(school):
    client = school.client_for(school.admin)
    TermDate.objects.create(
        organisation=school.organisation,
        name="Autumn 1 2026",
        term="Autumn 2026",
        starts_on=D(2026, 9, 3),
        ends_on=D(2026, 10, 23),
    )
    fields = {"name": "Autumn 2 2026", "term": "Autumn 2026"}

    overlapping = client.post(
        reverse("term-date-add"), {**fields, "starts_on": "2026-10-20", "ends_on": "2026-12-18"}
    )
    backwards = client.post(
        reverse("term-date-add"), {**fields, "starts_on": "2026-12-18", "ends_on": "2026-11-02"}
    )

    assert overlapping.status_code == 200
    assert (
        "These dates overlap Autumn 1 2026 (3 September 2026 to 23 October 2026)."
        in overlapping.content.decode()
    )
    assert "The half term must end on or after the day it starts." in backwards.content.decode()
    empty = client.post(reverse("term-date-add"), {})
    for message in (
        "Enter the name of the half term.",
        "Enter the term the half term belongs to.",
        "Enter the first day of teaching.",
        "Enter the last day of teaching.",
    ):
        assert message in empty.content.decode()
    assert TermDate.objects.count() == 1


# Term dates from a CSV file


def test_the_template_imports_as_it_is(school):
    client = school.client_for(school.admin)
    template = client.get(reverse("term-dates-template"))
    assert template["Content-Type"].startswith("text/csv")

    response = client.post(
        reverse("term-dates-import"), {"file": upload(template.content, "tandem-term-dates.csv")}
    )

    assert response.status_code == 302
    assert TermDate.objects.for_organisation(school.organisation).count() == 6


def test_an_admin_imports_term_dates_and_importing_again_changes_nothing(school):
    client = school.client_for(school.admin)

    response = client.post(reverse("term-dates-import"), {"file": upload(TERMS_CSV)})

    assert response.status_code == 302
    assert response.url == reverse("working-calendar")
    first = term_rows(school.organisation)
    assert [(row[1], row[3], row[4]) for row in first] == [
        ("Autumn 1 2026", D(2026, 9, 3), D(2026, 10, 23)),
        ("Autumn 2 2026", D(2026, 11, 2), D(2026, 12, 18)),
        ("Spring 1 2027", D(2027, 1, 5), D(2027, 2, 12)),
        ("Spring 2 2027", D(2027, 2, 22), D(2027, 3, 26)),
        ("Summer 1 2027", D(2027, 4, 12), D(2027, 5, 28)),
        ("Summer 2 2027", D(2027, 6, 7), D(2027, 7, 21)),
    ]
    page = client.get(reverse("working-calendar")).content.decode()
    assert "6 half terms: 6 added, 0 updated, 0 unchanged." in page
    assert AuditEvent.objects.filter(action="term_dates.import").count() == 1

    again = client.post(reverse("term-dates-import"), {"file": upload(TERMS_CSV)})

    assert again.status_code == 302
    assert term_rows(school.organisation) == first
    assert AuditEvent.objects.filter(action="term_dates.import").count() == 1
    page = client.get(reverse("working-calendar")).content.decode()
    assert "6 half terms: 0 added, 0 updated, 6 unchanged." in page


def test_a_corrected_file_updates_the_half_term_with_the_same_start(school):
    client = school.client_for(school.admin)
    client.post(reverse("term-dates-import"), {"file": upload(TERMS_CSV)})
    before = term_rows(school.organisation)

    corrected = TERMS_CSV.replace("2026-12-18", "2026-12-17")
    client.post(reverse("term-dates-import"), {"file": upload(corrected)})

    after = term_rows(school.organisation)
    assert [row[0] for row in after] == [row[0] for row in before]
    assert after[1][4] == D(2026, 12, 17)
    assert after[0] == before[0]


@pytest.mark.parametrize(
    ("content", "name", "message"),
    [
        (TERMS_CSV, "terms.xlsx", "The file must be a CSV file (.csv)."),
        ("", "terms.csv", "The submitted file is empty."),
        ("\n\n", "terms.csv", "The file is empty."),
        (
            "half term,from,to\nAutumn 1,2026-09-03,2026-10-23\n",
            "terms.csv",
            "The first row must name the columns name, term, starts_on, ends_on: it has no "
            "name, term, starts_on, ends_on column.",
        ),
        (
            "name,term,starts_on\nAutumn 1,Autumn,2026-09-03\n",
            "terms.csv",
            "it has no ends_on column.",
        ),
        ("name,term,starts_on,ends_on\n", "terms.csv", "The file has no term dates"),
        (b"PK\x03\x04\x00\x00binary", "terms.csv", "The file is not a CSV file"),
    ],
)
def test_a_malformed_file_is_refused_clearly_and_nothing_is_written(school, content, name, message):
    response = school.client_for(school.admin).post(
        reverse("term-dates-import"), {"file": upload(content, name)}
    )

    assert response.status_code == 200
    page = response.content.decode()
    assert "There is a problem" in page
    assert message.replace("'", "&#x27;") in page
    assert not TermDate.objects.exists()
    assert not AuditEvent.objects.filter(action="term_dates.import").exists()


def test_an_overlapping_row_is_reported_and_nothing_is_imported(school):
    overlapping = TERMS_CSV + "Extra week,Summer 2027,2027-07-19,2027-07-23\n"

    response = school.client_for(school.admin).post(
        reverse("term-dates-import"), {"file": upload(overlapping)}
    )

    assert response.status_code == 200
    page = response.content.decode()
    assert "The file has 1 problem. Nothing was imported." in page
    assert (
        "Extra week (19 July 2027 to 23 July 2027) overlaps Summer 2 2027 on row 7 "
        "(7 June 2027 to 21 July 2027)." in page
    )
    assert not TermDate.objects.exists()


def test_a_row_overlapping_term_dates_already_entered_is_reported(school):
    TermDate.objects.create(
        organisation=school.organisation,
        name="Autumn half term club",
        term="Autumn 2026",
        starts_on=D(2026, 10, 20),
        ends_on=D(2026, 10, 30),
    )
    before = term_rows(school.organisation)

    response = school.client_for(school.admin).post(
        reverse("term-dates-import"), {"file": upload(TERMS_CSV)}
    )

    page = response.content.decode()
    assert "overlaps Autumn half term club, already in your term dates" in page
    assert term_rows(school.organisation) == before


def test_every_problem_is_reported_with_its_row_and_column(school):
    rows = [
        {"name": "Autumn 1 2026", "term": "Autumn 2026", "starts_on": "2026-09-03"},
        {},
        {"name": "", "term": "Autumn 2026", "starts_on": "3 Nov", "ends_on": "2026-12-18"},
        {
            "name": "Spring 1",
            "term": "Spring 2027",
            "starts_on": "2027-02-12",
            "ends_on": "2027-01-05",
        },
        {
            "name": "Spring 2",
            "term": "Spring 2027",
            "starts_on": "2027-02-22",
            "ends_on": "2027-03-26",
        },
        {
            "name": "Spring 2 again",
            "term": "Spring 2027",
            "starts_on": "2027-02-22",
            "ends_on": "2027-03-01",
        },
    ]

    result = terms.term_dates_import(organisation=school.organisation, rows=rows, by=None)

    assert not result.ok
    assert [str(error) for error in result.errors] == [
        "row 2, ends_on: Enter the end date.",
        "row 4, name: Enter the name.",
        "row 4, starts_on: 3 Nov is not a date: use 2026-09-03 or 03/09/2026.",
        "row 5, ends_on: The half term must end on or after the day it starts.",
        "row 7, starts_on: Spring 2 again (22 February 2027 to 1 March 2027) overlaps Spring 2 "
        "on row 6 (22 February 2027 to 26 March 2027).",
    ]
    assert not TermDate.objects.exists()


def test_read_term_csv_keeps_spreadsheet_row_numbers():
    content = (
        b"\xef\xbb\xbfName, Term ,Starts On,ends-on\nA,T,2026-09-03,2026-10-23\n,,,\nB,T,x,y\n\n"
    )

    rows = terms.read_term_csv("terms.CSV", content)

    assert rows == [
        {"name": "A", "term": "T", "starts_on": "2026-09-03", "ends_on": "2026-10-23"},
        {},
        {"name": "B", "term": "T", "starts_on": "x", "ends_on": "y"},
    ]


# Who may


@pytest.mark.parametrize("who", ["director", "manager", "supervisor", "supervisee", "colleague"])
def test_only_organisation_admins_manage_the_calendar(cast, who):
    client = cast.client_for(getattr(cast, who))
    closure = ClosureDay.objects.create(organisation=cast.organisation, date=D(2026, 12, 29))
    term_date = TermDate.objects.create(
        organisation=cast.organisation,
        name="Autumn 1 2026",
        term="Autumn 2026",
        starts_on=D(2026, 9, 3),
        ends_on=D(2026, 10, 23),
    )

    assert client.get(reverse("working-calendar")).status_code == 403
    assert client.get(reverse("term-dates-import")).status_code == 403
    assert client.get(reverse("term-dates-template")).status_code == 403
    assert client.post(reverse("closure-day-add"), {"date": "2026-12-30"}).status_code == 403
    assert client.post(reverse("closure-day-remove", args=[closure.pk])).status_code == 403
    term = {"name": "A", "term": "B", "starts_on": "2027-01-05", "ends_on": "2027-02-12"}
    assert client.post(reverse("term-date-add"), term).status_code == 403
    assert client.post(reverse("term-date-remove", args=[term_date.pk])).status_code == 403
    import_response = client.post(reverse("term-dates-import"), {"file": upload(TERMS_CSV)})
    assert import_response.status_code == 403
    assert ClosureDay.objects.count() == 1
    assert TermDate.objects.count() == 1


def test_another_organisations_admin_cannot_remove_riversides_rows(cast):
    client = cast.client_for(cast.outsider)
    closure = ClosureDay.objects.create(organisation=cast.organisation, date=D(2026, 12, 29))
    term_date = TermDate.objects.create(
        organisation=cast.organisation,
        name="Autumn 1 2026",
        term="Autumn 2026",
        starts_on=D(2026, 9, 3),
        ends_on=D(2026, 10, 23),
    )

    assert client.post(reverse("closure-day-remove", args=[closure.pk])).status_code == 404
    assert client.post(reverse("term-date-remove", args=[term_date.pk])).status_code == 404
    assert ClosureDay.objects.filter(pk=closure.pk).exists()
    assert TermDate.objects.filter(pk=term_date.pk).exists()


def test_another_organisations_admin_adds_to_their_own_calendar_only(cast):
    client = cast.client_for(cast.outsider)

    client.post(reverse("closure-day-add"), {"date": "2026-12-29", "reason": "Hillside"})
    client.post(reverse("term-dates-import"), {"file": upload(TERMS_CSV)})

    assert not ClosureDay.objects.for_organisation(cast.organisation).exists()
    assert ClosureDay.objects.for_organisation(cast.other_organisation).count() == 1
    assert not TermDate.objects.for_organisation(cast.organisation).exists()
    assert TermDate.objects.for_organisation(cast.other_organisation).count() == 6


def test_removing_needs_a_post(cast):
    closure = ClosureDay.objects.create(organisation=cast.organisation, date=D(2026, 12, 29))
    client = cast.client_for(cast.admin)

    assert client.get(reverse("closure-day-remove", args=[closure.pk])).status_code == 405
    assert ClosureDay.objects.exists()
