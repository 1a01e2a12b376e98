"""Strategies' results as IATI 2.03 XML. `uptake export iati` is the documented way to run
it; this command takes the same options (`export_iati -o FILE [--strategy ID] [--org-ref
REF] [--org-name NAME]`)."""

from __future__ import annotations

from typing import Any

from django.core.management.base import CommandError, CommandParser

from uptake.core.management.commands._shared import DatabaseCommand, writable_file
from uptake.results.iati import activities_xml, exportable_strategies
from uptake.results.models import Strategy


class Command(DatabaseCommand):
    help = (
        "Write strategies (their logic models, indicators, baselines, targets and approved "
        "actuals) as an IATI 2.03 activity file. Without --strategy, every approved or "
        "published strategy is written; drafts only when named. Also run as `uptake export iati`."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--strategy", type=int, action="append", help="A strategy's id.")
        parser.add_argument("-o", "--output", required=True, help="The XML file to write.")
        parser.add_argument(
            "--org-ref", default="", help="The reporting organisation's IATI identifier."
        )
        parser.add_argument("--org-name", default="", help="The reporting organisation's name.")

    def handle(self, *args: Any, **options: Any) -> None:
        output = writable_file(options["output"])
        ids = options["strategy"]
        if ids:
            strategies = list(Strategy.objects.filter(pk__in=ids).order_by("id"))
            missing = set(ids) - {s.pk for s in strategies}
            if missing:
                listed = ", ".join(str(i) for i in sorted(missing))
                raise CommandError(f"No strategy has the id {listed}.")
        else:
            strategies = exportable_strategies()
        data = activities_xml(strategies, ref=options["org_ref"], name=options["org_name"])
        with output.open("wb") as handle:
            handle.write(data)
        noun = "activity" if len(strategies) == 1 else "activities"
        self.stdout.write(f"Wrote {len(strategies)} {noun} to {options['output']}.")
