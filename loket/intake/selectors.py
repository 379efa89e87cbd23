"""Read queries of intake."""

from __future__ import annotations

from django.utils.translation import gettext_lazy as _

from loket.core.errors import NotFound

from .models import Initiative, TrackingLink
from .tokens import hash_tracking_token, looks_like_token

__all__ = ["hash_tracking_token", "initiative_for_token"]


def initiative_for_token(token: str) -> Initiative:
    """The initiative a resident's tracking token belongs to; `NotFound` for any other token.

    The same answer for a malformed and an unknown token, so probing learns nothing.
    """
    if looks_like_token(token):
        digest = hash_tracking_token(token)
        initiative = (Initiative.objects.select_related("broker", "area")
                      .filter(tracking_token_hash=digest).first())
        if initiative is None:
            link = (TrackingLink.objects.select_related("initiative__broker",
                                                        "initiative__area")
                    .filter(token_hash=digest).first())
            initiative = link.initiative if link else None
        if initiative is not None:
            return initiative
    raise NotFound(_("Deze volglink is onbekend. Controleer of u de hele link heeft gebruikt."))
