"""Thin serializers: shapes of input and output only; rules live in services."""

from __future__ import annotations

from typing import Any

from drf_spectacular.utils import extend_schema_field
from rest_framework import serializers

from loket.intake.models import SupportKind

from ..models import Answer, Department, ProposedDepartment, RoutedRequest, RoutingRule
from ..selectors import latest_answer


class DepartmentSerializer(serializers.ModelSerializer):
    officials = serializers.SlugRelatedField(slug_field="username", many=True, read_only=True)

    class Meta:
        model = Department
        fields = ["code", "name", "description", "mailbox", "answer_term_days", "active",
                  "officials"]


class DepartmentInputSerializer(serializers.Serializer):
    code = serializers.SlugField(max_length=40)
    name = serializers.CharField(max_length=120)
    description = serializers.CharField(required=False, allow_blank=True)
    mailbox = serializers.EmailField(required=False, allow_blank=True)
    answer_term_days = serializers.IntegerField(required=False, min_value=1, max_value=120)
    active = serializers.BooleanField(required=False)
    officials = serializers.ListField(child=serializers.CharField(), required=False)


class RuleSerializer(serializers.ModelSerializer):
    department = serializers.SlugRelatedField(slug_field="code", read_only=True)
    areas = serializers.SlugRelatedField(slug_field="code", many=True, read_only=True)
    terms = serializers.DictField(child=serializers.FloatField())
    support_kinds = serializers.ListField(child=serializers.ChoiceField(SupportKind.choices))

    class Meta:
        model = RoutingRule
        fields = ["id", "order", "department", "name", "explanation", "terms", "min_score",
                  "support_kinds", "min_requested_budget", "areas", "learns", "active",
                  "updated_at"]


class RuleInputSerializer(serializers.Serializer):
    """Types only; the service checks the meaning (weights, conditions, codes) at once."""

    order = serializers.IntegerField(required=False, min_value=0)
    department = serializers.CharField(required=False)
    name = serializers.CharField(required=False, allow_blank=True, max_length=120)
    explanation = serializers.CharField(required=False, allow_blank=True, max_length=240)
    terms = serializers.DictField(child=serializers.JSONField(), required=False)
    min_score = serializers.FloatField(required=False)
    support_kinds = serializers.ListField(child=serializers.CharField(), required=False)
    min_requested_budget = serializers.IntegerField(required=False, allow_null=True)
    areas = serializers.ListField(child=serializers.CharField(), required=False)
    learns = serializers.BooleanField(required=False)
    active = serializers.BooleanField(required=False)


class DryRunInputSerializer(serializers.Serializer):
    title = serializers.CharField(required=False, allow_blank=True, max_length=200, default="")
    description = serializers.CharField(required=False, allow_blank=True, max_length=10_000,
                                        default="")
    requested_budget = serializers.IntegerField(required=False, min_value=0,
                                                max_value=1_000_000, default=0)
    support = serializers.ListField(child=serializers.CharField(), required=False, default=list)
    area = serializers.CharField(required=False, allow_blank=True, allow_null=True,
                                 default=None)


class RoutingEvidenceSerializer(serializers.Serializer):
    term = serializers.CharField()
    found = serializers.CharField()
    kind = serializers.CharField()
    weight = serializers.FloatField()


class RuleConditionSerializer(serializers.Serializer):
    kind = serializers.CharField()
    holds = serializers.BooleanField()
    detail = serializers.CharField()


class RuleResultSerializer(serializers.Serializer):
    rule_id = serializers.IntegerField()
    rule = serializers.CharField()
    order = serializers.IntegerField()
    department = serializers.CharField()
    fired = serializers.BooleanField()
    explanation = serializers.CharField()
    conditions = RuleConditionSerializer(many=True)
    score = serializers.FloatField()
    evidence = RoutingEvidenceSerializer(many=True)


class DryRunSerializer(serializers.Serializer):
    departments = serializers.ListField(child=serializers.CharField())
    rules = RuleResultSerializer(many=True)


class RoutingReasonSerializer(serializers.Serializer):
    rule_id = serializers.IntegerField(required=False)
    rule = serializers.CharField()
    explanation = serializers.CharField(required=False)
    conditions = RuleConditionSerializer(many=True, required=False)
    score = serializers.FloatField(required=False)
    evidence = RoutingEvidenceSerializer(many=True, required=False)


class ProposedDepartmentSerializer(serializers.ModelSerializer):
    code = serializers.CharField(source="department.code")
    name = serializers.CharField(source="department.name")
    decided_by = serializers.SlugRelatedField(slug_field="username", read_only=True)
    confirmed = serializers.BooleanField()
    reasons = RoutingReasonSerializer(many=True)

    class Meta:
        model = ProposedDepartment
        fields = ["code", "name", "source", "decision", "confirmed", "score", "reasons",
                  "decided_by", "decided_at"]


class RoutingSerializer(serializers.Serializer):
    initiative_id = serializers.UUIDField()
    computed_at = serializers.DateTimeField(allow_null=True)
    confirmed_at = serializers.DateTimeField(allow_null=True)
    routed_at = serializers.DateTimeField(allow_null=True)
    editable = serializers.BooleanField()
    departments = ProposedDepartmentSerializer(many=True)


class RoutingPutSerializer(serializers.Serializer):
    departments = serializers.ListField(child=serializers.CharField(), allow_empty=True)


class RoutingPatchSerializer(serializers.Serializer):
    add = serializers.ListField(child=serializers.CharField(), required=False, default=list)
    remove = serializers.ListField(child=serializers.CharField(), required=False, default=list)


class RequestAnswerSerializer(serializers.ModelSerializer):
    answered_by = serializers.SlugRelatedField(slug_field="username", read_only=True)
    supersedes = serializers.PrimaryKeyRelatedField(read_only=True)

    class Meta:
        model = Answer
        fields = ["id", "decision", "motivation", "alternative", "meeting_proposal",
                  "meeting_planned_at", "answered_by", "supersedes", "created_at"]


class RequestAnswerInputSerializer(serializers.Serializer):
    decision = serializers.CharField()
    motivation = serializers.CharField(required=False, allow_blank=True, max_length=10_000,
                                       default="")
    alternative = serializers.CharField(required=False, allow_blank=True, max_length=10_000,
                                        default="")
    meeting_proposal = serializers.CharField(required=False, allow_blank=True,
                                             max_length=10_000, default="")
    meeting_planned_at = serializers.DateTimeField(required=False, allow_null=True,
                                                   default=None)
    supersedes = serializers.IntegerField(required=False, allow_null=True, default=None)


class RequestInitiativeSerializer(serializers.Serializer):
    id = serializers.UUIDField()
    reference = serializers.CharField()
    title = serializers.CharField()
    state = serializers.CharField()


class RequestDepartmentSerializer(serializers.Serializer):
    code = serializers.CharField()
    name = serializers.CharField()


class RequestSerializer(serializers.ModelSerializer):
    initiative = RequestInitiativeSerializer()
    department = RequestDepartmentSerializer()
    overdue = serializers.SerializerMethodField()
    answer = serializers.SerializerMethodField()
    reasons = RoutingReasonSerializer(many=True)

    class Meta:
        model = RoutedRequest
        fields = ["id", "initiative", "department", "question", "reasons", "status",
                  "due_date", "overdue", "created_at", "answered_at", "answer"]

    def get_overdue(self, obj: RoutedRequest) -> bool:
        return bool(getattr(obj, "is_overdue", False))

    @extend_schema_field(RequestAnswerSerializer(allow_null=True))
    def get_answer(self, obj: RoutedRequest) -> dict[str, Any] | None:
        answer = latest_answer(obj)
        return RequestAnswerSerializer(answer).data if answer else None


class RequestDetailSerializer(RequestSerializer):
    answers = RequestAnswerSerializer(many=True)

    class Meta(RequestSerializer.Meta):
        fields = [*RequestSerializer.Meta.fields, "answers"]
