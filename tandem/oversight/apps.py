from django.apps import AppConfig


class OversightConfig(AppConfig):
    name = "tandem.oversight"
    label = "oversight"
    verbose_name = "Oversight"

    def ready(self) -> None:
        from tandem.meetings import views as meetings_views
        from tandem.organisations import views as organisations_views
        from tandem.organisations.context_processors import EXTRA_NAVIGATION

        from . import panels, signals, views

        # Windows rewritten in the background when what they depend on changes.
        signals.connect()
        # The supervisee's own feedback: on a held session's page and on My supervision.
        meetings_views.SESSION_PANELS.append(panels.session_panel)
        organisations_views.HOME_PANELS.append(panels.home_panel)
        # Oversight in the menu, for those who lead a unit or oversee the organisation.
        EXTRA_NAVIGATION.append(("Oversight", "oversight", views.show_in_navigation))
