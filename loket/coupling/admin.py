"""Configuration of policy carriers, and a read-only view on suggestions and learning."""

from __future__ import annotations

from typing import Any

from django import forms
from django.contrib import admin
from django.core.exceptions import ValidationError
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from . import services
from .models import CouplingLearning, CouplingSuggestion, PolicyCarrier


class PolicyCarrierForm(forms.ModelForm):
    class Meta:
        model = PolicyCarrier
        fields = ["code", "name", "scope", "goal", "key_terms", "prior", "owner", "funds",
                  "active_from", "active_until"]

    def clean_key_terms(self) -> dict[str, float]:
        errors: dict[str, list[Any]] = {}
        terms = services._clean_terms(errors, self.cleaned_data.get("key_terms") or {})
        if errors:
            raise ValidationError([str(m) for m in errors["key_terms"]])
        return terms

    def clean(self) -> dict[str, Any]:
        data = super().clean()
        start, end = data.get("active_from"), data.get("active_until")
        if start and end and end < start:
            self.add_error("active_until", _("De einddatum ligt voor de begindatum."))
        return data


@admin.register(PolicyCarrier)
class PolicyCarrierAdmin(admin.ModelAdmin):
    form = PolicyCarrierForm
    list_display = ["name", "code", "owner", "active_from", "active_until", "is_active",
                    "term_count"]
    list_select_related = ["owner"]
    search_fields = ["code", "name", "scope"]
    fields = ["code", "name", "scope", "goal", "key_terms", "prior", "owner", "funds",
              "active_from", "active_until"]

    @admin.display(boolean=True, description=_("nu actief"))
    def is_active(self, obj: PolicyCarrier) -> bool:
        return obj.is_active_on(timezone.localdate())

    @admin.display(description=_("kernwoorden"))
    def term_count(self, obj: PolicyCarrier) -> int:
        return len(obj.key_terms or {})


@admin.register(CouplingSuggestion)
class CouplingSuggestionAdmin(admin.ModelAdmin):
    list_display = ["initiative", "carrier", "rank", "score", "status", "decided_by",
                    "decided_at"]
    list_filter = ["status", "carrier"]
    list_select_related = ["initiative", "carrier", "decided_by"]
    search_fields = ["initiative__reference", "initiative__title"]

    def has_add_permission(self, request: object) -> bool:
        return False  # suggestions come from Loket, decisions through the API

    def has_change_permission(self, request: object, obj: object = None) -> bool:
        return False


@admin.register(CouplingLearning)
class CouplingLearningAdmin(admin.ModelAdmin):
    list_display = ["examples", "computed_at", "dirty_at"]

    def has_add_permission(self, request: object) -> bool:
        return False

    def has_change_permission(self, request: object, obj: object = None) -> bool:
        return False
