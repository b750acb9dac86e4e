from django.apps import AppConfig


class OversightConfig(AppConfig):
    name = "tandem.oversight"
    label = "oversight"
    verbose_name = "Oversight"

    def ready(self) -> None:
        from . import signals

        signals.connect()
