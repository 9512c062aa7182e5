"""``manage.py backup``: one dated archive of the database and the media files."""

from pathlib import Path
from typing import Any

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError, CommandParser

from nutag.core import backup


class Command(BaseCommand):
    help = (
        "Back up the database (SQLite online backup API, or pg_dump) and the media files "
        "(local or S3) into one dated archive with a manifest (rows and checksums per table)."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument(
            "--output",
            default=settings.NUTAG_BACKUP_DIR,
            help="directory of the archives (NUTAG_BACKUP_DIR, default var/backups)",
        )
        parser.add_argument(
            "--keep", type=int, default=0, help="then delete all but the newest N archives"
        )

    def handle(self, *args: Any, **options: Any) -> None:
        directory = Path(options["output"])
        try:
            path = backup.backup(directory=directory)
        except backup.BackupError as exc:
            raise CommandError(str(exc)) from exc
        manifest, archive = backup._read_archive(path)
        archive.close()
        rows = sum(t["rows"] for t in manifest.tables.values())
        self.stdout.write(
            f"Backed up {len(manifest.tables)} tables ({rows} rows) and "
            f"{len(manifest.media)} media files to {path}"
        )
        if options["keep"]:
            for old in backup.prune(directory=directory, keep=options["keep"]):
                self.stdout.write(f"Deleted the old archive {old}")
