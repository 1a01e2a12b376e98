"""`uptake import FILE`: read a published management response into a draft evaluation."""

from __future__ import annotations

import json
from typing import Any

from django.conf import settings
from django.core.exceptions import PermissionDenied
from django.core.management.base import CommandError, CommandParser
from django.db.models import Q

from uptake.accounts.models import Role, User
from uptake.core.management.commands._shared import DatabaseCommand, active_user
from uptake.errors import ServiceError
from uptake.evaluations.models import Agreement
from uptake.importer.errors import DocumentError
from uptake.importer.parsing import ParsedDocument, parse_document
from uptake.importer.services import (
    ImportChoices,
    ImportReport,
    import_plan,
    undetermined_agreements,
    unit_match,
    unit_proposals,
)


class Command(DatabaseCommand):
    help = (
        "Read a management response (.txt, .html, .docx or .pdf) and create a draft "
        "evaluation from it: recommendations, each unit's response and its actions. Units "
        "are matched to existing ones by code or name; unknown ones are created. With "
        "--dry-run nothing is written; a refused import writes nothing either."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("file", help="The document to read.")
        parser.add_argument(
            "--dry-run", action="store_true", help="Show what would be imported; write nothing."
        )
        parser.add_argument(
            "--json",
            action="store_true",
            help="With --dry-run: print the parsed structure as JSON. Otherwise: the summary.",
        )
        parser.add_argument("--language", choices=["en", "fr"], help="The document's language.")
        parser.add_argument(
            "--user",
            help="Who imports (username). Default: the first active evaluation-unit member.",
        )
        parser.add_argument(
            "--default-agreement",
            choices=list(Agreement.values),
            help="The agreement to record where the document does not state one.",
        )

    def uses_database(self, options: dict[str, Any]) -> bool:
        # A JSON dry run only parses the document: it works without a database.
        return not (options["dry_run"] and options["json"] and not options["user"])

    def handle(self, *args: Any, **options: Any) -> None:
        path = options["file"]
        # Checked first, dry run included: a wrong --user is refused before any reading.
        named = active_user(options["user"]) if options["user"] else None
        try:
            parsed = parse_document(path, language=options["language"])
        except DocumentError as exc:
            raise CommandError(str(exc)) from exc
        if options["dry_run"]:
            self._dry_run(parsed, as_json=options["json"])
            return
        user = named or self._default_user()
        report = ImportReport()
        choices = ImportChoices(default_agreement=options["default_agreement"])
        try:
            evaluation = import_plan(parsed=parsed, by=user, choices=choices, report=report)
        except (ServiceError, PermissionDenied) as exc:
            message = exc.message if isinstance(exc, ServiceError) else str(exc)
            hint = (
                " Use --default-agreement agree|partially_agree|disagree to record one."
                if isinstance(exc, ServiceError) and exc.field == "agreement"
                else ""
            )
            raise CommandError(f"{path}: nothing was imported. {message}{hint}") from exc
        url = settings.UPTAKE_BASE_URL.rstrip("/") + evaluation.get_absolute_url()
        if options["json"]:
            summary = {"url": url, "evaluation": evaluation.pk, **report.__dict__}
            self.stdout.write(json.dumps(summary, ensure_ascii=False, indent=1))
            return
        # Recording a unit's response starts the response: an import with responses is no draft.
        self.stdout.write(f"Evaluation created as “{evaluation.get_state_display()}”: {url}")
        self.stdout.write(
            f"{report.recommendations} recommendation(s), {report.responses} response(s), "
            f"{report.actions} action(s)."
        )
        self.stdout.write(f"Units matched: {', '.join(report.units_matched) or 'none'}")
        self.stdout.write(f"Units created: {', '.join(report.units_created) or 'none'}")
        if report.notes:
            self.stdout.write(
                f"Kept as notes on the recommendations ({len(report.notes)}; "
                f"{report.unplaced} unplaced passage(s)):"
            )
            for note in report.notes:
                self.stdout.write(f"  - {note}")

    def _dry_run(self, parsed: ParsedDocument, *, as_json: bool) -> None:
        if as_json:
            self.stdout.write(json.dumps(parsed.to_dict(), ensure_ascii=False, indent=1))
            return
        self.stdout.write(f"{parsed.source_name}: {parsed.title or '(no title)'}")
        for rec in parsed.recommendations:
            self.stdout.write(f"Recommendation {rec.number or '?'}: {rec.text[:100]}")
            for resp in rec.responses:
                unit = unit_match(resp.unit) if resp.unit else None
                known = f" = {unit.code}" if unit else " (new unit)" if resp.unit else ""
                self.stdout.write(
                    f"  {resp.unit or '(no unit)'}{known}: {resp.agreement or 'agreement ?'}, "
                    f"{len(resp.actions)} action(s)"
                )
        for proposal in unit_proposals(parsed):
            self.stdout.write(f"New unit: {proposal.code} ({proposal.name})")
        for where in undetermined_agreements(parsed):
            self.stdout.write(f"Agreement not stated: {where}")
        for item in parsed.unplaced:
            start, end = item.line_span
            self.stdout.write(f"Unplaced (lines {start}-{end}): {item.text[:100]}")
        self.stdout.write("Dry run: nothing was written.")

    def _default_user(self) -> User:
        user = (
            User.objects.filter(is_active=True)
            .filter(Q(role__in=[Role.EVALUATION_UNIT, Role.ADMINISTRATOR]) | Q(is_superuser=True))
            .order_by("id")
            .first()
        )
        if user is None:
            raise CommandError(
                "No active evaluation-unit or administrator account exists to import as: "
                "create one, or name one with --user."
            )
        return user
