"""What several `uptake` commands share: the migration check and finding a person by name.

The leading underscore keeps Django from listing this module as a command.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

from django.core.management.base import BaseCommand, CommandError
from django.db import connection
from django.db.migrations.executor import MigrationExecutor

from uptake.accounts.models import User


def unapplied_migrations() -> list[str]:
    """The migrations the database still lacks, in the order `uptake migrate` applies them
    (as runserver's own check finds them)."""
    executor = MigrationExecutor(connection)
    plan = executor.migration_plan(executor.loader.graph.leaf_nodes())
    if not connection.in_atomic_block:
        # Not carried into gunicorn's workers (serve), nor kept open for nothing; never
        # inside a transaction (a command called from a test, or from another command).
        connection.close()
    return [f"{migration.app_label}.{migration.name}" for migration, _backwards in plan]


def require_migrated(command: str) -> None:
    """Refuse, in one line naming the fix, to run COMMAND on a database whose tables are
    missing or out of date: every query would fail with "no such table". Migrating stays the
    operator's decision (a backup first, one instance at a time), so this only says what to
    run."""
    missing = unapplied_migrations()
    if missing:
        raise CommandError(
            f"The database ({connection.settings_dict['NAME']}) lacks {len(missing)} "
            f"migration(s), starting with {missing[0]}: its tables are missing or out "
            f"of date. Run `uptake migrate`, then `uptake {command}` again."
        )


class DatabaseCommand(BaseCommand):
    """A command that reads or writes the database: it checks the migrations first."""

    def execute(self, *args: Any, **options: Any) -> str | None:
        if self.uses_database(options):
            require_migrated(self._command_name())
        return super().execute(*args, **options)

    def uses_database(self, options: dict[str, Any]) -> bool:
        """Whether this run reads or writes the database (a command may spare some runs)."""
        return True

    def _command_name(self) -> str:
        # The module is the command's name, as `uptake` is typed (`import`, `export`, ...).
        return type(self).__module__.rsplit(".", 1)[-1]


def active_user(username: str) -> User:
    """The active person called USERNAME; a CommandError in the commands' one wording."""
    user = User.objects.filter(username=username, is_active=True).first()
    if user is None:
        raise CommandError(f"There is no active user named {username!r}.")
    return user


def writable_file(name: str) -> Path:
    """NAME as a file a command may write: a CommandError if it is a folder or its folder
    does not exist (checked before any work, so that a refusal leaves nothing half-done)."""
    path = Path(name)
    if path.is_dir():
        raise CommandError(f"{path} is a folder: name a file.")
    if not path.parent.is_dir():
        raise CommandError(f"The folder {path.parent} does not exist.")
    return path
