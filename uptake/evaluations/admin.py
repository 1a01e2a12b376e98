from django.contrib import admin
from simple_history.admin import SimpleHistoryAdmin

from .models import Action, Evaluation, Recommendation, Response

# The admin is for administrators repairing data (a typo, a wrong unit), and every change
# lands in the history. What the workflow decides stays out of its reach: states, statuses,
# closures and dates change only through the services, with their two keys and ledgers.


@admin.register(Evaluation)
class EvaluationAdmin(SimpleHistoryAdmin):
    list_display = ("title_en", "program", "state", "approval_date")
    list_filter = ("state", "evaluation_type")
    search_fields = ("title_en", "title_fr", "program")
    readonly_fields = ("state", "version", "created_at", "updated_at")


@admin.register(Recommendation)
class RecommendationAdmin(SimpleHistoryAdmin):
    list_display = ("evaluation", "number", "status", "closure_reason")
    list_filter = ("status",)
    search_fields = ("statement",)
    readonly_fields = (
        "status", "closure_reason", "closure_note", "closed_by", "closed_at", "version", "created_at",
        "updated_at",
    )  # fmt: skip


@admin.register(Response)
class ResponseAdmin(SimpleHistoryAdmin):
    list_display = ("recommendation", "unit", "agreement")


@admin.register(Action)
class ActionAdmin(SimpleHistoryAdmin):
    list_display = ("text", "unit", "target_date_text", "due_date", "status")
    list_filter = ("status", "unit")
    search_fields = ("text",)
    # The approved date, its revisions and the status follow the ledgers of revised dates and
    # progress updates; the due date is computed from the text as written.
    readonly_fields = (
        "status", "status_reason", "completed_on", "target_date_text", "target_kind",
        "original_due_date", "due_date", "revised_target_text", "version", "created_at",
        "updated_at",
    )  # fmt: skip
