from django.apps import AppConfig


class QualityConfig(AppConfig):
    name = "tandem.quality"
    label = "quality"
    verbose_name = "Quality of supervision and the supervisor's pathway"

    def ready(self) -> None:
        from tandem.meetings.services import sessions as meeting_sessions
        from tandem.organisations import views as organisations_views
        from tandem.organisations.context_processors import EXTRA_NAVIGATION
        from tandem.records import selectors as record_selectors
        from tandem.records import views as records_views

        from . import panels, services, views

        # A case-file audit's discussions travel through the worker's supervision: its record
        # panel records the learning and the impact; a newly booked session takes on what is
        # waiting for one.
        records_views.RECORD_PANELS.append(panels.record_panel)
        meeting_sessions.SESSION_BOOKED_HOOKS.append(services.place_waiting_items)
        # An auditor reads the records of the sample they audit (without welfare).
        record_selectors.EXTRA_READERS.append(services.reads_as_auditor)
        organisations_views.PERSON_PANELS.append(panels.person_panel)
        organisations_views.HOME_PANELS.append(panels.home_panel)
        EXTRA_NAVIGATION.append(("Quality and pathway", "quality", views.show_in_navigation))
