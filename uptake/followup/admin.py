from django.contrib import admin
from simple_history.admin import SimpleHistoryAdmin

from .models import DateRevision, ProgressUpdate


@admin.register(ProgressUpdate)
class ProgressUpdateAdmin(SimpleHistoryAdmin):
    list_display = ("action", "author", "status", "review_state", "created_at")
    list_filter = ("review_state", "status")


@admin.register(DateRevision)
class DateRevisionAdmin(SimpleHistoryAdmin):
    list_display = ("action", "requested_text", "decision", "requested_at")
    list_filter = ("decision",)
