from collections.abc import Sequence

from django.contrib import admin
from django.db.models import Model
from django.http import HttpRequest
from simple_history.admin import SimpleHistoryAdmin

from .models import Action, Evaluation, Recommendation, Response

# The admin is for administrators repairing data (a typo, a wrong unit), and every change
# lands in the history. What the workflow decides stays out of its reach: states, statuses,
# closures and dates change only through the services, with their two keys and ledgers; a
# unit's agreement is the committee's decision; and nothing moves to another parent.


class KeptUnderItsParent(SimpleHistoryAdmin):  # type: ignore[type-arg]
    """Once saved, a row stays under the parent it was created under (PARENT_FIELDS)."""

    parent_fields: tuple[str, ...] = ()

    def get_readonly_fields(self, request: HttpRequest, obj: Model | None = None) -> Sequence[str]:
        fields = tuple(super().get_readonly_fields(request, obj))
        return fields + self.parent_fields if obj is not None else fields


@admin.register(Evaluation)
class EvaluationAdmin(SimpleHistoryAdmin):
    list_display = ("title_en", "program", "state", "approval_date")
    list_filter = ("state", "evaluation_type")
    search_fields = ("title_en", "title_fr", "program")
    readonly_fields = ("state", "version", "created_at", "updated_at")


@admin.register(Recommendation)
class RecommendationAdmin(KeptUnderItsParent):
    parent_fields = ("evaluation",)
    list_display = ("evaluation", "number", "status", "closure_reason")
    list_filter = ("status",)
    search_fields = ("statement",)
    readonly_fields = (
        "status", "closure_reason", "closure_note", "closed_by", "closed_at", "version", "created_at",
        "updated_at",
    )  # fmt: skip


@admin.register(Response)
class ResponseAdmin(KeptUnderItsParent):
    list_display = ("recommendation", "unit", "agreement")
    parent_fields = ("recommendation", "unit")
    readonly_fields = ("agreement", "version", "created_at", "updated_at")


@admin.register(Action)
class ActionAdmin(KeptUnderItsParent):
    parent_fields = ("response",)
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
