"""Thin serializers of the coupling API: shapes only, the rules live in coupling.services."""

from __future__ import annotations

from typing import Any

from django.utils import timezone
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import extend_schema_field
from rest_framework import serializers

from loket.coupling.models import CouplingSuggestion, PolicyCarrier


class PolicyCarrierSerializer(serializers.ModelSerializer):
    owner = serializers.SerializerMethodField(help_text="Code van de eigenaar (afdeling).")
    active = serializers.SerializerMethodField(help_text="Vandaag actief (wordt voorgesteld).")
    key_terms = serializers.DictField(child=serializers.FloatField(),
                                      help_text="Kernwoord -> gewicht (0-10).")

    class Meta:
        model = PolicyCarrier
        fields = ["code", "name", "scope", "key_terms", "goal", "prior", "owner", "funds",
                  "active_from", "active_until", "active", "updated_at"]

    def get_owner(self, obj: PolicyCarrier) -> str | None:
        return obj.owner.code if obj.owner else None

    def get_active(self, obj: PolicyCarrier) -> bool:
        return obj.is_active_on(timezone.localdate())


class PolicyCarrierInputSerializer(serializers.Serializer):
    """What a manager may send; validation (all fields at once) is the service's."""

    code = serializers.CharField(required=False, help_text="Vaste code (kleine letters, -).")
    name = serializers.CharField(required=False)
    scope = serializers.CharField(required=False)
    key_terms = serializers.DictField(child=serializers.FloatField(), required=False)
    goal = serializers.CharField(required=False, allow_blank=True,
                                 help_text="Bijzin voor de gecombineerde boodschap.")
    prior = serializers.FloatField(required=False)
    owner = serializers.CharField(required=False, allow_null=True, allow_blank=True,
                                  help_text="Code van de eigenaar (afdeling).")
    funds = serializers.CharField(required=False, allow_blank=True)
    active_from = serializers.DateField(required=False, allow_null=True)
    active_until = serializers.DateField(required=False, allow_null=True)


class CouplingEvidenceSerializer(serializers.Serializer):
    term = serializers.CharField(help_text="Het kernwoord van de opgave.")
    found = serializers.CharField(help_text="Zoals het in het initiatief staat.")
    kind = serializers.CharField(help_text="woord, kop, deel, synoniem, tikfout, geleerd, ...")
    weight = serializers.FloatField()


class CouplingSerializer(serializers.ModelSerializer):
    carrier = serializers.CharField(source="carrier.code")
    carrier_name = serializers.CharField(source="carrier.name")
    evidence = CouplingEvidenceSerializer(many=True)
    decided_by = serializers.SerializerMethodField()

    class Meta:
        model = CouplingSuggestion
        fields = ["carrier", "carrier_name", "rank", "score", "status", "evidence", "message",
                  "reason", "decided_by", "decided_at", "computed_at"]

    @extend_schema_field(OpenApiTypes.STR)
    def get_decided_by(self, obj: CouplingSuggestion) -> Any:
        user = obj.decided_by
        return (user.get_full_name() or user.get_username()) if user else None


class RejectInputSerializer(serializers.Serializer):
    reason = serializers.CharField(required=False, allow_blank=True, max_length=2000,
                                   help_text="Waarom deze koppeling niet past (optioneel).")
