"""The oversight demo loader on a database without the demo organisations: it makes nothing.
(Apart from ``loaded/``, whose tests share one loaded demo.)"""

import datetime

from tandem.demo.oversight import load_demo_oversight
from tandem.oversight.models import DueWindow


def test_nothing_without_the_demo_organisations(db):
    assert load_demo_oversight(today=datetime.date(2026, 11, 23)) == {
        "windows": 0,
        "feedback": 0,
        "packs": 0,
        "accesses": 0,
    }
    assert not DueWindow.objects.exists()
