from django.contrib import admin
from simple_history.admin import SimpleHistoryAdmin

from .models import Action, Evaluation, Recommendation, Response

# Changes made here skip the services' rules (quality check, two-key closure); the admin is
# for administrators repairing data, and every change still lands in the history.


@admin.register(Evaluation)
class EvaluationAdmin(SimpleHistoryAdmin):
    list_display = ("title_en", "program", "state", "approval_date")
    list_filter = ("state", "evaluation_type")
    search_fields = ("title_en", "title_fr", "program")


@admin.register(Recommendation)
class RecommendationAdmin(SimpleHistoryAdmin):
    list_display = ("evaluation", "number", "status", "closure_reason")
    list_filter = ("status",)
    search_fields = ("statement",)


@admin.register(Response)
class ResponseAdmin(SimpleHistoryAdmin):
    list_display = ("recommendation", "unit", "agreement")


@admin.register(Action)
class ActionAdmin(SimpleHistoryAdmin):
    list_display = ("text", "unit", "target_date_text", "due_date", "status")
    list_filter = ("status", "unit")
    search_fields = ("text",)
