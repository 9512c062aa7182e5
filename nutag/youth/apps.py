from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class YouthConfig(AppConfig):
    default_auto_field = "django.db.models.BigAutoField"
    name = "nutag.youth"
    label = "youth"
    verbose_name = _("Youth care")

    def ready(self) -> None:
        from nutag.orgs.figures import register_figure_source
        from nutag.orgs.registry import register_path_copy, register_unit_members
        from nutag.youth.models import (
            Activity,
            GoodDeed,
            Need,
            Pairing,
            SignUp,
            Visit,
            YouthRecord,
        )

        members = (YouthRecord, Pairing, Visit, Need)
        for model in (*members, GoodDeed, Activity, SignUp):
            register_path_copy(model)
        # A record and its pairs, visits and needs belong to the young person's unit: a merge
        # moves them with the young person.
        register_unit_members(*members)
        # Their writes change the youth figures of the dashboard and the stats API.
        for model in (*members, GoodDeed, Activity, SignUp):
            register_figure_source(model)
        # The good-deeds log is the unit's history: it stays with a merged unit, moves with it.
        import nutag.youth.home  # noqa: F401  (the elder's card on their own page)
        from nutag.youth import public, signals

        signals.connect()  # a young person's move takes their record along
        public.register()  # consented activity photos on the sites' care column
