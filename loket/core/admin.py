"""The outbox in the admin: read-only, it is the record of what was sent to whom."""

from __future__ import annotations

from typing import Any

from django.contrib import admin
from django.http import HttpRequest
from django.utils.translation import gettext_lazy as _

from .models import OutboxMail


class ReadOnlyMixin:
    """For records that are evidence (the outbox, the audit trail): shown, never edited."""

    def has_add_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False

    def has_change_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False

    def has_delete_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False


@admin.register(OutboxMail)
class OutboxMailAdmin(ReadOnlyMixin, admin.ModelAdmin):
    list_display = ("created_at", "key", "subject", "initiative", "attempts", "sent_at",
                    "skipped")
    list_filter = (("sent_at", admin.EmptyFieldListFilter), "to_initiators")
    search_fields = ("key", "subject", "initiative__reference")
    list_select_related = ("initiative",)
    date_hierarchy = "created_at"
    fields = ("key", "initiative", "to", "to_initiators", "subject", "shown_body",
              "created_at", "claimed_until", "attempts", "sent_at", "skipped")
    readonly_fields = fields

    @admin.display(description=_("tekst"))
    def shown_body(self, obj: OutboxMail) -> str:
        """A tracking link in a waiting e-mail is the resident's key: not for staff eyes."""
        return _("(vertrouwelijk)") if obj.confidential else obj.body
