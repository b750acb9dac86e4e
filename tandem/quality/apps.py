from django.apps import AppConfig


class QualityConfig(AppConfig):
    name = "tandem.quality"
    label = "quality"
    verbose_name = "Quality of supervision and the supervisor's pathway"

    def ready(self) -> None:
        from tandem.development import plan_views
        from tandem.meetings.services import sessions as meeting_sessions
        from tandem.organisations import views as organisations_views
        from tandem.organisations.context_processors import EXTRA_NAVIGATION
        from tandem.oversight import definitions as oversight_definitions
        from tandem.oversight import pack_documents
        from tandem.oversight import views as oversight_views
        from tandem.oversight.services import packs
        from tandem.records import selectors as record_selectors
        from tandem.records import views as records_views

        from . import panels, selectors, services, views
        from .definitions import QUALITY_DEFINITIONS

        # A case-file audit's discussions travel through the worker's supervision: its record
        # panel records the learning and the impact; a newly booked session takes on what is
        # waiting for one.
        records_views.RECORD_PANELS.append(panels.record_panel)
        meeting_sessions.SESSION_BOOKED_HOOKS.append(services.place_waiting_items)
        # An auditor reads the records of the sample they audit (without welfare).
        record_selectors.EXTRA_READERS.append(services.reads_as_auditor)
        organisations_views.PERSON_PANELS.append(panels.person_panel)
        organisations_views.HOME_PANELS.append(panels.home_panel)
        plan_views.APPRAISAL_LINKS.append(panels.appraisal_link)
        EXTRA_NAVIGATION.append(("Quality and pathway", "quality", views.show_in_navigation))
        # Oversight: the quality and workforce figures on every dashboard, defined with the rest.
        oversight_views.DASHBOARD_PANELS.append(panels.dashboard_panel)
        # Evidence packs keep them too (aggregates only).
        packs.PACK_FIGURE_HOOKS.append(selectors.pack_figures)
        pack_documents.PERCENT_KEYS.update(
            {"audit_score", "case_audits_good", "case_audits_learning", "turnover"}
        )
        known = {d.key for d in oversight_definitions.DEFINITIONS}
        for definition in QUALITY_DEFINITIONS:
            if definition.key not in known:
                oversight_definitions.DEFINITIONS.append(definition)
                oversight_definitions.BY_KEY[definition.key] = definition
