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
