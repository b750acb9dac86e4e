"""Moments "as of" another day: how they are read (``load_demo --as-of`` and the tests'
``--as-of``), and that under the date sweep every test really starts at that moment."""

import datetime

import pytest
from django.utils import timezone

from tandem.core.clock import parse_as_of
from tandem.core.tests.shared import clock_at

pytestmark = pytest.mark.dated


def test_a_day_alone_is_nine_in_the_morning_london_time():
    moment = parse_as_of("2027-12-25")
    assert timezone.localtime(moment).replace(tzinfo=None) == datetime.datetime(2027, 12, 25, 9)
    assert moment.utcoffset() == datetime.timedelta(0)


def test_a_time_is_london_time_either_side_of_the_clocks_changing():
    # British Summer Time starts at 01:00 GMT on 28 March 2027 and ends at 01:00 GMT on 31 October.
    assert parse_as_of("2027-03-28T00:30").utcoffset() == datetime.timedelta(0)
    assert parse_as_of("2027-03-28T23:30").utcoffset() == datetime.timedelta(hours=1)
    assert parse_as_of("2027-10-31T00:30").utcoffset() == datetime.timedelta(hours=1)
    assert parse_as_of("2027-10-31T23:30").utcoffset() == datetime.timedelta(0)


def test_an_offset_given_is_kept():
    assert parse_as_of("2027-06-01T12:00+00:00").utcoffset() == datetime.timedelta(0)


@pytest.mark.parametrize("text", ["", "tomorrow", "2027-02-29", "2027-13-01", "25/12/2027"])
def test_anything_else_is_refused_in_one_sentence(text):
    with pytest.raises(ValueError, match=r"is not a date or a moment: use YYYY-MM-DD"):
        parse_as_of(text)


def test_the_clock_moves_for_everything_that_asks_the_time():
    moment = parse_as_of("2028-02-29T23:30")
    with clock_at(moment):
        assert timezone.localdate() == datetime.date(2028, 2, 29)
        assert datetime.date.today() == datetime.date(2028, 2, 29)
        assert abs(timezone.now() - moment) < datetime.timedelta(minutes=1)


def test_under_the_sweep_each_test_starts_at_its_moment(as_of_moment):
    if as_of_moment is None:
        pytest.skip("the real clock: only the date sweep (--as-of) moves it")
    assert as_of_moment <= timezone.now() < as_of_moment + datetime.timedelta(minutes=1)
    assert timezone.localdate() == timezone.localtime(as_of_moment).date()
