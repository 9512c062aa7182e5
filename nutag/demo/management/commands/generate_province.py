"""``manage.py generate_province``: a synthetic banner, city or province for scale tests.

See ``nutag/demo/province.py`` for what is built and the sizes. Refused in production and
when the scale's root unit exists already (use a fresh database).
"""

from __future__ import annotations

from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from nutag.demo.province import (
    ROOT_CODES,
    SCALES,
    ProvinceRefusedError,
    describe,
    generate_province,
)
from nutag.demo.province_activity import add_activity, describe_activity


class Command(BaseCommand):
    help = (
        "Generate a synthetic banner (150 units, 100,000 people), city (1,200 units, "
        "2.2 million people) or province (10,000 units, 10 million people) with a year of "
        "five-good assessments, tasks, articles, concerns and study. Bulk inserts (COPY on "
        "PostgreSQL). --activity-only adds the year of activity to a province generated "
        "before. Refused in production."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--scale", choices=list(SCALES), default="banner")
        parser.add_argument("--seed", type=int, default=20260101)
        parser.add_argument("--units", type=int, help="override the scale's number of units")
        parser.add_argument("--people", type=int, help="override the scale's number of people")
        parser.add_argument(
            "--activity-only",
            action="store_true",
            help="add the year of activity (articles, concerns, study, tasks) to the scale's "
            "root generated before (without activity)",
        )
        parser.add_argument(
            "--no-activity",
            action="store_true",
            help="units, people, five-good rounds and the root's tasks only",
        )

    def handle(self, *args: Any, **options: Any) -> None:
        root_code = ROOT_CODES[options["scale"]]
        try:
            if not options["activity_only"]:
                self._generate(options)
            if not options["no_activity"]:
                activity = add_activity(
                    root_code=root_code, seed=options["seed"], progress=self.stdout.write
                )
                self.stdout.write(
                    self.style.SUCCESS(f"A year of activity: {describe_activity(activity)}")
                )
        except (ProvinceRefusedError, ValueError) as exc:
            raise CommandError(str(exc)) from exc

    def _generate(self, options: dict[str, Any]) -> None:
        info = generate_province(
            scale=options["scale"],
            seed=options["seed"],
            units=options["units"],
            people=options["people"],
            progress=self.stdout.write,
        )
        self.stdout.write(self.style.SUCCESS(f"Generated {info.root_code}: {describe(info)}"))
