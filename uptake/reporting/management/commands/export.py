"""`uptake export DATASET --format FMT`: the list pages' exports, from the console."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path
from typing import Any

from django.core.exceptions import PermissionDenied
from django.core.management import call_command
from django.core.management.base import BaseCommand, CommandError, CommandParser

from uptake.accounts.models import User
from uptake.errors import ServiceError
from uptake.reporting import exports

IATI = "iati"


class Command(BaseCommand):
    help = (
        "Export evaluations, recommendations, actions or progress updates as CSV (UTF-8 with "
        "a BOM), XLSX or JSON; the columns are described in docs/exports.md. Writes to FILE "
        "with -o, otherwise to standard output (CSV and JSON only). --user reads as that "
        "person, with their permissions; --filter takes the list pages' filters "
        "(q, state, program, evaluation, unit, status, mine, show). Writes nothing else. "
        "`export iati -o FILE [--strategy ID]` writes strategies' results as IATI 2.03 XML."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("dataset", choices=[*sorted(exports.DATASETS), IATI])
        parser.add_argument("--format", choices=sorted(exports.FORMATS), default="csv")
        parser.add_argument("-o", "--output", help="File to write.")
        parser.add_argument("--user", help="Export as this person (username).")
        parser.add_argument(
            "--filter",
            action="append",
            default=[],
            metavar="NAME=VALUE",
            help="A filter, as on the list pages; repeat for several.",
        )
        parser.add_argument(
            "--strategy",
            type=int,
            action="append",
            help="With iati: a strategy's id (repeat for several; default: every approved one).",
        )

    def handle(self, *args: Any, **options: Any) -> None:
        if options["dataset"] == IATI:
            # IATI activity XML belongs to the results app; `uptake export iati` is its alias.
            if not options["output"]:
                raise CommandError("IATI export writes an XML file: name it with -o FILE.")
            call_command(
                "export_iati",
                strategy=options["strategy"],
                output=options["output"],
                stdout=self.stdout,
            )
            return
        if options["strategy"]:
            raise CommandError("--strategy goes with the iati export only.")
        user = None
        if options["user"]:
            user = User.objects.filter(username=options["user"], is_active=True).first()
            if user is None:
                raise CommandError(f"No active person is called {options['user']!r}.")
        params: dict[str, str] = {}
        for pair in options["filter"]:
            name, sep, value = pair.partition("=")
            if not sep:
                raise CommandError(f"A filter is NAME=VALUE, not {pair!r}.")
            params[name.strip()] = value.strip()
        fmt = options["format"]
        if fmt == "xlsx" and not options["output"]:
            raise CommandError("XLSX is a binary file: name it with -o FILE.")
        try:
            rows = exports.dataset_rows(options["dataset"], user=user, params=params)
        except PermissionDenied as exc:
            raise CommandError(str(exc)) from exc
        except ServiceError as exc:
            raise CommandError(exc.message) from exc
        written = 0

        def counted() -> Iterator[list[Any]]:
            nonlocal written
            for row in rows:
                written += 1
                yield row

        if options["output"]:
            # Written as it is read: a large export never sits whole in memory (XLSX apart).
            with Path(options["output"]).open("wb") as target:
                for chunk in exports.chunks(options["dataset"], counted(), fmt):
                    target.write(chunk)
            self.stderr.write(f"{written} row(s) written to {options['output']}.")
        else:
            # The BOM is for spreadsheets opening a file; a terminal or a pipe gets none.
            for n, chunk in enumerate(exports.chunks(options["dataset"], rows, fmt)):
                text = chunk.decode("utf-8")
                self.stdout.write(text.removeprefix("\ufeff") if n == 0 else text, ending="")
