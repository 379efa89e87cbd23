"""Shapes of the data download (documented in the OpenAPI document, checked by the fuzzer)."""

from __future__ import annotations

from rest_framework import serializers

from loket.workflow.states import State


class ExportInitiativeSerializer(serializers.Serializer):
    id = serializers.UUIDField()
    reference = serializers.CharField()
    title = serializers.CharField()
    description = serializers.CharField()
    area = serializers.CharField(allow_null=True)
    address = serializers.CharField(allow_blank=True)
    lat = serializers.FloatField(allow_null=True)
    lon = serializers.FloatField(allow_null=True)
    requested_budget = serializers.IntegerField()
    support = serializers.ListField(child=serializers.CharField())
    state = serializers.ChoiceField(choices=State.choices)
    state_entered_at = serializers.DateTimeField(allow_null=True)
    ball_holder = serializers.CharField(allow_blank=True)
    broker = serializers.CharField(allow_null=True,
                                   help_text="Voornaam van de initiatiefmakelaar.")
    expectations_initiators = serializers.CharField(allow_blank=True)
    expectations_municipality = serializers.CharField(allow_blank=True)
    not_feasible_motivation = serializers.CharField(allow_blank=True)
    not_feasible_alternative = serializers.CharField(allow_blank=True)
    created_at = serializers.DateTimeField()
    updated_at = serializers.DateTimeField()


class ExportInitiatorSerializer(serializers.Serializer):
    name = serializers.CharField()
    email = serializers.CharField(allow_blank=True)
    phone = serializers.CharField(allow_blank=True)
    is_contact = serializers.BooleanField()
    anonymised_at = serializers.DateTimeField(allow_null=True)


class ExportTrackingLinkSerializer(serializers.Serializer):
    created_at = serializers.DateTimeField()


class ExportNoteSerializer(serializers.Serializer):
    text = serializers.CharField()
    created_at = serializers.DateTimeField()


class ExportQuestionSerializer(serializers.Serializer):
    text = serializers.CharField()
    asked_by_role = serializers.CharField()
    department = serializers.CharField(allow_null=True)
    asked_at = serializers.DateTimeField()
    answer = serializers.CharField(allow_blank=True)
    answered_at = serializers.DateTimeField(allow_null=True)


class ExportHistorySerializer(serializers.Serializer):
    transition = serializers.CharField()
    label = serializers.CharField()
    source = serializers.CharField()
    target = serializers.CharField()
    at = serializers.DateTimeField()
    actor = serializers.CharField()
    public_note = serializers.CharField(allow_blank=True)
    details = serializers.DictField(child=serializers.CharField())


class ExportAnswerSerializer(serializers.Serializer):
    decision = serializers.CharField()
    motivation = serializers.CharField(allow_blank=True)
    alternative = serializers.CharField(allow_blank=True)
    meeting_proposal = serializers.CharField(allow_blank=True)
    created_at = serializers.DateTimeField()


class ExportRequestSerializer(serializers.Serializer):
    department = serializers.CharField()
    status = serializers.CharField()
    due_date = serializers.DateField()
    created_at = serializers.DateTimeField()
    answers = ExportAnswerSerializer(many=True)


class ExportEmailSerializer(serializers.Serializer):
    to = serializers.ListField(child=serializers.EmailField())
    subject = serializers.CharField(allow_blank=True)
    sent_at = serializers.DateTimeField(allow_null=True)


class DataExportSerializer(serializers.Serializer):
    exported_at = serializers.DateTimeField()
    initiative = ExportInitiativeSerializer()
    initiators = ExportInitiatorSerializer(many=True)
    tracking_links = ExportTrackingLinkSerializer(many=True)
    notes = ExportNoteSerializer(many=True)
    questions = ExportQuestionSerializer(many=True)
    history = ExportHistorySerializer(many=True)
    requests = ExportRequestSerializer(many=True)
    emails = ExportEmailSerializer(many=True)

    class Meta:
        ref_name = "DataExport"
