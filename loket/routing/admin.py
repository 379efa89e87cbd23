"""Configuration of routing in the admin: departments, ordered rules, and what happened."""

from __future__ import annotations

from typing import Any

from django import forms
from django.contrib import admin

from .models import (
    Answer,
    Department,
    ProposedDepartment,
    RoutedRequest,
    RoutingLearning,
    RoutingProposal,
    RoutingRule,
)
from .rules import validate_rule


@admin.register(Department)
class DepartmentAdmin(admin.ModelAdmin):
    list_display = ["code", "name", "mailbox", "answer_term_days", "active"]
    list_filter = ["active"]
    search_fields = ["code", "name"]
    filter_horizontal = ["officials"]


class RoutingRuleForm(forms.ModelForm):
    class Meta:
        model = RoutingRule
        fields = ["order", "department", "name", "explanation", "terms", "min_score",
                  "support_kinds", "min_requested_budget", "areas", "learns", "active"]

    def clean(self) -> dict[str, Any]:
        data = super().clean()
        errors = validate_rule(
            terms=data.get("terms") or {}, min_score=data.get("min_score", 0),
            support_kinds=data.get("support_kinds") or [],
            min_requested_budget=data.get("min_requested_budget"),
            has_areas=bool(data.get("areas")))
        for field, messages in errors.items():
            for message in messages:
                self.add_error(field if field in self.fields else None, str(message))
        return data


@admin.register(RoutingRule)
class RoutingRuleAdmin(admin.ModelAdmin):
    form = RoutingRuleForm
    list_display = ["order", "name", "department", "min_score", "min_requested_budget",
                    "learns", "active"]
    list_display_links = ["name"]
    list_editable = ["order", "active"]
    list_filter = ["active", "department"]
    search_fields = ["name", "explanation"]
    filter_horizontal = ["areas"]
    ordering = ["order", "id"]


class ProposedDepartmentInline(admin.TabularInline):
    model = ProposedDepartment
    extra = 0
    fields = ["department", "source", "decision", "score", "decided_by", "decided_at"]
    readonly_fields = fields


@admin.register(RoutingProposal)
class RoutingProposalAdmin(admin.ModelAdmin):
    list_display = ["initiative", "computed_at", "confirmed_at", "routed_at"]
    readonly_fields = ["initiative", "computed_at", "retry_at", "confirmed_at", "routed_for",
                       "routed_at", "route_retry_at"]
    inlines = [ProposedDepartmentInline]


class AnswerInline(admin.StackedInline):
    model = Answer
    extra = 0
    can_delete = False
    readonly_fields = ["decision", "motivation", "alternative", "meeting_proposal",
                       "meeting_planned_at", "answered_by", "supersedes", "created_at"]

    def has_add_permission(self, request: Any, obj: Any = None) -> bool:
        return False  # answers are given in the inbox, through the service


@admin.register(RoutedRequest)
class RoutedRequestAdmin(admin.ModelAdmin):
    list_display = ["initiative", "department", "status", "due_date", "answered_at"]
    list_filter = ["status", "department"]
    readonly_fields = ["initiative", "department", "question", "reasons", "status",
                       "created_at", "answered_at", "round_started_at"]
    inlines = [AnswerInline]


@admin.register(RoutingLearning)
class RoutingLearningAdmin(admin.ModelAdmin):
    list_display = ["examples", "computed_at", "dirty_at"]
    readonly_fields = ["adjustments", "examples", "computed_at", "dirty_at"]
