"""The demo organisations and the scale organisation: data, not product.

This package stands above every app and imports them as any caller would; no app imports it.
``manage.py load_demo`` loads the demo (``organisations``, then ``agreements``, ``meetings``,
``records`` and ``oversight``, each module writing through the apps' own services);
``manage.py generate_scale_data`` builds the benchmarks' organisation (``scale``).
"""
