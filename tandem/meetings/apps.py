from django.apps import AppConfig


class MeetingsConfig(AppConfig):
    name = "tandem.meetings"
    label = "meetings"
    verbose_name = "Supervision sessions"

    def ready(self) -> None:
        from tandem.agreements import views as agreements_views
        from tandem.organisations import services as organisations_services
        from tandem.organisations import views as organisations_views
        from tandem.organisations.context_processors import EXTRA_NAVIGATION
        from tandem.organisations.setup import SETUP_STEPS

        from . import panels, schedule_views, setup_steps
        from .services import schedule

        # My next sessions on My supervision, and the sessions pages in the navigation.
        organisations_views.HOME_PANELS.append(panels.home_panel)
        EXTRA_NAVIGATION.append(("Sessions", "sessions", panels.show_in_navigation))
        SETUP_STEPS.append(setup_steps.policy_step)
        # The agreement's "Dates of supervision meetings (next 12 months)" is its schedule.
        agreements_views.AGREEMENT_PANELS.append(schedule_views.agreement_panel)

        # A change of supervisor moves the supervisee's sessions still to come to the new one.
        organisations_services.SUPERVISOR_CHANGE_HOOKS.append(schedule.sessions_supervisor_changed)
