"""Small operational state shared by all apps."""

from django.db import models
from django.utils.translation import gettext_lazy as _


class Heartbeat(models.Model):
    """Last sign of life of a background process (the worker writes it from beat)."""

    name = models.CharField(_("naam"), max_length=40, primary_key=True)
    at = models.DateTimeField(_("laatst gezien"))

    class Meta:
        verbose_name = _("hartslag")
        verbose_name_plural = _("hartslagen")

    def __str__(self) -> str:
        return f"{self.name} @ {self.at:%Y-%m-%d %H:%M:%S}"


class OutboxMail(models.Model):
    """One e-mail, written in the same transaction as the event it reports (the outbox).

    The unique `key` names the event, so a replayed task never queues it twice; the send
    task claims the row with compare-and-swap on `claimed_until`, so a redelivered task
    does not send it again, and the sweep retries rows whose task was lost or failed.
    """

    key = models.CharField(_("sleutel"), max_length=120, unique=True)
    initiative = models.ForeignKey("intake.Initiative", verbose_name=_("initiatief"),
                                   null=True, blank=True, on_delete=models.SET_NULL,
                                   related_name="+")
    to = models.JSONField(_("aan"), default=list, blank=True)
    to_initiators = models.BooleanField(_("aan de initiatiefnemers"), default=False)
    subject = models.CharField(_("onderwerp"), max_length=200)
    body = models.TextField(_("tekst"), blank=True)
    # The body holds a secret (a tracking link): it is wiped once sent or given up.
    confidential = models.BooleanField(_("vertrouwelijke tekst"), default=False)
    created_at = models.DateTimeField(_("aangemaakt op"), auto_now_add=True)
    claimed_until = models.DateTimeField(_("bezig tot"), null=True, blank=True)
    attempts = models.PositiveSmallIntegerField(_("pogingen"), default=0)
    sent_at = models.DateTimeField(_("verstuurd op"), null=True, blank=True, db_index=True)
    skipped = models.CharField(_("niet verstuurd omdat"), max_length=100, blank=True)

    class Meta:
        ordering = ["created_at", "id"]
        verbose_name = _("e-mail")
        verbose_name_plural = _("e-mails")

    def __str__(self) -> str:
        return self.key
