from django.apps import AppConfig


class DemoConfig(AppConfig):
    """The demo banner and ``manage.py load_demo``: the top of the import graph.

    It may import every app; no app imports it. It has no models.
    """

    name = "nutag.demo"
    label = "demo"
