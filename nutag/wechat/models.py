"""A unit's official account (公众号) in the chat app: optional, one per unit."""

from __future__ import annotations

from typing import Any, ClassVar

from django.db import models
from django.utils.translation import gettext_lazy as _

from nutag.core.models import TimeStampedModel
from nutag.orgs.models import Unit

# keyword → column key of the unit's site; editable per unit (``WechatAccount.keywords``).
DEFAULT_KEYWORDS: dict[str, str] = {
    "学习": "online_study",  # the branch's online study
    "说事": "interaction",  # raise a concern (the voice app's column)
    "通知": "public_affairs",  # the latest notices
}


class WechatAccount(TimeStampedModel):
    """The secrets are sealed (``vault.seal``); ``app_id`` is public (it is in every link)."""

    unit = models.OneToOneField(
        Unit, on_delete=models.PROTECT, related_name="wechat_account", verbose_name=_("unit")
    )
    app_id = models.CharField(_("app ID"), max_length=32, blank=True)
    app_secret_sealed = models.TextField(blank=True, editable=False)
    token_sealed = models.TextField(editable=False)
    aes_key_sealed = models.TextField(blank=True, editable=False)
    safe_mode = models.BooleanField(
        _("safe mode (messages encrypted)"),
        default=False,
        help_text=_("As chosen on the platform's server settings page: plain text or safe mode."),
    )
    keywords = models.JSONField(_("keyword replies"), default=dict, blank=True)
    welcome = models.CharField(_("welcome text"), max_length=300, blank=True)
    notice_template_id = models.CharField(
        _("template for notices"),
        max_length=64,
        blank=True,
        help_text=_("A template message with one field {{content.DATA}}; empty: no notices."),
    )
    last_error = models.CharField(max_length=200, blank=True, editable=False)
    last_error_at = models.DateTimeField(null=True, blank=True, editable=False)

    # Labels of the audit keys that are not fields: the secrets, stored sealed, whose
    # change is recorded (masked) under their own names (``core.audit.change_rows``).
    audit_labels: ClassVar[dict[str, Any]] = {
        "token": _("Token"),
        "aes_key": _("Message key (EncodingAESKey)"),
        "app_secret": _("App secret (AppSecret)"),
        "menu": _("Menu"),
    }

    class Meta:
        verbose_name = _("official account")
        verbose_name_plural = _("official accounts")

    def __str__(self) -> str:
        return f"{self.unit.name} ({self.app_id or '-'})"


class WechatBinding(models.Model):
    """A login's identity in the chat app (its OpenID for one account), bound by its owner
    after signing in through the account's web authorisation. Logs them in by it; carries
    their notices as template messages."""

    account = models.ForeignKey(
        WechatAccount,
        on_delete=models.CASCADE,
        related_name="bindings",
        verbose_name=_("official account"),
    )
    user = models.ForeignKey(
        "auth.User",
        on_delete=models.CASCADE,
        related_name="wechat_bindings",
        verbose_name=_("login"),
    )
    openid = models.CharField(max_length=64)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("chat-app binding")
        verbose_name_plural = _("chat-app bindings")
        constraints = [
            models.UniqueConstraint(fields=["account", "openid"], name="wechat_binding_openid"),
            models.UniqueConstraint(fields=["account", "user"], name="wechat_binding_user"),
        ]

    def __str__(self) -> str:
        return f"{self.user} @ {self.account.unit.name}"
