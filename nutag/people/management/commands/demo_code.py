"""``manage.py demo_code demo-admin``: the current second-factor code of a demo login.

For the demo's first look only (the demo admin's key is published); refused in production.
"""

from __future__ import annotations

from typing import Any

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError, CommandParser
from django_otp.oath import totp
from django_otp.plugins.otp_totp.models import TOTPDevice


class Command(BaseCommand):
    help = "Print the current TOTP code of a demo login (demo only; refused in production)."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("username", nargs="?", default="demo-admin")

    def handle(self, *args: Any, **options: Any) -> None:
        if settings.NUTAG_IS_PRODUCTION:
            raise CommandError("Refused: this is a production database.")
        username = options["username"]
        if not username.startswith("demo-"):
            raise CommandError("Only demo logins (demo-…) have a published key.")
        device = TOTPDevice.objects.filter(user__username=username, confirmed=True).first()
        if device is None:
            raise CommandError(f"{username} has no second factor.")
        code = totp(device.bin_key, step=device.step, t0=device.t0, digits=device.digits)
        self.stdout.write(f"{code:0{device.digits}d}")
