from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class WebConfig(AppConfig):
    """Server-rendered pages for residents and staff, built on the other apps' services."""

    name = "loket.web"
    label = "web"
    verbose_name = _("Webpagina's")
