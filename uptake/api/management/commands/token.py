"""`uptake token USERNAME [--name NAME]`: create an API token and print it (last line)."""

from __future__ import annotations

from typing import Any

from django.core.exceptions import PermissionDenied
from django.core.management.base import CommandError, CommandParser

from uptake.api.services import token_create
from uptake.core.management.commands._shared import DatabaseCommand, active_user
from uptake.errors import ServiceError


class Command(DatabaseCommand):
    help = (
        "Create a personal API token for USERNAME and print it on the last line. Only a hash "
        "is stored: the token cannot be shown again. Revoke it on the person's profile page."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("username", help="Whose token: it acts with their rights.")
        parser.add_argument(
            "--name", default="Console", help="What the token is for (default: Console)."
        )

    def handle(self, *args: Any, **options: Any) -> None:
        user = active_user(options["username"])
        try:
            # The console is trusted like an administrator: the token's owner is the actor.
            token, raw = token_create(user=user, by=user, name=options["name"])
        except (ServiceError, PermissionDenied) as exc:
            raise CommandError(getattr(exc, "message", str(exc))) from exc
        self.stderr.write(
            f"Token {token.name!r} created for {user.username}. Copy it now; it is not shown again."
        )
        self.stdout.write(raw)
