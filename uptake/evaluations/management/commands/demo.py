from typing import Any

from django.core.management import call_command
from django.core.management.base import BaseCommand

from uptake.evaluations.demo import demo_password, load_demo


class Command(BaseCommand):
    help = (
        "Migrate the database if needed, then load the demo evaluations, units and people "
        "(once: running it again changes nothing). Demo people share the password 'demo' "
        "unless UPTAKE_DEMO_PASSWORD is set."
    )

    def handle(self, *args: Any, **options: Any) -> None:
        call_command("migrate", interactive=False, verbosity=0)
        loaded = load_demo()
        self.stdout.write(
            "Demo data loaded." if loaded else "Demo data already present; nothing changed."
        )
        self.stdout.write(
            "Sign in as admin, evaluator, committee, viewer or a focal point "
            "(focal-hwp, focal-qto-da, focal-prs, focal-wsb, focal-gpb) "
            f"with the password '{demo_password()}'."
        )
