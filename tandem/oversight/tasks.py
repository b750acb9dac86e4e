"""Background work for oversight, run by the django-tasks database worker (``db_worker``)."""

from __future__ import annotations

from django_tasks import task

from tandem.core.scoping import organisation_scope, scoped_entry
from tandem.organisations.models import Organisation, Person

from .services.windows import windows_refresh


@task()
@scoped_entry
def refresh_windows(organisation_id: int, person_ids: list[int] | None = None) -> int:
    """Rewrite the current and future windows of these people (or of everyone) after a change
    to something they depend on."""
    organisation = Organisation.objects.filter(pk=organisation_id).first()
    if organisation is None:
        return 0
    with organisation_scope(organisation):
        people = None
        if person_ids is not None:
            people = list(Person.objects.for_organisation(organisation).filter(pk__in=person_ids))
        return windows_refresh(organisation, people=people)
