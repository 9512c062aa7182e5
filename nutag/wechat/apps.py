from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class WechatConfig(AppConfig):
    """The chat app's official accounts (公众号): one per unit, optional. The only place the
    chat platform's SDK (wechatpy) is imported."""

    name = "nutag.wechat"
    label = "wechat"
    verbose_name = _("Official accounts")

    def ready(self) -> None:
        from nutag.wechat import cards  # noqa: F401  (the "My chat app" card on /desk/me/)
