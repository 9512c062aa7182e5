"""Email through Django's mail backends (EMAIL_BACKEND: SMTP, console, file …)."""

from __future__ import annotations

import smtplib

from django.conf import settings
from django.core.mail import EmailMessage
from django.utils.translation import gettext as _

from nutag.notify.channels import Message, Retry, Skip


class EmailSender:
    def send(self, message: Message) -> None:
        if not message.email:
            raise Skip(_("no email address"))
        subject, _sep, _rest = message.text.partition("\n")
        mail = EmailMessage(
            subject=subject[:120],
            body=message.text,
            from_email=settings.DEFAULT_FROM_EMAIL,
            to=[message.email],
            headers={"X-Nutag-Key": message.key},
        )
        try:
            mail.send()
        except (smtplib.SMTPServerDisconnected, smtplib.SMTPConnectError, OSError) as exc:
            # a timeout is an OSError too
            raise Retry(str(exc) or exc.__class__.__name__) from exc

    def was_sent(self, message: Message) -> bool | None:
        return None
