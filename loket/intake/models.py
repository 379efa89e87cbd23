"""Initiatives and the residents behind them.

Initiators live in their own table so their personal data can be anonymised later
without touching the initiative or its statistics.
"""

from __future__ import annotations

import uuid

from django.core.validators import MaxValueValidator
from django.db import models
from django.db.models.functions import Upper
from django.utils.translation import gettext_lazy as _

from loket.workflow.fsm import InitiativeWorkflow
from loket.workflow.states import State

MAX_BUDGET = 1_000_000
MAX_DESCRIPTION = 10_000
# While the plan is still being shaped, the initiators may rewrite it through their link.
EDITABLE_STATES = frozenset({State.SUBMITTED, State.INTAKE, State.ELABORATION})


class Area(models.Model):
    class Kind(models.TextChoices):
        WIJK = "wijk", _("wijk")
        BUURT = "buurt", _("buurt")
        KERN = "kern", _("kern")

    code = models.SlugField(_("code"), max_length=40, unique=True)
    name = models.CharField(_("naam"), max_length=100)
    kind = models.CharField(_("soort"), max_length=10, choices=Kind.choices, default=Kind.WIJK)
    lat = models.FloatField(_("breedtegraad (midden)"), null=True, blank=True)
    lon = models.FloatField(_("lengtegraad (midden)"), null=True, blank=True)

    class Meta:
        ordering = ["name"]
        verbose_name = _("gebied")
        verbose_name_plural = _("gebieden")

    def __str__(self) -> str:
        return self.name


class SupportKind(models.TextChoices):
    ADVICE = "advice", _("advies")
    PERMISSION = "permission", _("toestemming of vergunning")
    MONEY = "money", _("geld")
    SPACE = "space", _("grond of ruimte")
    MATERIALS = "materials", _("materialen")
    CONTACTS = "contacts", _("contacten")


class Initiative(InitiativeWorkflow):
    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    reference = models.CharField(_("kenmerk"), max_length=20, unique=True)
    title = models.CharField(_("titel"), max_length=200)
    description = models.TextField(_("beschrijving"), max_length=MAX_DESCRIPTION)
    area = models.ForeignKey(Area, verbose_name=_("gebied"), null=True, blank=True,
                             on_delete=models.PROTECT, related_name="initiatives")
    address = models.CharField(_("adres of plek"), max_length=200, blank=True)
    lat = models.FloatField(_("breedtegraad"), null=True, blank=True)
    lon = models.FloatField(_("lengtegraad"), null=True, blank=True)
    requested_budget = models.PositiveIntegerField(
        _("gevraagd budget (euro)"), default=0, validators=[MaxValueValidator(MAX_BUDGET)])
    support = models.JSONField(_("gevraagde ondersteuning"), default=list, blank=True)
    tracking_token_hash = models.CharField(max_length=64, unique=True, editable=False)
    created_at = models.DateTimeField(_("ingediend op"), db_index=True)
    updated_at = models.DateTimeField(_("gewijzigd op"), auto_now=True)

    class Meta:
        ordering = ["-created_at", "id"]
        verbose_name = _("initiatief")
        verbose_name_plural = _("initiatieven")
        indexes = [models.Index(fields=["state", "state_entered_at"])]

    def __str__(self) -> str:
        return f"{self.reference} {self.title}"

    @property
    def contact(self) -> Initiator | None:
        return next((i for i in self.initiators.all() if i.is_contact), None)


class Initiator(models.Model):
    initiative = models.ForeignKey(Initiative, on_delete=models.CASCADE,
                                   related_name="initiators")
    name = models.CharField(_("naam"), max_length=120)
    email = models.EmailField(_("e-mailadres"), blank=True)
    phone = models.CharField(_("telefoon"), max_length=30, blank=True)
    is_contact = models.BooleanField(_("contactpersoon"), default=False)
    anonymised_at = models.DateTimeField(_("geanonimiseerd op"), null=True, blank=True)

    class Meta:
        ordering = ["-is_contact", "id"]
        verbose_name = _("initiatiefnemer")
        verbose_name_plural = _("initiatiefnemers")
        indexes = [
            models.Index(fields=["email"]),
            # The duplicate guard compares contact addresses case-insensitively (UPPER):
            # without this, every submission scans all initiators.
            models.Index(Upper("email"), condition=models.Q(is_contact=True),
                         name="intake_contact_email_upper"),
        ]

    def __str__(self) -> str:
        return self.name


class ReferenceCounter(models.Model):
    """Per-year counter behind readable references like INI-2026-00042."""

    year = models.PositiveIntegerField(primary_key=True)
    last = models.PositiveIntegerField(default=0)

    def __str__(self) -> str:
        return f"{self.year}: {self.last}"


class TrackingLink(models.Model):
    """An extra tracking link, issued when a resident submits the same initiative again.

    The first link's hash lives on the initiative; a repeated submission must not leak that
    link (or a new one) in the response, so a fresh link is only e-mailed to the contact
    person and both links keep working. Only the SHA-256 of the token is stored.
    """

    initiative = models.ForeignKey(Initiative, on_delete=models.CASCADE,
                                   related_name="tracking_links")
    token_hash = models.CharField(max_length=64, unique=True, editable=False)
    created_at = models.DateTimeField(_("aangemaakt op"), auto_now_add=True)

    class Meta:
        verbose_name = _("volglink")
        verbose_name_plural = _("volglinks")

    def __str__(self) -> str:
        return f"{self.initiative_id} @ {self.created_at:%Y-%m-%d %H:%M}"


class Question(models.Model):
    """A question from the broker or a department to the initiators, answered via their link."""

    initiative = models.ForeignKey(Initiative, on_delete=models.CASCADE,
                                   related_name="questions")
    text = models.TextField(_("vraag"), max_length=MAX_DESCRIPTION)
    asked_by = models.ForeignKey("auth.User", verbose_name=_("gesteld door"), null=True,
                                 blank=True, on_delete=models.SET_NULL, related_name="+")
    asked_by_role = models.CharField(_("rol van de vraagsteller"), max_length=20)
    department = models.ForeignKey("routing.Department", verbose_name=_("namens afdeling"),
                                   null=True, blank=True, on_delete=models.SET_NULL,
                                   related_name="+")
    asked_at = models.DateTimeField(_("gesteld op"), db_index=True)
    answer = models.TextField(_("antwoord"), blank=True, max_length=MAX_DESCRIPTION)
    answered_at = models.DateTimeField(_("beantwoord op"), null=True, blank=True)

    class Meta:
        ordering = ["asked_at", "id"]
        verbose_name = _("vraag aan de initiatiefnemers")
        verbose_name_plural = _("vragen aan de initiatiefnemers")
        indexes = [models.Index(fields=["initiative", "answered_at"])]

    def __str__(self) -> str:
        return self.text[:60]

    @property
    def is_open(self) -> bool:
        return self.answered_at is None


class Note(models.Model):
    """Information the initiators add to their initiative through their tracking link."""

    initiative = models.ForeignKey(Initiative, on_delete=models.CASCADE, related_name="notes")
    text = models.TextField(_("aanvulling"), max_length=MAX_DESCRIPTION)
    created_at = models.DateTimeField(_("toegevoegd op"), db_index=True)

    class Meta:
        ordering = ["created_at", "id"]
        verbose_name = _("aanvulling van de initiatiefnemers")
        verbose_name_plural = _("aanvullingen van de initiatiefnemers")

    def __str__(self) -> str:
        return self.text[:60]
