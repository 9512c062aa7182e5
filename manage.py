#!/usr/bin/env python
"""Django's command-line utility for administrative tasks.

There is no default settings module: set DJANGO_SETTINGS_MODULE (config.settings.prod to
serve, config.settings.dev to develop); see config/startup.py. Only ``makemigrations``,
which reads the code alone, runs without one.
"""

import os
import sys


def main() -> None:
    from django.core.exceptions import ImproperlyConfigured

    from config.startup import settings_for_manage

    try:
        os.environ["DJANGO_SETTINGS_MODULE"] = settings_for_manage(sys.argv)
    except ImproperlyConfigured as exc:
        sys.stderr.write(f"manage.py: {exc}\n")
        sys.exit(2)
    from django.core.management import execute_from_command_line

    execute_from_command_line(sys.argv)


if __name__ == "__main__":
    main()
