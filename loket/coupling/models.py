"""Policy carriers (dragende beleidsopgaven) and coupling suggestions for initiatives."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _


class PolicyCarrier(models.Model):
    code = models.SlugField(_("code"), max_length=40, unique=True)
    name = models.CharField(_("naam"), max_length=120)
    scope = models.TextField(_("reikwijdte"))
    key_terms = models.JSONField(_("kernwoorden (woord: gewicht)"), default=dict, blank=True)
    owner = models.ForeignKey("routing.Department", verbose_name=_("eigenaar"), null=True,
                              blank=True, on_delete=models.SET_NULL,
                              related_name="policy_carriers")
    funds = models.TextField(_("gekoppelde fondsen of budgetten"), blank=True)
    active_from = models.DateField(_("actief vanaf"), null=True, blank=True)
    active_until = models.DateField(_("actief tot en met"), null=True, blank=True)

    class Meta:
        ordering = ["name"]
        verbose_name = _("beleidsopgave")
        verbose_name_plural = _("beleidsopgaven")

    def __str__(self) -> str:
        return self.name


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

    class Meta:
        ordering = ["rank"]
        verbose_name = _("koppelkans")
        verbose_name_plural = _("koppelkansen")
        constraints = [models.UniqueConstraint(fields=["initiative", "carrier"],
                                               name="one_suggestion_per_carrier")]
