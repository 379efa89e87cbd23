"""Write path of the core app."""

from django.utils import timezone

from .models import Heartbeat


def record_heartbeat(name: str) -> None:
    Heartbeat.objects.update_or_create(name=name, defaults={"at": timezone.now()})
