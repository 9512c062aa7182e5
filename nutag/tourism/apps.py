from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class TourismConfig(AppConfig):
    default_auto_field = "django.db.models.BigAutoField"
    name = "nutag.tourism"
    label = "tourism"
    verbose_name = _("Tourism")

    def ready(self) -> None:
        from nutag.orgs.figures import register_figure_source
        from nutag.orgs.registry import register_path_copy, register_unit_members
        from nutag.tourism import public
        from nutag.tourism.models import Booking, Place

        for model in (Place, Booking):
            register_path_copy(model)
            # Their writes change the tourism figures of the dashboard and the stats API.
            register_figure_source(model)
        # A place and its bookings belong to the place's unit: a merge moves them along.
        register_unit_members(Place, Booking)
        public.register()  # the places on the sites' tourism column
