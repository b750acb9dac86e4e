from django.apps import AppConfig


class DevelopmentConfig(AppConfig):
    name = "tandem.development"
    label = "development"
    verbose_name = "Practitioner development"

    def ready(self) -> None:
        from tandem.organisations import views as organisations_views
        from tandem.organisations.context_processors import EXTRA_NAVIGATION
        from tandem.records import views as records_views

        from . import panels, views

        # Where each person stands (CPD, revalidation, Care Certificate, safeguarding lead
        # training, objectives) on their page and on My supervision; on a record, the position
        # at the date of the session and the open objectives to review there.
        organisations_views.PERSON_PANELS.append(panels.person_panel)
        organisations_views.HOME_PANELS.append(panels.home_panel)
        records_views.RECORD_PANELS.append(panels.record_panel)
        # My development in the menu, for everyone; the development settings for admins.
        EXTRA_NAVIGATION.append(("My development", "my-development", views.show_in_navigation))
        EXTRA_NAVIGATION.append(
            ("Development settings", "development-rules", views.show_settings_in_navigation)
        )
