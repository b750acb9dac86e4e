"""The agreements' demo loader on a database without the demo organisations: it makes nothing.
(Apart from ``test_demo.py``, whose tests share one loaded demo; the command's own output is
checked where the whole demo is loaded, in ``oversight/tests/test_demo.py``.)"""

import datetime

from tandem.agreements.demo import load_demo_agreements
from tandem.agreements.models import Agreement


def test_nothing_without_the_demo_organisations(db):
    assert load_demo_agreements(today=datetime.date(2026, 11, 23)) == 0
    assert not Agreement.objects.exists()
