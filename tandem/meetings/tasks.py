"""Background tasks for sessions, run by the django-tasks database worker (``db_worker``).

django-tasks has no scheduler: enqueue ``send_due_reminders`` from cron (with the worker
running), or run ``manage.py meetings_reminders`` from cron, which does the same in-process.
"""

from __future__ import annotations

from django_tasks import task

from tandem.core.scoping import scoped_entry

from .services import reminders


@task()
@scoped_entry
def send_due_reminders() -> dict[str, int]:
    """Plan the reminders that sessions call for, then send the due ones, each exactly once."""
    return reminders.reminders_round()
