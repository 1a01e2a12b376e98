"""`uptake remind`: the daily digest e-mail to focal points."""

from __future__ import annotations

from typing import Any

from django.core.management.base import CommandParser

from uptake.core.management.commands._shared import DatabaseCommand
from uptake.reporting.reminders import send_reminders


class Command(DatabaseCommand):
    help = (
        "Send each focal point one digest e-mail: their units' actions due in the next 45 "
        "days, overdue, or owing an update in the open round, with direct links. A person "
        "gets at most one a day (a second run the same day sends nothing to them). With "
        "--dry-run nothing is sent or recorded. Meant for cron, once a day."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument(
            "--dry-run", action="store_true", help="List who would get a digest; send nothing."
        )

    def handle(self, *args: Any, **options: Any) -> None:
        dry_run = options["dry_run"]
        result = send_reminders(dry_run=dry_run)
        verb = "would send" if dry_run else "sent"
        for username in result.sent:
            self.stdout.write(f"{verb}: {username}")
        for username in result.skipped_already_sent:
            self.stdout.write(f"already reminded today: {username}")
        self.stdout.write(
            f"{len(result.sent)} digest(s) {verb}, {len(result.skipped_already_sent)} already "
            f"sent today, {len(result.nothing_to_say)} focal point(s) with nothing due."
        )
