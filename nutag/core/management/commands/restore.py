"""``manage.py restore ARCHIVE``: load a backup, then verify it against its manifest."""

from pathlib import Path
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from nutag.core import backup


class Command(BaseCommand):
    help = (
        "Restore a backup archive into the configured database and media storage, then "
        "verify every table and file against the archive's manifest. Refuses a database "
        "that holds data unless --force."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("archive", help="a nutag-backup-*.tar.gz made by manage.py backup")
        parser.add_argument(
            "--force", action="store_true", help="replace a database that holds data"
        )

    def handle(self, *args: Any, **options: Any) -> None:
        path = Path(options["archive"])
        if not path.is_file():
            raise CommandError(f"{path}: no such archive")
        try:
            manifest = backup.restore(archive_path=path, force=options["force"])
        except backup.BackupError as exc:
            raise CommandError(str(exc)) from exc
        rows = sum(t["rows"] for t in manifest.tables.values())
        self.stdout.write(
            f"Restored and verified {len(manifest.tables)} tables ({rows} rows) and "
            f"{len(manifest.media)} media files from the backup of {manifest.created_at}."
        )
