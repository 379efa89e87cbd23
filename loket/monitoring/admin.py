"""Configuration of the stall and block rules, and a read-only view on the flags."""

from __future__ import annotations

from django.contrib import admin
from django.utils.translation import gettext_lazy as _

from .models import BlockRule, Flag, StallRule


@admin.register(StallRule)
class StallRuleAdmin(admin.ModelAdmin):
    list_display = ["state", "working_days", "escalation_working_days", "active"]
    list_editable = ["working_days", "escalation_working_days", "active"]


@admin.register(BlockRule)
class BlockRuleAdmin(admin.ModelAdmin):
    list_display = ["kind", "working_days", "escalation_working_days", "active"]
    list_editable = ["working_days", "escalation_working_days", "active"]


@admin.register(Flag)
class FlagAdmin(admin.ModelAdmin):
    list_display = ["initiative", "kind", "reason_text", "ball_holder", "department", "since",
                    "escalation_level", "notified_level", "cleared_at"]
    list_filter = ["kind", "ball_holder", "escalation_level", "department"]
    list_select_related = ["initiative", "department"]
    # (only flags from before reason codes have a stored text to search in)
    search_fields = ["initiative__reference", "initiative__title", "reason_code",
                     "legacy_reason"]
    date_hierarchy = "since"
    readonly_fields = ["reason_text"]

    @admin.display(description=_("reden"))
    def reason_text(self, flag: Flag) -> str:
        """The reason in the admin user's language (stored as a code and parameters)."""
        return flag.reason

    def has_add_permission(self, request: object) -> bool:
        return False  # flags come from the scan, not from people

    def has_change_permission(self, request: object, obj: object = None) -> bool:
        return False
