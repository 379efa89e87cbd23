"""Departments, routing rules, and the requests routed to departments with their answers.

The database is the source of truth for every step of routing: the proposal, the broker's
corrections and the routed requests all live here (e-mails go to core's outbox), with markers the
periodic sweeper uses to redo work whose task got lost (compare-and-swap on those markers).
"""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _


class Department(models.Model):
    code = models.SlugField(_("code"), max_length=40, unique=True)
    name = models.CharField(_("naam"), max_length=120)
    description = models.TextField(_("taakveld"), blank=True)
    mailbox = models.EmailField(_("functionele mailbox"), blank=True)
    officials = models.ManyToManyField(settings.AUTH_USER_MODEL, verbose_name=_("ambtenaren"),
                                       blank=True, related_name="departments")
    answer_term_days = models.PositiveSmallIntegerField(_("antwoordtermijn (werkdagen)"),
                                                        default=10)
    active = models.BooleanField(_("actief"), default=True)

    class Meta:
        ordering = ["name"]
        verbose_name = _("afdeling")
        verbose_name_plural = _("afdelingen")

    def __str__(self) -> str:
        return self.name


class RoutedRequest(models.Model):
    """One question to one department about one initiative (unique per pair)."""

    class Status(models.TextChoices):
        OPEN = "open", _("open")
        ANSWERED = "answered", _("beantwoord")
        WITHDRAWN = "withdrawn", _("vervallen")

    initiative = models.ForeignKey("intake.Initiative", on_delete=models.CASCADE,
                                   related_name="requests")
    department = models.ForeignKey(Department, on_delete=models.PROTECT,
                                   related_name="requests")
    question = models.TextField(_("vraag"))
    reasons = models.JSONField(_("waarom gerouteerd"), default=list, blank=True)
    status = models.CharField(_("status"), max_length=12, choices=Status.choices,
                              default=Status.OPEN, db_index=True)
    due_date = models.DateField(_("uiterste antwoorddatum"), db_index=True)
    created_at = models.DateTimeField(_("verstuurd op"), auto_now_add=True)
    answered_at = models.DateTimeField(_("beantwoord op"), null=True, blank=True)
    # The consultation round (the initiative's state_entered_at when it entered consultation)
    # this request belongs to: a later round reopens requests that were not approved.
    round_started_at = models.DateTimeField(_("afstemmingsronde gestart op"), null=True,
                                            blank=True)

    class Meta:
        ordering = ["due_date", "id"]
        verbose_name = _("uitgezette vraag")
        verbose_name_plural = _("uitgezette vragen")
        constraints = [
            models.UniqueConstraint(fields=["initiative", "department"],
                                    name="one_request_per_department"),
        ]
        indexes = [models.Index(fields=["status", "due_date"])]

    def __str__(self) -> str:
        return f"{self.department.code}: {self.initiative_id}"


class Answer(models.Model):
    """A department's answer; final. A correction is a new answer that supersedes it."""

    class Decision(models.TextChoices):
        APPROVED = "approved", _("akkoord")
        APPROVED_WITH_CONDITIONS = "approved_with_conditions", _("akkoord onder voorwaarden")
        DECLINED = "declined", _("niet akkoord")
        CONVERSATION_NEEDED = "conversation_needed", _("gesprek nodig")

    request = models.ForeignKey(RoutedRequest, on_delete=models.CASCADE, related_name="answers")
    decision = models.CharField(_("besluit"), max_length=30, choices=Decision.choices)
    motivation = models.TextField(_("motivering"), blank=True)
    alternative = models.TextField(_("alternatief"), blank=True)
    meeting_proposal = models.TextField(_("voorstel voor gesprek"), blank=True)
    # For conversation_needed: when the proposed meeting takes place (the stall detector
    # tells "waiting for a planned meeting" from "stuck").
    meeting_planned_at = models.DateTimeField(_("gesprek gepland op"), null=True, blank=True,
                                              db_index=True)
    answered_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True,
                                    on_delete=models.SET_NULL, related_name="+")
    supersedes = models.OneToOneField("self", null=True, blank=True, on_delete=models.PROTECT,
                                      related_name="superseded_by")
    created_at = models.DateTimeField(_("gegeven op"), auto_now_add=True)

    class Meta:
        ordering = ["created_at", "id"]
        verbose_name = _("antwoord")
        verbose_name_plural = _("antwoorden")
        indexes = [
            # The stall scan's follow-up rules read only these answers, by age.
            models.Index(fields=["decision", "created_at"], name="answer_follow_up_idx",
                         condition=models.Q(decision__in=["declined", "conversation_needed"])),
        ]

    def __str__(self) -> str:
        return f"{self.get_decision_display()} ({self.request_id})"


class RoutingRule(models.Model):
    """One configurable reason to route an initiative to a department.

    A rule fires when every condition it sets holds: its weighted terms score at least
    `min_score` in title and description (matched through loket.text: stems, compounds,
    typos), one of its kinds of support is asked, the requested budget is at least
    `min_requested_budget`, the initiative lies in one of its areas. Conditions left empty
    do not count; a rule needs at least one.
    """

    order = models.PositiveIntegerField(_("volgorde"), default=100, db_index=True)
    department = models.ForeignKey(Department, verbose_name=_("afdeling"),
                                   on_delete=models.CASCADE, related_name="rules")
    name = models.CharField(_("naam"), max_length=120)
    explanation = models.CharField(
        _("uitleg"), max_length=240, blank=True,
        help_text=_("Waarom deze regel bestaat; wordt getoond als reden van de routering."))
    terms = models.JSONField(
        _("woorden (woord: gewicht)"), default=dict, blank=True,
        help_text=_("Bijvoorbeeld {\"zebrapad\": 2, \"straat + afsluiten\": 1.5}. Woorden "
                    "worden ook herkend in meervoud, samenstellingen en met tikfouten."))
    min_score = models.FloatField(_("minimale tekstscore"), default=1.0)
    support_kinds = models.JSONField(_("gevraagde ondersteuning (een van)"), default=list,
                                     blank=True)
    min_requested_budget = models.PositiveIntegerField(
        _("minimaal gevraagd budget (euro)"), null=True, blank=True)
    areas = models.ManyToManyField("intake.Area", verbose_name=_("gebieden"), blank=True,
                                   related_name="routing_rules")
    learns = models.BooleanField(
        _("leert van correcties"), default=True,
        help_text=_("Woordgewichten van deze regel worden bijgesteld op basis van de "
                    "routeringen die makelaars bevestigen of corrigeren."))
    active = models.BooleanField(_("actief"), default=True)
    updated_at = models.DateTimeField(_("gewijzigd op"), auto_now=True)

    class Meta:
        ordering = ["order", "id"]
        verbose_name = _("routeringsregel")
        verbose_name_plural = _("routeringsregels")

    def __str__(self) -> str:
        return f"{self.order}. {self.name} → {self.department.code}"


class RoutingProposal(models.Model):
    """Where an initiative should go: computed at submission, corrected by the broker.

    `retry_at` and `route_retry_at` are the sweeper's compare-and-swap markers: an
    initiative whose proposal or routing did not happen in time is re-enqueued once per
    marker value, however many sweepers run.
    """

    initiative = models.OneToOneField("intake.Initiative", on_delete=models.CASCADE,
                                      related_name="routing")
    computed_at = models.DateTimeField(_("berekend op"), null=True, blank=True)
    retry_at = models.DateTimeField(_("opnieuw proberen vanaf"), null=True, blank=True,
                                    db_index=True)
    confirmed_at = models.DateTimeField(_("bevestigd op"), null=True, blank=True)
    # The consultation round whose requests exist (the initiative's state_entered_at).
    routed_for = models.DateTimeField(_("gerouteerd voor ronde"), null=True, blank=True)
    routed_at = models.DateTimeField(_("gerouteerd op"), null=True, blank=True)
    route_retry_at = models.DateTimeField(_("routering opnieuw proberen vanaf"), null=True,
                                          blank=True, db_index=True)

    class Meta:
        verbose_name = _("routeringsvoorstel")
        verbose_name_plural = _("routeringsvoorstellen")

    def __str__(self) -> str:
        return str(self.initiative_id)


class ProposedDepartment(models.Model):
    """One department in a proposal, why, and what the broker did with it."""

    class Source(models.TextChoices):
        MACHINE = "machine", _("voorgesteld door Loket")
        BROKER = "broker", _("toegevoegd door de makelaar")

    class Decision(models.TextChoices):
        PENDING = "pending", _("voorgesteld, nog niet bevestigd")
        KEPT = "kept", _("bevestigd")
        ADDED = "added", _("toegevoegd")
        REMOVED = "removed", _("verwijderd")

    proposal = models.ForeignKey(RoutingProposal, on_delete=models.CASCADE,
                                 related_name="departments")
    department = models.ForeignKey(Department, on_delete=models.CASCADE, related_name="+")
    source = models.CharField(_("bron"), max_length=10, choices=Source.choices)
    decision = models.CharField(_("besluit"), max_length=10, choices=Decision.choices,
                                default=Decision.PENDING)
    score = models.FloatField(_("score"), default=0.0)
    reasons = models.JSONField(_("redenen"), default=list, blank=True)
    decided_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True,
                                   on_delete=models.SET_NULL, related_name="+")
    decided_at = models.DateTimeField(_("besloten op"), null=True, blank=True)

    class Meta:
        ordering = ["department__name"]
        verbose_name = _("voorgestelde afdeling")
        verbose_name_plural = _("voorgestelde afdelingen")
        constraints = [models.UniqueConstraint(fields=["proposal", "department"],
                                               name="one_proposed_department")]

    def __str__(self) -> str:
        return f"{self.department_id}: {self.decision}"

    @property
    def confirmed(self) -> bool:
        return self.decision != self.Decision.REMOVED


class RoutingLearning(models.Model):
    """The term-weight adjustments learned from confirmed routings (one row).

    Recomputed from all confirmed routings when corrections change them: the first
    correction after a clean state enqueues a recompute, later ones bump `version`, and a
    recompute clears `dirty_at` only with compare-and-swap on the version it started from;
    the sweeper picks up what stays dirty. So a burst of corrections costs a few recomputes,
    not one each. Bounded deltas, shown as evidence of kind "geleerd" (explainable).
    """

    adjustments = models.JSONField(_("aanpassingen (afdeling: woord: delta)"), default=dict,
                                   blank=True)
    examples = models.PositiveIntegerField(_("aantal voorbeelden"), default=0)
    computed_at = models.DateTimeField(_("berekend op"), null=True, blank=True)
    dirty_at = models.DateTimeField(_("opnieuw te berekenen sinds"), null=True, blank=True)
    # Bumped by every correction: a recompute that started before it must not clear dirty_at.
    version = models.PositiveIntegerField(default=0)

    class Meta:
        verbose_name = _("geleerde woordgewichten")
        verbose_name_plural = _("geleerde woordgewichten")

    def __str__(self) -> str:
        return f"{self.examples} voorbeelden"
