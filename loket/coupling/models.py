"""Policy carriers (dragende beleidsopgaven) and coupling suggestions for initiatives."""

from __future__ import annotations

from datetime import date

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _


class PolicyCarrierQuerySet(models.QuerySet):
    def active_on(self, day: date) -> PolicyCarrierQuerySet:
        """Carriers whose active period (open at either end) includes `day`."""
        return self.filter(Q(active_from__isnull=True) | Q(active_from__lte=day),
                           Q(active_until__isnull=True) | Q(active_until__gte=day))


class PolicyCarrier(models.Model):
    code = models.SlugField(_("code"), max_length=40, unique=True)
    name = models.CharField(_("naam"), max_length=120)
    scope = models.TextField(_("reikwijdte"))
    key_terms = models.JSONField(
        _("kernwoorden (woord: gewicht)"), default=dict, blank=True,
        help_text=_("Bijvoorbeeld {\"zonnepanelen\": 2.5, \"isoleren\": 2}. Woorden worden ook "
                    "herkend in meervoud, samenstellingen en met tikfouten; 2-3 beslist, "
                    "ongeveer 1 is een duidelijke aanwijzing, 0,3-0,6 telt alleen samen met "
                    "andere woorden."))
    goal = models.CharField(
        _("bijdrage (bijzin voor de gecombineerde boodschap)"), max_length=240, blank=True,
        help_text=_("Bijvoorbeeld: het maakt de wijk veiliger. Wordt gebruikt in de zin die "
                    "de makelaar binnen de organisatie kan gebruiken."))
    prior = models.FloatField(
        _("basisscore"), default=0.0,
        help_text=_("Voor een opgave waar bijna elk bewonersinitiatief aan bijdraagt "
                    "(bijvoorbeeld samen in de wijk); meestal 0."))
    owner = models.ForeignKey("routing.Department", verbose_name=_("eigenaar"), null=True,
                              blank=True, on_delete=models.SET_NULL,
                              related_name="policy_carriers")
    funds = models.TextField(_("gekoppelde fondsen of budgetten"), blank=True)
    active_from = models.DateField(_("actief vanaf"), null=True, blank=True)
    active_until = models.DateField(_("actief tot en met"), null=True, blank=True)
    updated_at = models.DateTimeField(_("gewijzigd op"), auto_now=True)

    objects = PolicyCarrierQuerySet.as_manager()

    class Meta:
        ordering = ["name"]
        verbose_name = _("beleidsopgave")
        verbose_name_plural = _("beleidsopgaven")

    def __str__(self) -> str:
        return self.name

    def is_active_on(self, day: date) -> bool:
        return ((self.active_from is None or self.active_from <= day)
                and (self.active_until is None or day <= self.active_until))


class CouplingSuggestion(models.Model):
    class Status(models.TextChoices):
        SUGGESTED = "suggested", _("voorgesteld")
        ACCEPTED = "accepted", _("gekoppeld")
        REJECTED = "rejected", _("afgewezen")

    initiative = models.ForeignKey("intake.Initiative", on_delete=models.CASCADE,
                                   related_name="couplings")
    carrier = models.ForeignKey(PolicyCarrier, on_delete=models.CASCADE,
                                related_name="suggestions")
    rank = models.PositiveSmallIntegerField(_("rang"))
    score = models.FloatField(_("score"))
    evidence = models.JSONField(_("onderbouwing"), default=list, blank=True)
    message = models.TextField(_("gecombineerde boodschap"), blank=True)
    status = models.CharField(_("status"), max_length=10, choices=Status.choices,
                              default=Status.SUGGESTED, db_index=True)
    decided_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True,
                                   on_delete=models.SET_NULL, related_name="+")
    decided_at = models.DateTimeField(_("besloten op"), null=True, blank=True)
    reason = models.TextField(_("reden van afwijzing"), blank=True)
    computed_at = models.DateTimeField(_("berekend op"), null=True, blank=True)

    class Meta:
        ordering = ["rank"]
        verbose_name = _("koppelkans")
        verbose_name_plural = _("koppelkansen")
        constraints = [models.UniqueConstraint(fields=["initiative", "carrier"],
                                               name="one_suggestion_per_carrier")]

    def __str__(self) -> str:
        return f"{self.carrier_id}: {self.status}"


class CouplingLearning(models.Model):
    """The carrier term-weight adjustments learned from the brokers' decisions (one row).

    `dirty_at` is set when a decision changes; the recompute task replaces the adjustments
    with compare-and-swap on it, so concurrent decisions never lose a recomputation.
    """

    adjustments = models.JSONField(_("aanpassingen (opgave: woord: delta)"), default=dict,
                                   blank=True)
    examples = models.PositiveIntegerField(_("aantal voorbeelden"), default=0)
    computed_at = models.DateTimeField(_("berekend op"), null=True, blank=True)
    dirty_at = models.DateTimeField(_("opnieuw te berekenen sinds"), null=True, blank=True)

    class Meta:
        verbose_name = _("geleerde kernwoordgewichten")
        verbose_name_plural = _("geleerde kernwoordgewichten")

    def __str__(self) -> str:
        return f"{self.examples} voorbeelden"
