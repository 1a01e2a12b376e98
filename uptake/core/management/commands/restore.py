"""`uptake restore FILE [--replace]`: put back a database and its files from `uptake backup`."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from uptake.core.backup import BackupError, restore


class Command(BaseCommand):
    help = (
        "Restore the database and MEDIA_ROOT from an archive made by `uptake backup`. The "
        "archive is checked first; the database must be migrated and empty, unless --replace."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("file", help="The archive to read.")
        parser.add_argument(
            "--replace",
            action="store_true",
            help="Replace a database and media folder that already hold data.",
        )

    def handle(self, *args: Any, **options: Any) -> None:
        # Progress lines only with --verbosity 2; otherwise the service's own silence.
        progress = {"out": self.stderr.write} if options["verbosity"] >= 2 else {}
        if Path(options["file"]).is_dir():
            raise CommandError(f"{options['file']} is a folder: name the backup file.")
        try:
            result = restore(
                path=Path(options["file"]),
                replace=options["replace"],
                **progress,
            )
        except BackupError as exc:
            raise CommandError(str(exc)) from exc
        self.stdout.write(
            f"Restored {sum(result.rows.values())} rows of {len(result.rows)} models and "
            f"{result.media_files} files from {options['file']}."
        )
