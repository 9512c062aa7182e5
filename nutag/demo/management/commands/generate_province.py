"""``manage.py generate_province``: a synthetic banner, city or province for scale tests.

See ``nutag/demo/province.py`` for what is built and the sizes. Refused in production and
when the scale's root unit exists already (use a fresh database).
"""

from __future__ import annotations

from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from nutag.demo.province import SCALES, ProvinceRefusedError, describe, generate_province


class Command(BaseCommand):
    help = (
        "Generate a synthetic banner (150 units, 100,000 people), city (1,200 units, "
        "2.2 million people) or province (10,000 units, 10 million people) with a year of "
        "five-good assessments and tasks. Bulk inserts (COPY on PostgreSQL). Refused in "
        "production."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--scale", choices=list(SCALES), default="banner")
        parser.add_argument("--seed", type=int, default=20260101)
        parser.add_argument("--units", type=int, help="override the scale's number of units")
        parser.add_argument("--people", type=int, help="override the scale's number of people")

    def handle(self, *args: Any, **options: Any) -> None:
        try:
            info = generate_province(
                scale=options["scale"],
                seed=options["seed"],
                units=options["units"],
                people=options["people"],
                progress=self.stdout.write,
            )
        except (ProvinceRefusedError, ValueError) as exc:
            raise CommandError(str(exc)) from exc
        self.stdout.write(self.style.SUCCESS(f"Generated {info.root_code}: {describe(info)}"))
