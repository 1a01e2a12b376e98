"""The errors that services raise; views, the API and the console turn them into messages."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Self


class ServiceError(Exception):
    """A business rule refused the change. The message is a full sentence for the user.

    `field_problems` lists every `(field, message)` found, in the order of the form's fields: one
    for an error raised as `ServiceError(message, field=...)`, several for one made with
    `ServiceError.several(...)`. `message` and `field` are always those of the first."""

    def __init__(self, message: str, *, field: str | None = None) -> None:
        super().__init__(message)
        self.message = message
        self.field = field
        self.field_problems: list[tuple[str | None, str]] = [(field, message)]

    @classmethod
    def several(cls, problems: Sequence[tuple[str | None, str]]) -> Self:
        """One refusal reporting every problem at once, so that a form is fixed in one go."""
        if not problems:
            raise ValueError("A refusal needs at least one problem.")
        field, message = problems[0]
        error = cls(message, field=field)
        error.field_problems = list(problems)
        error.args = ("\n".join(error.messages),)
        return error

    @property
    def messages(self) -> list[str]:
        """Every message, in order (one, for an error with a single problem)."""
        return [message for _field, message in self.field_problems]


class ConflictError(ServiceError):
    """Someone else saved the same object after this form was opened."""


CONFLICT_MESSAGE = (
    "Someone else changed this %(object)s after you opened the form. Nothing was saved: "
    "review their change below, then apply yours again."
)
