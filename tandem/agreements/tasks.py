"""Background tasks for agreements, run by the django-tasks database worker (``db_worker``)."""

from __future__ import annotations

from django_tasks import task

from tandem.core.scoping import scoped_entry

from . import services


@task()
@scoped_entry
def agreements_daily_task() -> dict[str, int]:
    """The daily round, as ``manage.py agreements_daily`` does it: mark reviews that have come
    due, then send reminders of reviews due within 30 days. Idempotent within a day."""
    marked = services.agreements_mark_due()
    reminded = services.agreement_reminders_send()
    return {"marked_due": marked, "reminders_sent": reminded}
