"""Background work for the organisations app, run by the django-tasks database worker."""

from __future__ import annotations

from django_tasks import task

from tandem.core.scoping import organisation_scope, scoped_entry

from .invitations import invitations_send
from .models import Organisation, Person


@task()
@scoped_entry
def send_invitations(organisation_id: int, person_ids: list[int], by_id: int | None = None) -> int:
    """Email invitations to the people an import added: one connection for all of them."""
    organisation = Organisation.objects.filter(pk=organisation_id).first()
    if organisation is None:
        return 0
    with organisation_scope(organisation):
        by = Person.objects.for_organisation(organisation).filter(pk=by_id).first()
        return invitations_send(organisation=organisation, person_ids=person_ids, by=by)
