from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class MarketConfig(AppConfig):
    default_auto_field = "django.db.models.BigAutoField"
    name = "nutag.market"
    verbose_name = _("Local products shop")

    def ready(self) -> None:
        from nutag.market.models import Order, Product
        from nutag.market.selectors.shop import unit_has_products
        from nutag.market.views import render_shop_column
        from nutag.orgs.figures import register_figure_source
        from nutag.orgs.registry import register_path_copy
        from nutag.sites.extensions import register_column_page

        register_path_copy(Product)
        register_path_copy(Order)
        register_figure_source(Product)
        register_figure_source(Order)
        register_column_page("products", render_shop_column, has_content=unit_has_products)

        from nutag.market.services import market_forget_login
        from nutag.people.accounts.deletion import register_account_deletion_hook

        register_account_deletion_hook(market_forget_login)
