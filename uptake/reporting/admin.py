from django.contrib import admin

from uptake.core.admin import ReadOnlyAdmin

from .models import ActionSnapshot, FollowUpRound, ReminderLog

# Rounds open and close through the services, which freeze each closed round's snapshot: the
# dashboard's trend and the round's committee pack are read from it. Reminder logs keep the
# one-digest-a-day rule. None of them is edited or deleted by hand.


@admin.register(FollowUpRound)
class FollowUpRoundAdmin(ReadOnlyAdmin):
    list_display = ("name", "period", "opened_at", "deadline", "closed_at")


@admin.register(ActionSnapshot)
class ActionSnapshotAdmin(ReadOnlyAdmin):
    list_display = ("round", "action", "owed", "answered")
    list_filter = ("round",)


@admin.register(ReminderLog)
class ReminderLogAdmin(ReadOnlyAdmin):
    list_display = ("user", "day", "action_count", "sent_at")
