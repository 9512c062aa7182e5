"""Outside channels behind one interface (the in-site inbox is the notification itself).

A channel takes a ``Message`` (one notice, or a digest of several, for one person) and
either sends it, or raises ``Skip`` (nothing to send to: no phone, no email), ``Retry``
(try later: a timeout, a 5xx) or ``Fail`` (will never work: a refused number).
``was_sent(message)`` asks the far side whether a message with this key already went out
(``None``: it cannot tell); the delivery loop asks before sending a message again that a
killed worker may have sent.
"""

from __future__ import annotations

import dataclasses
from typing import Protocol

from django.conf import settings
from django.utils.module_loading import import_string

from nutag.notify.models import Channel


@dataclasses.dataclass(frozen=True)
class Message:
    key: str
    text: str
    phone: str = ""
    email: str = ""
    person_id: int = 0


class Skip(Exception):
    """Nothing to send to on this channel."""


class Retry(Exception):
    """A passing failure: try again later."""


class Fail(Exception):
    """A failure that retrying will not mend."""


class Sender(Protocol):
    def send(self, message: Message) -> None: ...

    def was_sent(self, message: Message) -> bool | None: ...


def sender_for(channel: str) -> Sender:
    path = {
        Channel.SMS: settings.NUTAG_SMS_BACKEND,
        Channel.EMAIL: "nutag.notify.channels.email.EmailSender",
        Channel.CHAT: settings.NUTAG_CHAT_BACKEND,
    }[Channel(channel)]
    sender: Sender = import_string(path)()
    return sender
