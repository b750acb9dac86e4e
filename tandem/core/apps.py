from django.apps import AppConfig
from django.db.models.signals import post_migrate


class CoreConfig(AppConfig):
    name = "tandem.core"
    label = "core"
    verbose_name = "Tandem core"

    def ready(self) -> None:
        from .row_security import row_security_after_migrate

        # Not business behaviour: the database's own guard, made after every migrate.
        post_migrate.connect(row_security_after_migrate, dispatch_uid="tandem_row_security")
