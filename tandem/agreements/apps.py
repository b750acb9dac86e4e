from django.apps import AppConfig


class AgreementsConfig(AppConfig):
    name = "tandem.agreements"
    label = "agreements"
    verbose_name = "Supervision agreements"

    def ready(self) -> None:
        from tandem.organisations import services as organisations_services
        from tandem.organisations import views as organisations_views
        from tandem.organisations.context_processors import EXTRA_NAVIGATION
        from tandem.organisations.setup import SETUP_STEPS

        from . import panels, services, setup_steps

        organisations_views.HOME_PANELS.append(panels.home_panel)
        organisations_views.PERSON_PANELS.append(panels.person_panel)
        EXTRA_NAVIGATION.append(("Agreements", "agreements", panels.show_in_navigation))
        SETUP_STEPS.append(setup_steps.templates_step)

        # A change of supervisor makes the supervisee's agreement due for review at once.
        organisations_services.SUPERVISOR_CHANGE_HOOKS.append(
            services.agreements_supervisor_changed
        )
