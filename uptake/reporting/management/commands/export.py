"""`uptake export DATASET --format FMT`: the list pages' exports, from the console."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

from django.core.exceptions import PermissionDenied
from django.core.management import call_command
from django.core.management.base import CommandError, CommandParser

from uptake.core.management.commands._shared import DatabaseCommand, active_user, writable_file
from uptake.errors import ServiceError
from uptake.reporting import exports

IATI = "iati"
# The list pages' filters, as the export selectors read them.
FILTERS = ("q", "state", "program", "evaluation", "unit", "status", "mine", "show")


class Command(DatabaseCommand):
    help = (
        "Export evaluations, recommendations, actions or progress updates as CSV (UTF-8 with "
        "a BOM), XLSX or JSON; the columns are described in docs/exports.md. Writes to FILE "
        "with -o, otherwise to standard output (CSV and JSON only). --user reads as that "
        "person, with their permissions; --filter takes the list pages' filters "
        f"({', '.join(FILTERS)}). Writes nothing else. `export iati -o FILE [--strategy ID] "
        "[--org-ref REF] [--org-name NAME]` writes strategies' results as IATI 2.03 XML."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("dataset", choices=[*sorted(exports.DATASETS), IATI])
        parser.add_argument(
            "--format",
            choices=sorted(exports.FORMATS),
            default="csv",
            help="The file format (default: %(default)s; xlsx needs -o FILE).",
        )
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
        parser.add_argument(
            "--org-ref", default="", help="With iati: the reporting organisation's IATI identifier."
        )
        parser.add_argument(
            "--org-name", default="", help="With iati: the reporting organisation's name."
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
                org_ref=options["org_ref"],
                org_name=options["org_name"],
                stdout=self.stdout,
            )
            return
        for option in ("strategy", "org_ref", "org_name"):
            if options[option]:
                flag = "--" + option.replace("_", "-")
                raise CommandError(f"{flag} goes with the iati export only.")
        user = active_user(options["user"]) if options["user"] else None
        params: dict[str, str] = {}
        for pair in options["filter"]:
            name, sep, value = pair.partition("=")
            if not sep:
                raise CommandError(f"A filter is NAME=VALUE, not {pair!r}.")
            if name.strip() not in FILTERS:
                raise CommandError(
                    f"There is no filter named {name.strip()!r}; use one of {', '.join(FILTERS)}."
                )
            params[name.strip()] = value.strip()
        fmt = options["format"]
        if fmt == "xlsx" and not options["output"]:
            raise CommandError("XLSX is a binary file: name it with -o FILE.")
        output = writable_file(options["output"]) if options["output"] else None
        try:
            rows = exports.dataset_rows(options["dataset"], user=user, params=params)
        except PermissionDenied as exc:
            raise CommandError(str(exc)) from exc
        except ServiceError as exc:
            raise CommandError("\n".join(exc.messages)) from exc
        written = 0

        def counted() -> Iterator[list[Any]]:
            nonlocal written
            for row in rows:
                written += 1
                yield row

        if output is not None:
            # Written as it is read: a large export never sits whole in memory (XLSX apart).
            with output.open("wb") as target:
                for chunk in exports.chunks(options["dataset"], counted(), fmt):
                    target.write(chunk)
            self.stderr.write(f"{written} row(s) written to {options['output']}.")
        else:
            # The BOM is for spreadsheets opening a file; a terminal or a pipe gets none.
            for n, chunk in enumerate(exports.chunks(options["dataset"], rows, fmt)):
                text = chunk.decode("utf-8")
                self.stdout.write(text.removeprefix("\ufeff") if n == 0 else text, ending="")
