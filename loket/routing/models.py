"""Departments, routing rules, and the requests routed to departments with their answers."""

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
    answered_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True,
                                    on_delete=models.SET_NULL, related_name="+")
    supersedes = models.OneToOneField("self", null=True, blank=True, on_delete=models.PROTECT,
                                      related_name="superseded_by")
    created_at = models.DateTimeField(_("gegeven op"), auto_now_add=True)

    class Meta:
        ordering = ["created_at", "id"]
        verbose_name = _("antwoord")
        verbose_name_plural = _("antwoorden")
