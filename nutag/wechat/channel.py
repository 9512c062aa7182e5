"""Template messages as the notifications' chat-app channel (``NUTAG_CHAT_BACKEND``).

A person gets their notices here when their login is bound to an official account
(``WechatBinding``) whose secretary chose a template for notices; the nearest account up the
tree wins when they are bound to several. Digests and urgent notices come as the
notifications app decides (``nutag/notify/timing.py``); this only sends one ``Message``.
The platform cannot be asked whether a message went out: ``was_sent`` answers ``None``.
"""

from __future__ import annotations

from django.core.exceptions import ValidationError
from django.db.models.functions import Length
from django.utils.translation import gettext as _

from nutag.notify.channels import Fail, Message, Retry, Skip
from nutag.people.models import Person
from nutag.wechat.models import WechatBinding
from nutag.wechat.platform import PlatformError
from nutag.wechat.services import platform_for

# The platform's answers that no retry will mend: not following the account, bad OpenID,
# template gone.
FINAL_ERRORS = {43004, 40003, 40037, 43101}


class TemplateMessageSender:
    def send(self, message: Message) -> None:
        user_id = (
            Person.objects.filter(pk=message.person_id).values_list("user_id", flat=True).first()
        )
        binding = (
            WechatBinding.objects.select_related("account")
            .filter(user_id=user_id, account__notice_template_id__gt="")
            .order_by(Length("account__unit__path").desc())
            .first()
            if user_id
            else None
        )
        if binding is None:
            raise Skip(_("not bound to an official account with a template for notices"))
        try:
            platform_for(binding.account).send_template(
                openid=binding.openid,
                template_id=binding.account.notice_template_id,
                data={"content": {"value": message.text}},
                url="",
            )
        except ValidationError as exc:  # the account has no app secret
            raise Skip(" ".join(exc.messages)) from exc
        except PlatformError as exc:
            if exc.code in FINAL_ERRORS:
                raise Fail(str(exc)) from exc
            raise Retry(str(exc)) from exc

    def was_sent(self, message: Message) -> bool | None:
        return None
