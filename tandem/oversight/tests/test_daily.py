"""``manage.py oversight_daily``: the nightly refresh of everyone's windows."""

from __future__ import annotations

from datetime import date
from io import StringIO

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError
from django.db import DatabaseError

from tandem.oversight.management.commands import oversight_daily
from tandem.oversight.models import DueWindow
from tandem.oversight.services import windows

from .factories import counting_from, organisation, person

pytestmark = [pytest.mark.django_db, pytest.mark.dated]


def test_it_writes_every_organisations_windows_and_says_how_many():
    first = counting_from(organisation(name="Alder Council"), date(2025, 1, 1))
    second = counting_from(organisation(name="Birch Trust"), date(2025, 3, 1))
    worker = person(first)
    person(second)
    organisation(name="Cedar School")  # nobody yet

    out = StringIO()
    call_command("oversight_daily", "--date", "2025-03-15", stdout=out)

    # Monthly windows to the end of June: January to June there, March to June here.
    assert out.getvalue() == (
        "Oversight: Alder Council: 6 windows written.\n"
        "Oversight: Birch Trust: 4 windows written.\n"
        "Oversight: Cedar School: 0 windows written.\n"
    )
    assert DueWindow.objects.filter(person=worker).count() == 6

    # A month later the horizon has moved on a month; what had ended is left alone.
    out = StringIO()
    call_command("oversight_daily", "--date", "2025-04-15", stdout=out)
    assert "Alder Council: 4 windows written." in out.getvalue()  # April to July
    assert DueWindow.objects.filter(person=worker).count() == 7


def test_without_a_date_it_runs_for_today(monkeypatch):
    seen = {}

    def refresh_all(*, today=None):
        seen["today"] = today
        return {"Alder Council": 1}

    monkeypatch.setattr(windows, "windows_refresh_all", refresh_all)
    out = StringIO()
    call_command("oversight_daily", stdout=out)
    assert seen == {"today": None}
    assert out.getvalue() == "Oversight: Alder Council: 1 window written.\n"


def test_a_bad_date_is_one_plain_line_and_a_failure(capsys):
    with pytest.raises(CommandError, match=r"^--date must be a date like 2027-04-09"):
        call_command("oversight_daily", "--date", "15/3/25")

    with pytest.raises(SystemExit) as exit:
        oversight_daily.Command().run_from_argv(["manage.py", "oversight_daily", "--date", "x"])
    assert exit.value.code != 0
    error = capsys.readouterr().err.strip()
    assert "\n" not in error and "Traceback" not in error


def test_a_broken_database_is_one_plain_line_and_a_failure(monkeypatch, capsys):
    def broken(**kwargs):
        raise DatabaseError('relation "oversight_duewindow" does not exist\nLINE 1: SELECT')

    monkeypatch.setattr(windows, "windows_refresh_all", broken)

    with pytest.raises(SystemExit) as exit:
        oversight_daily.Command().run_from_argv(["manage.py", "oversight_daily"])
    assert exit.value.code != 0
    error = capsys.readouterr().err.strip()
    assert error == (
        "CommandError: Oversight: the sessions required could not be written "
        '(relation "oversight_duewindow" does not exist).'
    )
