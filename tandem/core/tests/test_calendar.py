"""Working days: weekends, each nation's bank holidays with substitute days, closure days and,
for schools, term time. The bank holidays come from the `holidays` package; these tests pin the
ones ../shared/domain.md names, so an update of the package that changed them would show here.
"""

from __future__ import annotations

import datetime

import pytest

from tandem.core.calendar import TermPeriod, WorkingCalendar, bank_holidays, calendar_for
from tandem.core.models import ClosureDay, TermDate
from tandem.organisations.models import Nation, Sector
from tandem.organisations.tests.factories import OrganisationFactory

pytestmark = pytest.mark.dated

D = datetime.date
NATIONS = ["england", "wales", "scotland", "northern_ireland"]


def holiday_in(nation: str, day: datetime.date) -> bool:
    return day in bank_holidays(nation, day.year)


# Bank holidays by nation


@pytest.mark.parametrize(
    ("day", "nations"),
    [
        # The same everywhere.
        (D(2027, 1, 1), NATIONS),  # New Year's Day
        (D(2027, 3, 26), NATIONS),  # Good Friday
        (D(2027, 5, 3), NATIONS),  # Early May bank holiday
        (D(2027, 5, 31), NATIONS),  # Spring bank holiday
        (D(2027, 12, 25), NATIONS),  # Christmas Day
        # Easter Monday: not in Scotland.
        (D(2027, 3, 29), ["england", "wales", "northern_ireland"]),
        (D(2026, 4, 6), ["england", "wales", "northern_ireland"]),
        # Scotland's own: 2 January, the first Monday of August and St Andrew's Day.
        (D(2026, 1, 2), ["scotland"]),
        (D(2027, 8, 2), ["scotland"]),
        (D(2026, 11, 30), ["scotland"]),
        (D(2027, 11, 30), ["scotland"]),
        # The summer bank holiday elsewhere is the last Monday of August.
        (D(2027, 8, 30), ["england", "wales", "northern_ireland"]),
        # Northern Ireland's own: St Patrick's Day and the Battle of the Boyne (12 July).
        (D(2027, 3, 17), ["northern_ireland"]),
        (D(2027, 7, 12), ["northern_ireland"]),
    ],
)
def test_bank_holidays_by_nation(day, nations):
    for nation in NATIONS:
        assert holiday_in(nation, day) is (nation in nations), (nation, day)


def test_wales_has_the_same_bank_holidays_as_england():
    for year in (2026, 2027, 2028):
        assert bank_holidays("wales", year) == bank_holidays("england", year)


def test_scotland_has_no_easter_monday_and_the_rest_have_no_st_andrews_day():
    assert not holiday_in("scotland", D(2027, 3, 29))
    for nation in ("england", "wales", "northern_ireland"):
        assert not holiday_in(nation, D(2027, 11, 30))


# Substitute days, when a holiday falls at a weekend


def test_boxing_day_on_a_saturday_in_2026_moves_to_monday_28_december():
    assert D(2026, 12, 26).weekday() == 5
    for nation in NATIONS:
        assert holiday_in(nation, D(2026, 12, 28)), nation
    assert WorkingCalendar("england").is_working_day(D(2026, 12, 29))


def test_christmas_2027_on_a_saturday_moves_to_monday_27_and_boxing_day_to_tuesday_28():
    assert D(2027, 12, 25).weekday() == 5
    for nation in NATIONS:
        assert holiday_in(nation, D(2027, 12, 27)), nation
        assert holiday_in(nation, D(2027, 12, 28)), nation
    assert WorkingCalendar("england").is_working_day(D(2027, 12, 29))


def test_the_12_july_on_a_sunday_moves_to_monday_in_northern_ireland():
    assert D(2026, 7, 12).weekday() == 6
    assert holiday_in("northern_ireland", D(2026, 7, 13))
    assert not holiday_in("england", D(2026, 7, 13))


def test_2_january_on_a_saturday_moves_to_monday_4_january_2027_in_scotland():
    assert D(2027, 1, 2).weekday() == 5
    assert holiday_in("scotland", D(2027, 1, 4))
    assert not holiday_in("england", D(2027, 1, 4))


# Working days


def test_weekends_are_not_working_days():
    calendar = WorkingCalendar("england")
    assert [calendar.is_working_day(D(2027, 2, day)) for day in range(1, 8)] == [
        True,  # Monday 1 February 2027
        True,
        True,
        True,
        True,
        False,  # Saturday
        False,  # Sunday
    ]


def test_bank_holidays_are_not_working_days_for_their_nation_only():
    assert not WorkingCalendar("scotland").is_working_day(D(2026, 11, 30))
    assert WorkingCalendar("england").is_working_day(D(2026, 11, 30))
    assert not WorkingCalendar("england").is_working_day(D(2027, 3, 29))
    assert WorkingCalendar("scotland").is_working_day(D(2027, 3, 29))


def test_closure_days_are_not_working_days():
    calendar = WorkingCalendar("england", closures=frozenset({D(2026, 12, 29)}))
    assert not calendar.is_working_day(D(2026, 12, 29))
    assert calendar.is_working_day(D(2026, 12, 30))


def test_a_record_due_10_working_days_after_a_session_on_18_december_2026_skips_the_holidays():
    """Friday 18 December 2026, England: 21-24 December (4), Christmas Friday, the weekend,
    Monday 28 (substitute Boxing Day), 29-31 December (7), New Year's Day, the weekend,
    4-6 January (10)."""
    assert WorkingCalendar("england").add_working_days(D(2026, 12, 18), 10) == D(2027, 1, 6)
    # In Scotland, Monday 4 January is the substitute for 2 January: one day later.
    assert WorkingCalendar("scotland").add_working_days(D(2026, 12, 18), 10) == D(2027, 1, 7)


def test_closure_days_push_a_deadline_back():
    between_christmas_and_new_year = frozenset({D(2026, 12, 29), D(2026, 12, 30), D(2026, 12, 31)})
    calendar = WorkingCalendar("england", closures=between_christmas_and_new_year)
    # 21-24 December (4), then 4-8 January (9) and Monday 11 January (10).
    assert calendar.add_working_days(D(2026, 12, 18), 10) == D(2027, 1, 11)


def test_add_working_days_from_a_non_working_day_counts_from_the_next_one():
    calendar = WorkingCalendar("england")
    assert calendar.add_working_days(D(2027, 2, 6), 1) == D(2027, 2, 8)  # Saturday -> Monday
    assert calendar.add_working_days(D(2027, 2, 6), 0) == D(2027, 2, 8)
    assert calendar.add_working_days(D(2027, 2, 8), 0) == D(2027, 2, 8)


def test_next_and_previous_working_day():
    calendar = WorkingCalendar("england")
    assert calendar.next_working_day(D(2026, 12, 25)) == D(2026, 12, 29)
    assert calendar.next_working_day(D(2026, 12, 24)) == D(2026, 12, 24)
    assert calendar.next_working_day(D(2027, 12, 25)) == D(2027, 12, 29)
    assert calendar.previous_working_day(D(2027, 1, 1)) == D(2026, 12, 31)


def test_working_days_lists_them_in_a_range():
    calendar = WorkingCalendar("england")
    assert list(calendar.working_days(D(2026, 12, 24), D(2027, 1, 5))) == [
        D(2026, 12, 24),
        D(2026, 12, 29),
        D(2026, 12, 30),
        D(2026, 12, 31),
        D(2027, 1, 4),
        D(2027, 1, 5),
    ]


# Schools: term time only

TERMS = (
    TermPeriod("Autumn 1 2026", "Autumn 2026", D(2026, 9, 3), D(2026, 10, 23)),
    TermPeriod("Autumn 2 2026", "Autumn 2026", D(2026, 11, 2), D(2026, 12, 18)),
    TermPeriod("Spring 1 2027", "Spring 2027", D(2027, 1, 5), D(2027, 2, 12)),
)


def test_a_school_works_in_term_time_only():
    calendar = WorkingCalendar("england", terms=TERMS)
    assert calendar.in_term(D(2026, 10, 23))
    assert not calendar.in_term(D(2026, 10, 26))  # half term
    assert not calendar.is_working_day(D(2026, 10, 26))
    assert calendar.is_working_day(D(2026, 11, 2))
    # Friday 23 October, the last day of the half term: the next working day is 2 November.
    assert calendar.add_working_days(D(2026, 10, 23), 1) == D(2026, 11, 2)
    assert calendar.next_working_day(D(2026, 12, 19)) == D(2027, 1, 5)
    assert calendar.term_of(D(2026, 11, 10)) == TERMS[1]
    assert calendar.term_of(D(2026, 12, 25)) is None


def test_without_term_dates_every_weekday_can_be_a_working_day():
    calendar = WorkingCalendar("england")
    assert calendar.in_term(D(2026, 8, 12))
    assert calendar.is_working_day(D(2026, 8, 12))


# From the database


@pytest.mark.django_db
def test_calendar_for_reads_the_organisations_closure_days_and_term_dates():
    school = OrganisationFactory(name="Oakfield Academy", nation=Nation.WALES, sector=Sector.SCHOOL)
    other = OrganisationFactory(name="Elsewhere", nation=Nation.ENGLAND)
    ClosureDay.objects.create(organisation=school, date=D(2026, 10, 5), reason="Training day")
    ClosureDay.objects.create(organisation=other, date=D(2026, 10, 6), reason="Not ours")
    for period in TERMS:
        TermDate.objects.create(
            organisation=school,
            name=period.name,
            term=period.term,
            starts_on=period.starts_on,
            ends_on=period.ends_on,
        )

    calendar = calendar_for(school)

    assert calendar.nation == "wales"
    assert calendar.closures == frozenset({D(2026, 10, 5)})
    assert calendar.terms == TERMS
    assert not calendar.is_working_day(D(2026, 10, 5))
    assert calendar.is_working_day(D(2026, 10, 6))
    assert not calendar.is_working_day(D(2026, 10, 28))  # half term


@pytest.mark.django_db
def test_only_schools_work_in_term_time():
    council = OrganisationFactory(name="Riverside Council", sector=Sector.CHILDREN_SOCIAL_CARE)
    TermDate.objects.create(
        organisation=council,
        name="Autumn 1 2026",
        term="Autumn 2026",
        starts_on=D(2026, 9, 3),
        ends_on=D(2026, 10, 23),
    )

    assert calendar_for(council).terms == ()
    assert calendar_for(council).is_working_day(D(2026, 10, 28))
    assert len(calendar_for(council, term_time_only=True).terms) == 1


@pytest.mark.django_db
def test_a_school_without_term_dates_works_all_year():
    school = OrganisationFactory(name="New School", sector=Sector.SCHOOL)
    assert calendar_for(school).is_working_day(D(2026, 8, 12))


def test_day_off_says_why_a_day_is_not_a_working_day():
    autumn = TermPeriod("Autumn 1", "Autumn", D(2026, 9, 2), D(2026, 10, 23))
    school = WorkingCalendar(closures=frozenset({D(2026, 10, 5)}), terms=(autumn,))
    assert WorkingCalendar().day_off(D(2026, 12, 6)) == "a weekend day"
    assert WorkingCalendar().day_off(D(2026, 12, 25)) == "a bank holiday: Christmas Day"
    assert (
        WorkingCalendar().day_off(D(2026, 12, 28)) == "a bank holiday: Boxing Day (substitute day)"
    )
    assert WorkingCalendar(nation="scotland").day_off(D(2026, 11, 30)) == (
        "a bank holiday: Saint Andrew's Day"
    )
    assert WorkingCalendar().day_off(D(2026, 11, 30)) is None
    assert school.day_off(D(2026, 10, 5)) == "one of the organisation's closure days"
    assert school.day_off(D(2026, 10, 26)) == "outside term time"
    assert school.day_off(D(2026, 10, 6)) is None
