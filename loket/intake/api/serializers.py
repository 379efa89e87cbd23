"""Serializers of the intake API: thin presentation, no business rules.

The request serializers document the bodies in OpenAPI; validation of a submission lives in
loket.intake.validation so that every invalid field is reported at once.
"""

from __future__ import annotations

from typing import Any

from drf_spectacular.utils import extend_schema_field
from rest_framework import serializers

from loket.intake.models import Initiative, SupportKind
from loket.workflow.states import State

# -- requests (documentation) ---------------------------------------------------------------


class LocationSerializer(serializers.Serializer):
    address = serializers.CharField(required=False, allow_blank=True, max_length=200,
                                    help_text="Adres of omschrijving van de plek.")
    lat = serializers.FloatField(required=False, allow_null=True, min_value=-90, max_value=90)
    lon = serializers.FloatField(required=False, allow_null=True, min_value=-180,
                                 max_value=180)

    class Meta:
        ref_name = "Location"


class InitiatorInputSerializer(serializers.Serializer):
    name = serializers.CharField(max_length=120)
    email = serializers.EmailField()
    phone = serializers.CharField(required=False, allow_blank=True, max_length=30)
    is_contact = serializers.BooleanField(
        required=False, default=False,
        help_text="Precies één contactpersoon; bij één initiatiefnemer is die het vanzelf.")

    class Meta:
        ref_name = "InitiatorInput"


class SubmissionRequestSerializer(serializers.Serializer):
    title = serializers.CharField(max_length=200)
    description = serializers.CharField(max_length=10_000)
    area = serializers.CharField(required=False, allow_null=True,
                                 help_text="Code van de wijk, buurt of kern.")
    location = LocationSerializer(required=False)
    requested_budget = serializers.IntegerField(required=False, default=0, min_value=0,
                                                max_value=1_000_000,
                                                help_text="Gevraagd budget in hele euro's.")
    support = serializers.ListField(child=serializers.ChoiceField(SupportKind.choices),
                                    required=False)
    initiators = InitiatorInputSerializer(many=True, min_length=1)

    class Meta:
        ref_name = "SubmissionRequest"


class PlanUpdateRequestSerializer(serializers.Serializer):
    title = serializers.CharField(required=False, max_length=200)
    description = serializers.CharField(required=False, max_length=10_000)

    class Meta:
        ref_name = "PlanUpdateRequest"


class TextRequestSerializer(serializers.Serializer):
    text = serializers.CharField(max_length=10_000)

    class Meta:
        ref_name = "TextRequest"


class QuestionRequestSerializer(serializers.Serializer):
    text = serializers.CharField(max_length=10_000)
    department = serializers.IntegerField(
        required=False, help_text="Id van de afdeling (alleen voor vakambtenaren).")

    class Meta:
        ref_name = "QuestionRequest"


class TokenRequestSerializer(serializers.Serializer):
    username = serializers.CharField(max_length=150)
    password = serializers.CharField(max_length=128, style={"input_type": "password"})

    class Meta:
        ref_name = "TokenRequest"


# -- responses -------------------------------------------------------------------------------


class SubmissionCreatedSerializer(serializers.Serializer):
    id = serializers.UUIDField()
    reference = serializers.CharField()
    state = serializers.ChoiceField(State.choices)
    state_label = serializers.CharField()
    tracking_token = serializers.CharField(
        help_text="Geheim: alleen in dit antwoord en in de e-mail aan de contactpersoon.")
    tracking_url = serializers.URLField()

    class Meta:
        ref_name = "SubmissionCreated"


class SubmissionRepeatedSerializer(serializers.Serializer):
    reference = serializers.CharField()
    state = serializers.ChoiceField(State.choices)
    state_label = serializers.CharField()
    duplicate = serializers.BooleanField()
    detail = serializers.CharField()

    class Meta:
        ref_name = "SubmissionRepeated"


class TokenSerializer(serializers.Serializer):
    token = serializers.CharField()

    class Meta:
        ref_name = "AuthToken"


class SupportItemSerializer(serializers.Serializer):
    code = serializers.ChoiceField(SupportKind.choices)
    label = serializers.CharField()

    class Meta:
        ref_name = "SupportItem"


class AtTurnSerializer(serializers.Serializer):
    holder = serializers.CharField(help_text="initiators, broker, departments of nobody.")
    label = serializers.CharField(help_text="Wie is aan zet, in gewone woorden.")
    departments = serializers.ListField(child=serializers.CharField())

    class Meta:
        ref_name = "AtTurn"


class AgreementsSerializer(serializers.Serializer):
    initiators = serializers.CharField()
    municipality = serializers.CharField()

    class Meta:
        ref_name = "Agreements"


class CouplingSerializer(serializers.Serializer):
    name = serializers.CharField()
    text = serializers.CharField()

    class Meta:
        ref_name = "AcceptedCoupling"


class OpenQuestionSerializer(serializers.Serializer):
    id = serializers.IntegerField()
    text = serializers.CharField()
    asked_at = serializers.DateTimeField()
    asked_by = serializers.CharField()

    class Meta:
        ref_name = "OpenQuestion"


class TimelineEventSerializer(serializers.Serializer):
    at = serializers.DateTimeField()
    kind = serializers.ChoiceField(["transition", "answer", "question", "question_answered",
                                    "note"])
    summary = serializers.CharField()
    text = serializers.CharField(allow_blank=True)
    department = serializers.CharField(allow_null=True)
    decision = serializers.CharField(allow_null=True)
    decision_label = serializers.CharField(allow_null=True)
    motivation = serializers.CharField(allow_blank=True)
    alternative = serializers.CharField(allow_blank=True)
    meeting_proposal = serializers.CharField(allow_blank=True)

    class Meta:
        ref_name = "TimelineEvent"


class ActionSerializer(serializers.Serializer):
    name = serializers.CharField()
    label = serializers.CharField()

    class Meta:
        ref_name = "Action"


class TrackingSerializer(serializers.Serializer):
    reference = serializers.CharField()
    title = serializers.CharField()
    description = serializers.CharField()
    area = serializers.CharField(allow_null=True)
    location = LocationSerializer()
    requested_budget = serializers.IntegerField()
    support = SupportItemSerializer(many=True)
    submitted_at = serializers.DateTimeField()
    state = serializers.ChoiceField(State.choices)
    state_label = serializers.CharField()
    at_turn = AtTurnSerializer()
    broker_first_name = serializers.CharField(allow_null=True)
    agreements = AgreementsSerializer()
    couplings = CouplingSerializer(many=True)
    open_questions = OpenQuestionSerializer(many=True)
    timeline = TimelineEventSerializer(many=True)
    next_step = serializers.CharField()
    can_edit_plan = serializers.BooleanField()
    actions = ActionSerializer(many=True)

    class Meta:
        ref_name = "Tracking"


class QuestionSerializer(serializers.Serializer):
    id = serializers.IntegerField()
    text = serializers.CharField()
    department = serializers.CharField(source="department.code", allow_null=True,
                                       default=None)
    asked_at = serializers.DateTimeField()
    answer = serializers.CharField()
    answered_at = serializers.DateTimeField(allow_null=True)

    class Meta:
        ref_name = "Question"


class NoteSerializer(serializers.Serializer):
    id = serializers.IntegerField()
    text = serializers.CharField()
    created_at = serializers.DateTimeField()

    class Meta:
        ref_name = "Note"


class InitiatorSerializer(serializers.Serializer):
    name = serializers.CharField()
    email = serializers.EmailField()
    phone = serializers.CharField()
    is_contact = serializers.BooleanField()

    class Meta:
        ref_name = "Initiator"


class RoutedRequestSummarySerializer(serializers.Serializer):
    department = serializers.CharField(source="department.code")
    department_name = serializers.CharField(source="department.name")
    status = serializers.CharField()
    due_date = serializers.DateField()

    class Meta:
        ref_name = "RoutedRequestSummary"


class InitiativeListSerializer(serializers.ModelSerializer):
    state_label = serializers.CharField(source="get_state_display")
    area = serializers.SlugRelatedField(slug_field="code", read_only=True, allow_null=True)
    broker = serializers.SlugRelatedField(slug_field="username", read_only=True,
                                          allow_null=True)

    class Meta:
        model = Initiative
        ref_name = "InitiativeListItem"
        fields = ["id", "reference", "title", "state", "state_label", "ball_holder",
                  "area", "broker", "requested_budget", "support", "created_at",
                  "state_entered_at"]
        read_only_fields = fields


class InitiativeDetailSerializer(InitiativeListSerializer):
    location = serializers.SerializerMethodField()
    requests = RoutedRequestSummarySerializer(many=True, read_only=True)
    questions = QuestionSerializer(many=True, read_only=True)
    notes = NoteSerializer(many=True, read_only=True)
    initiators = serializers.SerializerMethodField(
        help_text="Alleen voor initiatiefmakelaars en managers; anders null.")

    class Meta(InitiativeListSerializer.Meta):
        ref_name = "InitiativeDetail"
        fields = [*InitiativeListSerializer.Meta.fields, "description", "location",
                  "expectations_initiators", "expectations_municipality",
                  "not_feasible_motivation", "not_feasible_alternative", "updated_at",
                  "requests", "questions", "notes", "initiators"]
        read_only_fields = fields

    @extend_schema_field(LocationSerializer)
    def get_location(self, obj: Initiative) -> dict[str, Any]:
        return {"address": obj.address, "lat": obj.lat, "lon": obj.lon}

    @extend_schema_field(InitiatorSerializer(many=True, allow_null=True))
    def get_initiators(self, obj: Initiative) -> list[dict[str, Any]] | None:
        if not self.context.get("personal_data"):
            return None
        return InitiatorSerializer(obj.initiators.all(), many=True).data
