"""Thin serializers of the workflow API: shapes only, the rules live in workflow.services."""

from __future__ import annotations

from typing import Any

from django.utils.translation import gettext_lazy as _
from rest_framework import serializers

from loket.workflow.services import MAX_TEXT, AvailableTransition
from loket.workflow.states import BallHolder, State


def _text(help_text: str) -> serializers.CharField:
    return serializers.CharField(required=False, allow_blank=True, max_length=MAX_TEXT,
                                 trim_whitespace=True, help_text=help_text)


class StrictSerializer(serializers.Serializer):
    """Refuses unknown fields instead of dropping them: a misspelt motivation must not
    silently disappear."""

    def validate(self, attrs: dict[str, Any]) -> dict[str, Any]:
        data = self.initial_data if isinstance(self.initial_data, dict) else {}
        unknown = sorted(set(data) - set(self.fields))
        if unknown:
            raise serializers.ValidationError(
                {key: [_("Dit veld bestaat niet of hoort niet bij u.")] for key in unknown})
        return attrs


class TrackingTransitionInputSerializer(StrictSerializer):
    """What the initiators may send with a step: only a note everybody may read."""

    public_note = _text("Toelichting bij de stap; zichtbaar voor iedereen die het "
                        "initiatief volgt.")


class TransitionInputSerializer(TrackingTransitionInputSerializer):
    """Every field any step may need; which ones are required depends on the step
    (`required_fields` in GET .../transitions). A field that does not belong to the step
    is refused (400)."""

    internal_note = _text("Interne notitie, alleen voor medewerkers.")
    motivation = _text("Waarom niet haalbaar (verplicht bij mark_not_feasible).")
    alternative = _text("Het aangeboden alternatief (verplicht bij mark_not_feasible).")
    expectations_initiators = _text("Afspraak: wat de initiatiefnemers doen "
                                    "(verplicht bij agree_expectations).")
    expectations_municipality = _text("Afspraak: wat de gemeente doet "
                                      "(verplicht bij agree_expectations).")
    broker = serializers.IntegerField(
        required=False, allow_null=True, min_value=1,
        help_text="Id van de initiatiefmakelaar (verplicht bij reassign_broker; bij take_on "
                  "alleen door een manager).")


class AvailableTransitionSerializer(serializers.Serializer):
    name = serializers.CharField(help_text="Naam van de stap, voor POST .../transitions/{name}.")
    label = serializers.CharField(help_text="Naam van de stap in het Nederlands.")
    target = serializers.ChoiceField(choices=State.choices,
                                     help_text="De status na deze stap.")
    target_label = serializers.SerializerMethodField()
    required_fields = serializers.ListField(child=serializers.CharField())
    optional_fields = serializers.ListField(child=serializers.CharField())

    def get_target_label(self, obj: AvailableTransition) -> str:
        return str(State(obj.target).label)


class WorkflowStateSerializer(serializers.Serializer):
    """Where the initiative stands and who holds the ball, with the caller's next steps."""

    state = serializers.ChoiceField(choices=State.choices)
    state_label = serializers.SerializerMethodField()
    ball_holder = serializers.ChoiceField(choices=BallHolder.choices)
    ball_holder_label = serializers.SerializerMethodField()
    state_entered_at = serializers.DateTimeField(allow_null=True)
    ball_moved_at = serializers.DateTimeField(allow_null=True)
    paused_from = serializers.CharField(allow_blank=True,
                                        help_text="De status waarin gepauzeerd is.")
    transitions = AvailableTransitionSerializer(many=True, source="available",
                                                help_text="De stappen die u nu kunt zetten.")

    def get_state_label(self, obj: Any) -> str:
        return str(State(obj.state).label)

    def get_ball_holder_label(self, obj: Any) -> str:
        return str(BallHolder(obj.ball_holder).label) if obj.ball_holder else ""


class HistoryEntrySerializer(serializers.Serializer):
    id = serializers.IntegerField()
    transition = serializers.CharField()
    label = serializers.CharField()
    source = serializers.ChoiceField(choices=State.choices)
    target = serializers.ChoiceField(choices=State.choices)
    at = serializers.DateTimeField()
    actor_role = serializers.CharField()
    actor = serializers.CharField(help_text="Wie de stap zette.")
    public_note = serializers.CharField(allow_blank=True)
    internal_note = serializers.CharField(allow_blank=True,
                                          help_text="Alleen zichtbaar voor medewerkers.")
    details = serializers.DictField(child=serializers.JSONField(),
                                    help_text="Afspraken, motivering en alternatief, "
                                              "en bij een toewijzing de makelaar.")
