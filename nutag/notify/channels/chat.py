"""The chat app's template messages: the slot the chat-app integration plugs into.

Until an official account is connected (``NUTAG_CHAT_BACKEND`` names a sender written
against its API), deliveries on this channel are skipped with a reason, never lost silently.
"""

from __future__ import annotations

from django.utils.translation import gettext as _

from nutag.notify.channels import Message, Skip


class NotConnected:
    def send(self, message: Message) -> None:
        raise Skip(_("the chat app is not connected yet"))

    def was_sent(self, message: Message) -> bool | None:
        return False
