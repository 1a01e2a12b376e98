from typing import Any

from django.core.management.base import CommandError, CommandParser

from uptake.core.management.commands._shared import DatabaseCommand
from uptake.errors import ServiceError
from uptake.evaluations import synthetic


class Command(DatabaseCommand):
    help = (
        "Fill the database with synthetic evaluations for benchmarks and load tests: about 6 "
        "recommendations, 18 actions and 100 progress updates per evaluation, plus ~150 units "
        "and ~300 focal points (fp-<unit code>-1, eval-01, committee-01, viewer-01) who share "
        "one password. Refuses a database that already holds evaluations unless --add. "
        "No history rows are written for generated data."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument(
            "--evaluations",
            type=int,
            required=True,
            metavar="N",
            help="How many evaluations to create (required; no default).",
        )
        parser.add_argument(
            "--seed", type=int, default=synthetic.DEFAULT_SEED, help="Same seed, same data."
        )
        parser.add_argument(
            "--batch-size",
            type=int,
            default=synthetic.DEFAULT_BATCH_SIZE,
            help="Rows per INSERT (default %(default)s).",
        )
        parser.add_argument(
            "--password",
            default=synthetic.DEFAULT_PASSWORD,
            help="The password of every generated person (default: %(default)s).",
        )
        parser.add_argument(
            "--add",
            action="store_true",
            help="Add to a database that already holds evaluations (use another --seed).",
        )
        parser.add_argument(
            "--no-rounds", action="store_true", help="Do not open and close follow-up rounds."
        )

    def handle(self, *args: Any, **options: Any) -> None:
        try:
            counts = synthetic.generate(
                evaluations=options["evaluations"],
                seed=options["seed"],
                batch_size=options["batch_size"],
                password=options["password"],
                add=options["add"],
                rounds=not options["no_rounds"],
                out=self.stdout,
            )
        except ServiceError as exc:
            raise CommandError("\n".join(exc.messages)) from exc
        for name, value in counts.rows():
            self.stdout.write(f"{name:>16}: {value:,}")
        self.stdout.write(f"Created in {counts.seconds:.1f} seconds.")
        self.stdout.write(
            f"Sign in as {counts.focal_point_username} (a focal point) or "
            f"{counts.evaluator_username} (evaluation unit) with the password "
            f"'{options['password']}'."
        )
