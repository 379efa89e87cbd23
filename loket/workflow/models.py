"""Audit trail of the workflow: one row per fired transition, written in the same
database transaction as the state change (django-fsm-log's integer ids don't fit UUIDs).
The e-mails a transition causes go to the shared outbox (core.OutboxMail)."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from .states import State

# Keys of TransitionLog.details that the initiators may read (the rest is staff-only).
PUBLIC_DETAILS = ("motivation", "alternative", "expectations_initiators",
                  "expectations_municipality")


class TransitionLog(models.Model):
    initiative = models.ForeignKey("intake.Initiative", on_delete=models.CASCADE,
                                   related_name="history")
    transition = models.CharField(_("overgang"), max_length=40)
    source = models.CharField(_("van"), max_length=20, choices=State.choices)
    target = models.CharField(_("naar"), max_length=20, choices=State.choices)
    actor_role = models.CharField(_("rol"), max_length=20)
    actor_user = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True,
                                   on_delete=models.SET_NULL, related_name="+")
    public_note = models.TextField(_("toelichting (openbaar)"), blank=True)
    internal_note = models.TextField(_("interne notitie"), blank=True)
    details = models.JSONField(_("gegevens bij de overgang"), default=dict, blank=True)
    at = models.DateTimeField(_("moment"), db_index=True)

    class Meta:
        ordering = ["at", "id"]
        verbose_name = _("statuswijziging")
        verbose_name_plural = _("statuswijzigingen")
        indexes = [models.Index(fields=["initiative", "at"])]

    def __str__(self) -> str:
        return f"{self.transition}: {self.source} → {self.target}"

    @property
    def public_details(self) -> dict[str, str]:
        return {k: v for k, v in (self.details or {}).items() if k in PUBLIC_DETAILS}
