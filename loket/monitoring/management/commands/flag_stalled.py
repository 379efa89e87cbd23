"""Run the stall scan on demand (the beat task runs it every 15 minutes)."""

from __future__ import annotations

from typing import Any

from django.core.management.base import BaseCommand

from loket.monitoring.services import scan_flags


class Command(BaseCommand):
    help = "Signaleert stilgevallen en geblokkeerde initiatieven (en heft opgeloste op)."

    def add_arguments(self, parser: Any) -> None:
        parser.add_argument("--no-notify", action="store_true",
                            help="Geen e-mails versturen (alleen signaleringen bijwerken).")

    def handle(self, *args: Any, no_notify: bool = False, **options: Any) -> None:
        result = scan_flags(notify=not no_notify)
        self.stdout.write(
            f"Nieuw: {result.raised}, opgeheven: {result.cleared}, "
            f"geëscaleerd: {result.escalated}, open: {result.open}, "
            f"gemeld: {result.notified} ({result.emails} e-mails)")
