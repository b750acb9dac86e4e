from django.apps import AppConfig


class AgreementsConfig(AppConfig):
    name = "tandem.agreements"
    label = "agreements"
    verbose_name = "Supervision agreements"

    def ready(self) -> None:
        from tandem.organisations import services as organisations_services

        from . import services

        # A change of supervisor makes the supervisee's agreement due for review at once.
        organisations_services.SUPERVISOR_CHANGE_HOOKS.append(
            services.agreements_supervisor_changed
        )
