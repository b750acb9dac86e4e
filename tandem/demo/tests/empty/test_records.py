"""The records' demo loader on a database without the demo organisations: it makes nothing.
(Apart from ``loaded/``, whose tests share one loaded demo.)"""

from tandem.demo.records import load_demo_records
from tandem.records.models import Record


def test_nothing_without_the_demo_organisations(db):
    assert set(load_demo_records().values()) == {0}
    assert not Record.objects.exists()
