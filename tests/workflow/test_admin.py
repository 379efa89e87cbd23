"""The audit trail in the admin: visible, and impossible to change."""

from __future__ import annotations

import pytest
from django.test import Client

from loket.core.actors import Actor
from loket.workflow.services import fire_transition
from loket.workflow.states import State
from tests.factories import UserFactory

from .conftest import Cast, initiative_in

pytestmark = pytest.mark.django_db


def test_transition_log_is_listed_but_read_only(cast: Cast) -> None:
    initiative = initiative_in(State.SUBMITTED)
    fire_transition(initiative.pk, "take_on", Actor.for_user(cast.broker),
                    internal_note="Ik ken deze buurt.")
    admin = UserFactory(is_superuser=True)
    client = Client()
    client.force_login(admin)
    listing = client.get("/admin/workflow/transitionlog/")
    assert listing.status_code == 200 and b"take_on" in listing.content
    log = initiative.history.get()
    page = client.get(f"/admin/workflow/transitionlog/{log.pk}/change/")
    assert page.status_code == 200 and b"Ik ken deze buurt." in page.content
    assert client.post(f"/admin/workflow/transitionlog/{log.pk}/change/",
                       {"internal_note": "weg"}).status_code == 403
    assert client.get("/admin/workflow/transitionlog/add/").status_code == 403
    assert client.post(f"/admin/workflow/transitionlog/{log.pk}/delete/",
                       {"post": "yes"}).status_code == 403
    log.refresh_from_db()
    assert log.internal_note == "Ik ken deze buurt."
