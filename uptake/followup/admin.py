from django.contrib import admin
from simple_history.admin import SimpleHistoryAdmin

from uptake.core.admin import ReadOnlyAdmin

from .models import DateRevision, ProgressUpdate


class ReadOnlyHistoryAdmin(ReadOnlyAdmin, SimpleHistoryAdmin):  # type: ignore[type-arg]
    """Append-only records with a history: shown, with their history, never edited here."""


@admin.register(ProgressUpdate)
class ProgressUpdateAdmin(ReadOnlyHistoryAdmin):
    list_display = ("action", "author", "status", "review_state", "created_at")
    list_filter = ("review_state", "status")


@admin.register(DateRevision)
class DateRevisionAdmin(ReadOnlyHistoryAdmin):
    list_display = ("action", "requested_text", "decision", "requested_at")
    list_filter = ("decision",)
