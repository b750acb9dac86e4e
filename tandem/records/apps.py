from django.apps import AppConfig


class RecordsConfig(AppConfig):
    name = "tandem.records"
    label = "records"
    verbose_name = "Supervision records"

    def ready(self) -> None:
        from tandem.agreements import views as agreements_views
        from tandem.meetings import views as meetings_views
        from tandem.meetings.panels import show_in_navigation
        from tandem.meetings.services import sessions as meetings_sessions
        from tandem.organisations import views as organisations_views
        from tandem.organisations.context_processors import EXTRA_NAVIGATION

        from . import panels, services

        # Who may read what of a record is one question, ``selectors.record_access`` (levels,
        # not yes or no), asked by every page, document and API operation: no rules here.

        # A held session gets its draft record at once, with the agenda in place.
        meetings_sessions.SESSION_HELD_HOOKS.append(services.session_held_hook)
        # The records pages in the navigation, after Sessions.
        EXTRA_NAVIGATION.append(("Records", "records", show_in_navigation))
        # Records to finish and overdue actions on My supervision; the record on a held
        # session's page; who else may see the records on the agreement; a person's records.
        organisations_views.HOME_PANELS.append(panels.home_panel)
        organisations_views.PERSON_PANELS.append(panels.person_panel)
        meetings_views.SESSION_PANELS.append(panels.session_panel)
        agreements_views.AGREEMENT_PANELS.append(panels.agreement_panel)
