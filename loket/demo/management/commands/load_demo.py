"""Load the demo municipality "Gemeente Voorbeeld". Idempotent: safe to run at every start."""

from __future__ import annotations

from typing import Any

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError

from loket.demo import services


class Command(BaseCommand):
    help = "Laadt de demogemeente (afdelingen, beleidsopgaven, gebieden, accounts, voorbeelden)."

    def handle(self, *args: Any, **options: Any) -> None:
        if not settings.DEMO:
            raise CommandError(
                "Demo-accounts bestaan alleen in demomodus: zet LOKET_DEMO=1. "
                "Een productie-installatie begint leeg en wordt ingericht via /admin/."
            )
        report = services.load_demo()
        for line in report:
            self.stdout.write(line)
