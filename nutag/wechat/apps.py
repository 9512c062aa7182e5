from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class WechatConfig(AppConfig):
    """The chat app's official accounts (公众号): one per unit, optional. The only place the
    chat platform's SDK (wechatpy) is imported."""

    name = "nutag.wechat"
    label = "wechat"
    verbose_name = _("Official accounts")

    def ready(self) -> None:
        from nutag.sites.extensions import register_page_script
        from nutag.wechat import cards  # noqa: F401  (the "My chat app" card on /desk/me/)
        from nutag.wechat.selectors import unit_has_share_cards

        # share cards: the JS-SDK configuration on the public pages of units whose account
        # can sign it (share.py; the script does nothing outside the chat app)
        register_page_script("wechat.share", "wechat/share.js", wanted=unit_has_share_cards)
