from django.apps import AppConfig


class DemoConfig(AppConfig):
    """Commands only (``load_demo``, ``generate_scale_data``): no models, no pages."""

    name = "tandem.demo"
    label = "demo"
    verbose_name = "Demo and scale data"
