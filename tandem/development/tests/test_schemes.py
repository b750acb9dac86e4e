"""The rule sets' date arithmetic: registration years, revalidation periods, targets."""

from __future__ import annotations

import datetime

from hypothesis import given
from hypothesis import strategies as st

from tandem.development import schemes
from tandem.development.schemes import Scheme

day = datetime.date


def test_30_november_ends_a_registration_year_and_1_december_starts_the_next():
    before = schemes.registration_year(day(2026, 11, 30))
    after = schemes.registration_year(day(2026, 12, 1))
    assert (before.starts_on, before.ends_on) == (day(2025, 12, 1), day(2026, 11, 30))
    assert (after.starts_on, after.ends_on) == (day(2026, 12, 1), day(2027, 11, 30))
    assert before.label == "1 December 2025 to 30 November 2026"


@given(st.dates(min_value=day(2000, 1, 1), max_value=day(2100, 1, 1)))
def test_every_day_is_in_exactly_one_registration_year(on):
    year = schemes.registration_year(on)
    assert on in year
    assert schemes.registration_year(year.ends_on + datetime.timedelta(days=1)).starts_on == (
        year.ends_on + datetime.timedelta(days=1)
    )
    assert schemes.registration_year(year.starts_on - datetime.timedelta(days=1)).ends_on == (
        year.starts_on - datetime.timedelta(days=1)
    )


def test_reminders_start_on_1_september_before_the_year_ends():
    year = schemes.registration_year(day(2027, 2, 1))
    assert schemes.reminders_start(year) == day(2027, 9, 1)
    # An organisation whose reminders start in January: the January inside the year.
    assert schemes.reminders_start(year, from_month=1) == day(2027, 1, 1)
    # In December, the year's first month: its first day.
    assert schemes.reminders_start(year, from_month=12) == day(2026, 12, 1)


def test_a_revalidation_looks_back_three_years_and_the_next_is_three_years_on():
    period = schemes.revalidation_period(day(2027, 4, 30))
    assert (period.starts_on, period.ends_on) == (day(2024, 4, 30), day(2027, 4, 29))
    assert schemes.next_revalidation(day(2027, 4, 30)) == day(2030, 4, 30)
    # 29 February falls back to 28 February three years on.
    assert schemes.next_revalidation(day(2028, 2, 29)) == day(2031, 2, 28)


def test_the_care_certificate_target_is_12_weeks_on_by_default():
    assert schemes.care_certificate_target(day(2026, 9, 7)) == day(2026, 11, 30)
    assert schemes.care_certificate_target(day(2026, 9, 7), target_weeks=26) == day(2027, 3, 8)
    assert len(schemes.CARE_CERTIFICATE_STANDARDS) == 16


def test_a_rule_set_refuses_numbers_out_of_range_or_that_do_not_add_up():
    assert schemes.rules_problems(Scheme.SWE_CPD, schemes.defaults(Scheme.SWE_CPD)) == {}
    too_many = schemes.defaults(Scheme.SWE_CPD) | {"peer_reflected_records": 3}
    assert "peer_reflected_records" in schemes.rules_problems(Scheme.SWE_CPD, too_many)
    nmc = schemes.defaults(Scheme.NMC_REVALIDATION) | {"participatory_hours": 40}
    assert "participatory_hours" in schemes.rules_problems(Scheme.NMC_REVALIDATION, nmc)
    assert "cycle_years" in schemes.rules_problems(
        Scheme.NMC_REVALIDATION, schemes.defaults(Scheme.NMC_REVALIDATION) | {"cycle_years": 0}
    )
    assert "training_months" in schemes.rules_problems(
        Scheme.SAFEGUARDING_LEAD, {"training_months": "24", "update_months": 12}
    )


def test_who_answers_to_which_rule_set():
    assert schemes.schemes_for("registered_social_worker") == [Scheme.SWE_CPD]
    assert schemes.schemes_for("nqsw_asye") == [Scheme.SWE_CPD]
    assert schemes.schemes_for("nurse") == [Scheme.NMC_REVALIDATION]
    assert schemes.schemes_for("home_care_worker") == [Scheme.CARE_CERTIFICATE]
    assert schemes.schemes_for("teacher") == []
    assert schemes.schemes_for("teacher", safeguarding_lead=True) == [Scheme.SAFEGUARDING_LEAD]
