from django.contrib import admin
from django.db.models import Model
from django.http import HttpRequest
from simple_history.admin import SimpleHistoryAdmin

from .models import DateRevision, ProgressUpdate


class ReadOnlyAdmin(SimpleHistoryAdmin):  # type: ignore[type-arg]
    """Append-only records (progress updates, revised-date requests): shown, never edited,
    added or deleted here; only the follow-up services write them."""

    def has_add_permission(self, request: HttpRequest) -> bool:
        return False

    def has_change_permission(self, request: HttpRequest, obj: Model | None = None) -> bool:
        return False

    def has_delete_permission(self, request: HttpRequest, obj: Model | None = None) -> bool:
        return False


@admin.register(ProgressUpdate)
class ProgressUpdateAdmin(ReadOnlyAdmin):
    list_display = ("action", "author", "status", "review_state", "created_at")
    list_filter = ("review_state", "status")


@admin.register(DateRevision)
class DateRevisionAdmin(ReadOnlyAdmin):
    list_display = ("action", "requested_text", "decision", "requested_at")
    list_filter = ("decision",)
