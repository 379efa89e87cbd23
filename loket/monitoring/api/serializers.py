"""Thin serializers of the dashboard: query parameters in, rows out."""

from __future__ import annotations

from typing import Any

from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from rest_framework import serializers

from loket.monitoring.models import Flag
from loket.monitoring.reasons import NAMES_DEPARTMENT, reason_text
from loket.workflow.states import State


class StalledQuerySerializer(serializers.Serializer):
    department = serializers.SlugField(required=False, help_text=_("Code van de afdeling."))
    area = serializers.SlugField(required=False, help_text=_("Code van het gebied."))
    broker = serializers.CharField(required=False, max_length=150,
                                   help_text=_("Gebruikersnaam van de makelaar."))
    ball_holder = serializers.ChoiceField(choices=Flag.BallHolder.choices, required=False)
    kind = serializers.ChoiceField(choices=Flag.Kind.choices, required=False)
    min_days = serializers.IntegerField(required=False, min_value=0, max_value=3650,
                                        help_text=_("Minimaal aantal dagen (kalender)."))


class StalledFlagSerializer(serializers.ModelSerializer):
    initiative_id = serializers.UUIDField(source="initiative.id")
    reference = serializers.CharField(source="initiative.reference")
    title = serializers.CharField(source="initiative.title")
    state = serializers.CharField(source="initiative.state")
    state_label = serializers.CharField(source="initiative.get_state_display")
    area = serializers.SerializerMethodField()
    broker = serializers.SerializerMethodField()
    kind_label = serializers.CharField(source="get_kind_display")
    reason = serializers.CharField(read_only=True, label=_("Reden"), help_text=_(
        "Waarom het initiatief stilstaat, als zin in de taal van de vrager."))
    ball_holder_label = serializers.SerializerMethodField()
    department = serializers.SlugRelatedField(slug_field="code", read_only=True)
    days = serializers.SerializerMethodField()

    class Meta:
        model = Flag
        fields = ["id", "initiative_id", "reference", "title", "state", "state_label", "area",
                  "broker", "kind", "kind_label", "reason", "ball_holder", "ball_holder_label",
                  "department", "since", "days", "escalation_level"]

    def get_area(self, flag: Flag) -> str:
        area = flag.initiative.area
        return area.name if area else ""

    def get_broker(self, flag: Flag) -> str:
        broker = flag.initiative.broker
        return (broker.get_full_name() or broker.get_username()) if broker else ""

    def get_ball_holder_label(self, flag: Flag) -> str:
        if flag.ball_holder == Flag.BallHolder.DEPARTMENT and flag.department:
            return flag.department.name
        return str(flag.get_ball_holder_display())

    def get_days(self, flag: Flag) -> int:
        return (self.context.get("now", timezone.now()) - flag.since).days


CSV_STALLED = [
    ("reference", _("Kenmerk")), ("title", _("Titel")), ("state_label", _("Status")),
    ("area", _("Gebied")), ("broker", _("Makelaar")), ("kind_label", _("Soort")),
    ("reason", _("Reden")), ("ball_holder_label", _("Aan zet")), ("since", _("Sinds")),
    ("days", _("Dagen")), ("escalation_level", _("Escalatieniveau")),
]


def stalled_rows(flags: Any, now: Any) -> tuple[list[str], list[list[Any]]]:
    """Every open flag as a CSV row, straight from one `.values()` query (an export of tens
    of thousands of rows must not build a model instance and a serializer per row), with
    the labels and reasons in the request's language."""
    states = dict(State.choices)
    kinds = dict(Flag.Kind.choices)
    holders = dict(Flag.BallHolder.choices)
    sentences: dict[tuple, str] = {}  # many flags share a reason (same rule, same day)
    rows = []
    for r in flags.values("initiative__reference", "initiative__title", "initiative__state",
                          "initiative__area__name", "initiative__broker__first_name",
                          "initiative__broker__last_name", "initiative__broker__username",
                          "kind", "reason_code", "reason_params", "legacy_reason",
                          "ball_holder", "department__name", "since", "escalation_level"):
        broker = " ".join(filter(None, (r["initiative__broker__first_name"],
                                        r["initiative__broker__last_name"])))
        holder = (r["department__name"] if r["ball_holder"] == Flag.BallHolder.DEPARTMENT
                  and r["department__name"] else str(holders[r["ball_holder"]]))
        code = r["reason_code"]
        department = r["department__name"] if code in NAMES_DEPARTMENT else None
        key = (code, repr(sorted((r["reason_params"] or {}).items())), department,
               r["legacy_reason"])
        if key not in sentences:
            sentences[key] = reason_text(code, r["reason_params"], department=department,
                                         legacy=r["legacy_reason"])
        rows.append([
            r["initiative__reference"], r["initiative__title"],
            str(states.get(r["initiative__state"], r["initiative__state"])),
            r["initiative__area__name"] or "",
            broker or r["initiative__broker__username"] or "",
            str(kinds[r["kind"]]), sentences[key], holder,
            timezone.localtime(r["since"]).isoformat(), (now - r["since"]).days,
            r["escalation_level"]])
    return [str(label) for _, label in CSV_STALLED], rows


def summary_rows(data: dict[str, Any]) -> tuple[list[str], list[list[Any]]]:
    """The summary as one long table: section, item, measure, value."""
    rows: list[list[Any]] = []
    for r in data["initiatives_per_state"]:
        rows.append([_("Initiatieven per status"), r["label"], _("aantal"), r["count"]])
    for r in data["initiatives_per_area"]:
        name = r["name"] or _("(geen gebied)")
        rows.append([_("Initiatieven per gebied"), name, _("aantal"), r["count"]])
        rows.append([_("Initiatieven per gebied"), name, _("lopend"), r["active"]])
    for r in data["requests_per_department"]:
        for key, label in (("open", _("open")), ("overdue", _("over termijn")),
                           ("median_answer_days", _("mediane antwoordtijd (dagen)"))):
            rows.append([_("Uitgezette vragen per afdeling"), r["name"], label, r[key]])
    lead = data["lead_time"]
    rows.append([_("Doorlooptijd"), _("ingediend tot klaar om te starten"),
                 _("mediaan (dagen)"), lead["submitted_to_ready_days"]])
    rows.append([_("Doorlooptijd"), _("ingediend tot gerealiseerd"), _("mediaan (dagen)"),
                 lead["submitted_to_realized_days"]])
    for r in data["stalled_per_ball_holder"]:
        rows.append([_("Signaleringen per aan zet"), r["name"], _("aantal"), r["count"]])
    for r in data["monthly_trend"]:
        for key, label in (("submitted", _("ingediend")), ("realized", _("gerealiseerd")),
                           ("flagged", _("gesignaleerd"))):
            rows.append([_("Maandelijks verloop"), r["month"], label, r[key]])
    for r in data["accepted_couplings_per_carrier"]:
        rows.append([_("Gekoppelde beleidsopgaven"), r["name"], _("aantal"), r["accepted"]])
    header = [_("Onderdeel"), _("Onderwerp"), _("Maat"), _("Waarde")]
    return [str(h) for h in header], [[str(c) if not isinstance(c, int | float | type(None))
                                       else ("" if c is None else c) for c in row]
                                      for row in rows]
