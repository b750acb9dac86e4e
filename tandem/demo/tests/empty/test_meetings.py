"""The sessions' demo loader on a database without the demo organisations: it makes nothing.
(Apart from ``loaded/``, whose tests share one loaded demo.)"""

from tandem.core.models import TermDate
from tandem.demo.meetings import load_demo_sessions
from tandem.meetings.models import Session


def test_nothing_without_the_demo_organisations(db):
    assert set(load_demo_sessions().values()) == {0}
    assert not Session.objects.exists()
    assert not TermDate.objects.exists()
