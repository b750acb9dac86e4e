"""One way of writing a day: "7 September 2026", in Python and in every template."""

import datetime
import zoneinfo

from django.template import Context, Template

from tandem.core.dates import long_date

LONDON = zoneinfo.ZoneInfo("Europe/London")


def test_a_day_is_written_in_full_without_a_leading_zero():
    assert long_date(datetime.date(2026, 9, 7)) == "7 September 2026"
    assert long_date(None) == ""


def test_a_moment_is_written_on_its_day_in_london():
    # 23:30 UTC on 30 June is 00:30 on 1 July in London (British Summer Time).
    moment = datetime.datetime(2027, 6, 30, 23, 30, tzinfo=datetime.UTC)
    assert long_date(moment) == "1 July 2027"
    assert long_date(datetime.datetime(2027, 1, 5, 9, 0, tzinfo=LONDON)) == "5 January 2027"


def test_every_template_has_the_filter_without_loading_it():
    template = Template(
        "{{ day|long_date }}|{{ moment|long_date }}|{{ nothing|long_date }}|{{ text|long_date }}"
    )
    rendered = template.render(
        Context(
            {
                "day": datetime.date(2028, 2, 29),
                "moment": datetime.datetime(2027, 10, 30, 23, 30, tzinfo=datetime.UTC),
                "nothing": None,
                "text": "not recorded",
            }
        )
    )
    assert rendered == "29 February 2028|31 October 2027||not recorded"
