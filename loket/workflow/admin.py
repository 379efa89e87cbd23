"""Admin: the audit trail is read-only (it is evidence)."""

from __future__ import annotations

from django.contrib import admin

from loket.core.admin import ReadOnlyMixin

from .models import TransitionLog


class TransitionLogInline(ReadOnlyMixin, admin.TabularInline):
    """For the initiative's admin page (intake registers it in its InitiativeAdmin)."""

    model = TransitionLog
    fields = ("at", "transition", "source", "target", "actor_role", "actor_user",
              "public_note", "internal_note", "details")
    readonly_fields = fields
    ordering = ("at", "id")
    extra = 0
    can_delete = False
    show_change_link = True


@admin.register(TransitionLog)
class TransitionLogAdmin(ReadOnlyMixin, admin.ModelAdmin):
    list_display = ("at", "initiative", "transition", "source", "target", "actor_role",
                    "actor_user")
    list_filter = ("transition", "target", "actor_role")
    search_fields = ("initiative__reference", "initiative__title", "public_note",
                     "internal_note")
    date_hierarchy = "at"
    list_select_related = ("initiative", "actor_user")
    readonly_fields = ("initiative", "transition", "source", "target", "actor_role",
                       "actor_user", "public_note", "internal_note", "details", "at")
