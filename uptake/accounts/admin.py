from django.contrib import admin
from django.contrib.auth.admin import UserAdmin as BaseUserAdmin
from simple_history.admin import SimpleHistoryAdmin

from .models import Unit, User


@admin.register(User)
class UserAdmin(BaseUserAdmin):
    fieldsets = (
        *(BaseUserAdmin.fieldsets or ()),
        ("Uptake", {"fields": ("role", "units", "language")}),
    )
    list_display = ("username", "get_full_name", "email", "role", "is_active")
    list_filter = ("role", "is_active", "language", "units")
    filter_horizontal = ("units", "groups", "user_permissions")


@admin.register(Unit)
class UnitAdmin(SimpleHistoryAdmin):
    list_display = ("code", "name_en", "name_fr", "kind", "parent", "active")
    list_filter = ("kind", "active")
    search_fields = ("code", "name_en", "name_fr")
