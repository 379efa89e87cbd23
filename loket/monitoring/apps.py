from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class MonitoringConfig(AppConfig):
    name = "loket.monitoring"
    verbose_name = _("Signalering")

    def ready(self) -> None:
        # The staff list's `stalled` filter: an initiative with an open flag.
        from loket.intake.selectors import register_stalled_condition

        register_stalled_condition(_has_open_flag)


def _has_open_flag() -> object:
    from django.db.models import Exists, OuterRef

    from .models import Flag

    return Exists(Flag.objects.filter(initiative=OuterRef("pk"), cleared_at__isnull=True))
