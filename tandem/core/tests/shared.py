"""What tests in every app share besides the cast (``conftest.py``): the clock at a moment, and rows
built once for a whole module or package."""

from __future__ import annotations

import contextlib
import datetime
from collections.abc import Callable, Iterator
from typing import Any

import pytest
import time_machine
from django.db import connection, transaction
from django.utils import timezone

BUILT_BEFORE = datetime.timedelta(minutes=5)


def row_security_queries() -> int:
    """What a signed-in page costs on PostgreSQL for row-level security, whatever its data:
    telling the connection to look across organisations for who is signed in, then their
    organisation (core/scoping.py). None on SQLite."""
    return 2 if connection.vendor == "postgresql" else 0


def noon(day: datetime.date) -> datetime.datetime:
    """Midday in London on ``day``: a moment for a test that fixes "today"."""
    return timezone.make_aware(datetime.datetime.combine(day, datetime.time(12)))


@contextlib.contextmanager
def clock_at(moment: datetime.datetime | None) -> Iterator[None]:
    """The clock at ``moment`` (ticking from there), or left alone when it is None."""
    if moment is None:
        yield
        return
    with time_machine.travel(moment, tick=True):
        yield


def clock_before(moment: datetime.datetime | None) -> contextlib.AbstractContextManager[None]:
    """The clock for rows built once for a module under the date sweep: a few minutes before the
    tests' moment (never the day before), since each test starts again at the moment itself.
    Built at the moment, a record the demo signs "now" was signed after the test's now."""
    if moment is None:
        return clock_at(None)
    midnight = timezone.localtime(moment).replace(hour=0, minute=0, second=0, microsecond=0)
    return clock_at(max(moment - BUILT_BEFORE, midnight))


@contextlib.contextmanager
def shared_rows(django_db_blocker: Any) -> Iterator[None]:
    """Rows built once for a whole module (the demo takes seconds to load) and gone after it:
    they are written in an outer transaction that is rolled back at the end, and each test,
    through pytest-django's ``db``, runs in a savepoint inside it, so what one test changes the
    next never sees. Use from a module-scoped fixture; the tests still ask for ``db``."""
    with django_db_blocker.unblock(), transaction.atomic():
        yield
        transaction.set_rollback(True)


def built_once(build: Callable[[], Any], scope: str = "module") -> Any:
    """A fixture of ``scope`` (a module, or a package for rows its modules share) giving what
    ``build`` returns, its rows built once (``shared_rows``) with the clock just before the
    tests' moment (``clock_before``). Tests reach it through a function fixture that also asks
    for ``db``, so each runs in its own savepoint."""

    @pytest.fixture(scope=scope)  # type: ignore[call-overload]
    def rows(django_db_blocker: Any, as_of_moment: datetime.datetime | None) -> Iterator[Any]:
        with shared_rows(django_db_blocker):
            with clock_before(as_of_moment):
                made = build()
            yield made

    return rows
