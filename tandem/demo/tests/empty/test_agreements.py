"""The agreements' demo loader on a database without the demo organisations: it makes nothing.
(Apart from ``loaded/``, whose tests share one loaded demo; the command's own output is
checked there, in ``loaded/test_oversight.py``.)"""

import datetime

from tandem.agreements.models import Agreement
from tandem.demo.agreements import load_demo_agreements


def test_nothing_without_the_demo_organisations(db):
    assert load_demo_agreements(today=datetime.date(2026, 11, 23)) == 0
    assert not Agreement.objects.exists()
