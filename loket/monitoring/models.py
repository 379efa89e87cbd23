"""Stall and block rules (configured in the admin) and the flags the scan raises from them.

A flag is one reason why one initiative does not move: who holds the ball, since when, and
how far it has been escalated. Flags are never deleted: a cleared flag keeps its history for
the trend figures, and at most one flag per (initiative, kind, cause) is open at a time.
"""

from __future__ import annotations

from django.core.validators import MinValueValidator
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from loket.workflow.states import State

from . import reasons

# Defaults in Dutch working days (see docs/monitoring.md). Consultation has no state rule:
# there the departments hold the ball and the request rules (overdue, declined,
# conversation) say precisely which department, instead of blaming "consultation".
DEFAULT_STALL_RULES: dict[str, tuple[int, int]] = {
    State.SUBMITTED: (3, 2),
    State.INTAKE: (10, 5),
    State.ELABORATION: (30, 10),
    State.PLAN_SUBMITTED: (10, 5),
    State.READY: (20, 10),
    State.IN_PROGRESS: (60, 20),
    State.PAUSED: (40, 20),
}


class StallRule(models.Model):
    """How long an initiative may stay in one state before it counts as stalled."""

    state = models.CharField(_("status"), max_length=20, choices=State.choices, unique=True)
    working_days = models.PositiveSmallIntegerField(
        _("stilgevallen na (werkdagen)"), validators=[MinValueValidator(1)],
        help_text=_("Zo lang mag een initiatief in deze status blijven zonder beweging."))
    escalation_working_days = models.PositiveSmallIntegerField(
        _("escalatie naar manager na (werkdagen)"), default=10,
        help_text=_("Tweede termijn, gerekend vanaf het moment dat het initiatief "
                    "stilgevallen is. Geldt niet als de initiatiefnemers aan zet zijn."))
    active = models.BooleanField(_("actief"), default=True)

    class Meta:
        ordering = ["state"]
        verbose_name = _("regel voor stilstand")
        verbose_name_plural = _("regels voor stilstand")

    def __str__(self) -> str:
        return f"{self.get_state_display()}: {self.working_days}"


class BlockRule(models.Model):
    """What counts as blocked, and after how many working days."""

    class Kind(models.TextChoices):
        REQUEST_OVERDUE = "request_overdue", _("uitgezette vraag over de antwoordtermijn")
        DECLINED_NO_FOLLOW_UP = "declined_no_follow_up", _("'niet akkoord' zonder vervolg")
        CONVERSATION_NO_MEETING = "conversation_no_meeting", _("'gesprek nodig' zonder afspraak")
        NO_BROKER = "no_broker", _("geen initiatiefmakelaar")

    kind = models.CharField(_("soort"), max_length=30, choices=Kind.choices, unique=True)
    working_days = models.PositiveSmallIntegerField(
        _("geblokkeerd na (werkdagen)"),
        help_text=_("Bij een uitgezette vraag: werkdagen na de uiterste antwoorddatum "
                    "(0 = meteen de dag erna)."))
    escalation_working_days = models.PositiveSmallIntegerField(
        _("escalatie naar manager na (werkdagen)"), default=5)
    active = models.BooleanField(_("actief"), default=True)

    class Meta:
        ordering = ["kind"]
        verbose_name = _("regel voor blokkade")
        verbose_name_plural = _("regels voor blokkades")

    def __str__(self) -> str:
        return f"{self.get_kind_display()}: {self.working_days}"


DEFAULT_BLOCK_RULES: dict[str, tuple[int, int]] = {
    BlockRule.Kind.REQUEST_OVERDUE: (0, 5),
    BlockRule.Kind.DECLINED_NO_FOLLOW_UP: (10, 5),
    BlockRule.Kind.CONVERSATION_NO_MEETING: (5, 5),
    BlockRule.Kind.NO_BROKER: (5, 3),
}


class Flag(models.Model):
    class Kind(models.TextChoices):
        STALLED = "stalled", _("stilgevallen")
        BLOCKED = "blocked", _("geblokkeerd")
        OVERDUE = "overdue", _("termijn verstreken")

    class BallHolder(models.TextChoices):
        INITIATORS = "initiators", _("de initiatiefnemers")
        BROKER = "broker", _("de initiatiefmakelaar")
        DEPARTMENT = "department", _("een vakafdeling")

    initiative = models.ForeignKey("intake.Initiative", on_delete=models.CASCADE,
                                   related_name="flags")
    kind = models.CharField(_("soort"), max_length=10, choices=Kind.choices)
    # Machine key of the cause, e.g. "state:intake:<entered epoch>", "request:42:2026-05-01",
    # "declined:17", "conversation:18", "no_broker": a new occurrence is a new cause.
    cause = models.CharField(_("oorzaak"), max_length=80)
    # Why, language-neutral (see reasons.py): the sentence is rendered in the reader's
    # language by `reason`. Flags raised before codes existed keep their Dutch text in
    # `legacy_reason`, shown when the code is empty.
    reason_code = models.CharField(_("reden (code)"), max_length=30, blank=True, default="")
    reason_params = models.JSONField(_("reden (gegevens)"), default=dict, blank=True)
    legacy_reason = models.TextField(_("reden (oude tekst)"), blank=True, default="")
    ball_holder = models.CharField(_("aan zet"), max_length=12, choices=BallHolder.choices)
    department = models.ForeignKey("routing.Department", verbose_name=_("afdeling"), null=True,
                                   blank=True, on_delete=models.SET_NULL, related_name="flags")
    # Copied from the initiative (kept in sync by the scan) so the dashboard filters on the
    # flag table alone instead of joining every open flag to the initiatives.
    area = models.ForeignKey("intake.Area", verbose_name=_("gebied"), null=True, blank=True,
                             on_delete=models.SET_NULL, related_name="+")
    broker = models.ForeignKey("auth.User", verbose_name=_("initiatiefmakelaar"), null=True,
                               blank=True, on_delete=models.SET_NULL, related_name="+")
    since = models.DateTimeField(_("sinds"))
    escalate_at = models.DateTimeField(_("escaleert op"), null=True, blank=True)
    escalation_level = models.PositiveSmallIntegerField(_("escalatieniveau"), default=1)
    notified_level = models.PositiveSmallIntegerField(_("gemeld tot niveau"), default=0)
    created_at = models.DateTimeField(_("gesignaleerd op"))
    cleared_at = models.DateTimeField(_("opgelost op"), null=True, blank=True)

    class Meta:
        ordering = ["since", "id"]
        verbose_name = _("signalering")
        verbose_name_plural = _("signaleringen")
        constraints = [
            models.UniqueConstraint(fields=["initiative", "kind", "cause"],
                                    condition=Q(cleared_at__isnull=True),
                                    name="one_open_flag_per_cause"),
            models.CheckConstraint(condition=Q(escalation_level__in=[1, 2]),
                                   name="flag_escalation_level_1_or_2"),
            models.CheckConstraint(condition=Q(notified_level__lte=2),
                                   name="flag_notified_level_at_most_2"),
        ]
        indexes = [
            # The dashboard and the scan only ever read open flags.
            models.Index(fields=["since"], condition=Q(cleared_at__isnull=True),
                         name="open_flag_since"),
            models.Index(fields=["escalate_at"],
                         condition=Q(cleared_at__isnull=True, escalation_level=1),
                         name="open_flag_escalate_at"),
            models.Index(fields=["created_at"], name="flag_created_at"),
        ]

    def __str__(self) -> str:
        return f"{self.get_kind_display()}: {self.reason}"

    @property
    def reason(self) -> str:
        """The reason as a sentence in the active language (reads the department's name only
        for the sentences that name it: join `department` when listing those)."""
        department = None
        if self.reason_code in reasons.NAMES_DEPARTMENT and self.department_id is not None:
            department = self.department.name
        return reasons.reason_text(self.reason_code, self.reason_params,
                                   department=department, legacy=self.legacy_reason)

    @property
    def is_open(self) -> bool:
        return self.cleared_at is None


class DashboardSnapshot(models.Model):
    """The managers' summary as last computed: aggregating a million initiatives takes longer
    than a dashboard request may, so the beat task refreshes it after every scan."""

    SUMMARY = "summary"

    key = models.CharField(_("sleutel"), max_length=40, primary_key=True)
    data = models.JSONField(_("gegevens"))
    computed_at = models.DateTimeField(_("berekend op"))

    class Meta:
        verbose_name = _("dashboardmomentopname")
        verbose_name_plural = _("dashboardmomentopnamen")

    def __str__(self) -> str:
        return f"{self.key} @ {self.computed_at:%Y-%m-%d %H:%M}"
