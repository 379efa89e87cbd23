from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class CouplingConfig(AppConfig):
    name = "loket.coupling"
    verbose_name = _("Koppelkansen")
