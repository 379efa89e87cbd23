"""Admin: configuration (areas) and a read-mostly view of initiatives for support staff.

The workflow state is read-only here: it only moves through workflow transitions, so that
every change is permitted, logged and has its side effects.
"""

from __future__ import annotations

from django.contrib import admin

from .models import Area, Initiative, Initiator, Note, Question


@admin.register(Area)
class AreaAdmin(admin.ModelAdmin):
    list_display = ["name", "code", "kind"]
    list_filter = ["kind"]
    search_fields = ["name", "code"]
    prepopulated_fields = {"code": ["name"]}


class InitiatorInline(admin.TabularInline):
    model = Initiator
    extra = 0
    fields = ["name", "email", "phone", "is_contact", "anonymised_at"]
    readonly_fields = ["anonymised_at"]


class QuestionInline(admin.TabularInline):
    model = Question
    extra = 0
    fields = ["asked_at", "asked_by_role", "department", "text", "answer", "answered_at"]
    readonly_fields = fields
    can_delete = False

    def has_add_permission(self, request: object, obj: object = None) -> bool:
        return False


class NoteInline(admin.TabularInline):
    model = Note
    extra = 0
    fields = ["created_at", "text"]
    readonly_fields = fields
    can_delete = False

    def has_add_permission(self, request: object, obj: object = None) -> bool:
        return False


@admin.register(Initiative)
class InitiativeAdmin(admin.ModelAdmin):
    list_display = ["reference", "title", "state", "ball_holder", "area", "broker",
                    "created_at"]
    list_filter = ["state", "ball_holder", "area"]
    search_fields = ["reference", "title", "description"]
    date_hierarchy = "created_at"
    list_select_related = ["area", "broker"]
    ordering = ["-created_at", "id"]
    inlines = [InitiatorInline, QuestionInline, NoteInline]
    readonly_fields = ["id", "reference", "state", "paused_from", "state_entered_at",
                       "ball_holder", "ball_moved_at", "broker", "expectations_initiators",
                       "expectations_municipality", "not_feasible_motivation",
                       "not_feasible_alternative", "created_at", "updated_at"]
    fieldsets = [
        (None, {"fields": ["id", "reference", "title", "description", "area", "address",
                           "lat", "lon", "requested_budget", "support"]}),
        ("Werkproces", {"fields": ["state", "paused_from", "state_entered_at", "ball_holder",
                                   "ball_moved_at", "broker", "expectations_initiators",
                                   "expectations_municipality", "not_feasible_motivation",
                                   "not_feasible_alternative"]}),
        ("Tijden", {"fields": ["created_at", "updated_at"]}),
    ]

    def has_add_permission(self, request: object) -> bool:
        return False  # initiatives come in through the intake (reference, token, workflow)


@admin.register(Initiator)
class InitiatorAdmin(admin.ModelAdmin):
    list_display = ["name", "email", "is_contact", "initiative", "anonymised_at"]
    list_filter = ["is_contact"]
    search_fields = ["name", "email", "initiative__reference"]
    list_select_related = ["initiative"]
    raw_id_fields = ["initiative"]
    readonly_fields = ["anonymised_at"]
