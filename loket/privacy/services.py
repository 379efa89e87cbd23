"""AVG: anonymising initiators once their initiative has been closed long enough.

The initiative, its history, answers and statistics stay; only what identifies the
residents (name, e-mail address, phone number, and the addresses and texts of the outbox
e-mails about their initiative) goes. The sweep is a compare-and-swap: each batch locks the
initiatives it anonymises (skipping rows another sweeper or a workflow step holds) and
updates only initiators that are not anonymised yet, so two sweepers or a redelivered task
never do the work twice, and an initiative reopened in the meantime is left alone.
"""

from __future__ import annotations

import logging
from dataclasses import dataclass
from datetime import datetime, timedelta

from django.conf import settings
from django.db import transaction
from django.db.models import Exists, OuterRef, QuerySet
from django.utils import timezone

from loket.core.services import anonymise_outbox
from loket.intake.models import Initiative, Initiator
from loket.workflow.states import CLOSED_STATES

logger = logging.getLogger(__name__)

ANONYMISED_NAME = "geanonimiseerd"
BATCH_SIZE = 200


@dataclass
class SweepResult:
    initiatives: int = 0
    initiators: int = 0


def anonymise_cutoff(now: datetime | None = None) -> datetime:
    return (now or timezone.now()) - timedelta(days=settings.LOKET_ANONYMISE_AFTER_DAYS)


def due_for_anonymisation(now: datetime | None = None) -> QuerySet[Initiative]:
    """Closed initiatives past the retention period with initiators still identifiable.

    Backed by the (state, state_entered_at) index of Initiative; the EXISTS uses the
    initiator's initiative foreign-key index.
    """
    pending = Initiator.objects.filter(initiative=OuterRef("pk"), anonymised_at__isnull=True)
    return (Initiative.objects
            .filter(state__in=CLOSED_STATES, state_entered_at__lt=anonymise_cutoff(now))
            .filter(Exists(pending))
            .order_by("state_entered_at", "id"))


def anonymise_batch(now: datetime | None = None, batch_size: int = BATCH_SIZE) -> SweepResult:
    """One batch in one transaction; the initiatives' rows are locked, busy ones skipped."""
    now = now or timezone.now()
    result = SweepResult()
    with transaction.atomic():
        ids = list(due_for_anonymisation(now)
                   .select_for_update(skip_locked=True, of=("self",))
                   .values_list("id", flat=True)[:batch_size])
        if not ids:
            return result
        result.initiators = (Initiator.objects
                             .filter(initiative_id__in=ids, anonymised_at__isnull=True)
                             .update(name=ANONYMISED_NAME, email="", phone="",
                                     anonymised_at=now))
        anonymise_outbox(ids)
        result.initiatives = len(ids)
    return result


def anonymise_closed_initiatives(now: datetime | None = None,
                                 batch_size: int = BATCH_SIZE) -> SweepResult:
    """The beat task's work: batches until nothing is due (bounded per batch, not overall)."""
    total = SweepResult()
    while True:
        batch = anonymise_batch(now, batch_size)
        total.initiatives += batch.initiatives
        total.initiators += batch.initiators
        if batch.initiatives < batch_size:
            break
    if total.initiatives:
        logger.info("initiators anonymised", extra={"initiatives": total.initiatives,
                                                    "initiators": total.initiators})
    return total
