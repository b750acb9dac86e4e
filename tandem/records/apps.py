from django.apps import AppConfig


class RecordsConfig(AppConfig):
    name = "tandem.records"
    label = "records"
    verbose_name = "Supervision records"

    def ready(self) -> None:
        from tandem.meetings import sessions as meetings_sessions

        from . import rules, services  # noqa: F401  (rules registers the permissions)

        # A held session gets its draft record at once, with the agenda in place.
        meetings_sessions.SESSION_HELD_HOOKS.append(services.session_held_hook)
