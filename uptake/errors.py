"""The errors that services raise; views, the API and the console turn them into messages."""

from __future__ import annotations


class ServiceError(Exception):
    """A business rule refused the change. The message is a full sentence for the user."""

    def __init__(self, message: str, *, field: str | None = None) -> None:
        super().__init__(message)
        self.message = message
        self.field = field


class ConflictError(ServiceError):
    """Someone else saved the same object after this form was opened."""


CONFLICT_MESSAGE = (
    "Someone else changed this %(object)s after you opened the form. Nothing was saved: "
    "review their change below, then apply yours again."
)
