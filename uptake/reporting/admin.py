from django.contrib import admin

from .models import FollowUpRound, ReminderLog


@admin.register(FollowUpRound)
class FollowUpRoundAdmin(admin.ModelAdmin):
    list_display = ("name", "period", "opened_at", "deadline", "closed_at")


@admin.register(ReminderLog)
class ReminderLogAdmin(admin.ModelAdmin):
    list_display = ("user", "day", "action_count", "sent_at")
