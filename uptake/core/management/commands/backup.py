"""`uptake backup FILE [--force]`: the whole database and every uploaded file in one archive."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from django.core.management.base import CommandError, CommandParser

from uptake.core.backup import BackupError, backup
from uptake.core.management.commands._shared import DatabaseCommand


class Command(DatabaseCommand):
    help = (
        "Write every row of the database (sessions excepted) and every file under MEDIA_ROOT "
        "to FILE, a zip archive with a checksummed manifest. `uptake restore FILE` reads it."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("file", help="The archive to write, for example uptake-backup.zip.")
        parser.add_argument("--force", action="store_true", help="Replace FILE if it exists.")

    def handle(self, *args: Any, **options: Any) -> None:
        # Progress lines only with --verbosity 2; otherwise the service's own silence.
        progress = {"out": self.stderr.write} if options["verbosity"] >= 2 else {}
        if Path(options["file"]).is_dir():
            raise CommandError(f"{options['file']} is a folder: name a file.")
        try:
            result = backup(
                path=Path(options["file"]),
                force=options["force"],
                **progress,
            )
        except BackupError as exc:
            raise CommandError(str(exc)) from exc
        self.stdout.write(
            f"Backed up {sum(result.rows.values())} rows of {len(result.rows)} models and "
            f"{result.media_files} files to {result.path} ({result.size} bytes)."
        )
