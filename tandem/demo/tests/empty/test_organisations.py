"""The demo organisations loaded into a database without them, on one day and again on a later
one. (Apart from ``loaded/``, whose tests share one loaded demo.)"""

import datetime

import pytest
from django.utils import timezone

from tandem.demo.organisations import load_demo
from tandem.demo.tests.loaded.test_organisations import counts
from tandem.organisations.models import Person

pytestmark = pytest.mark.dated


def test_loading_again_on_a_later_day_keeps_amira_in_week_3(db):
    today = timezone.localdate()
    load_demo(today=today - datetime.timedelta(days=20))
    before = counts()
    load_demo(today=today)
    assert counts() == before
    amira = Person.objects.get(user__email="amira.hussain@northbridge.example")
    assert (today - amira.asye_start).days // 7 + 1 == 3
