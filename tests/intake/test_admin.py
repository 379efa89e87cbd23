from __future__ import annotations

import pytest
from django.contrib.auth.models import User
from django.test import Client

from tests.factories import AreaFactory, InitiativeFactory, InitiatorFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def admin_client_(client: Client) -> Client:
    client.force_login(User.objects.create_superuser("beheer", "b@example.org", "x"))
    return client


def test_admin_pages_render_and_state_is_read_only(admin_client_: Client) -> None:
    initiative = InitiativeFactory(title="<b>vet</b>")
    InitiatorFactory(initiative=initiative)
    AreaFactory()
    for path in ["/admin/intake/initiative/", "/admin/intake/area/",
                 "/admin/intake/initiator/", f"/admin/intake/initiative/{initiative.pk}/change/"]:
        response = admin_client_.get(path)
        assert response.status_code == 200, path
    page = admin_client_.get(f"/admin/intake/initiative/{initiative.pk}/change/").content
    assert b'name="state"' not in page  # no state field to edit
    assert b"&lt;b&gt;vet&lt;/b&gt;" in page and b"<b>vet</b>" not in page
    assert admin_client_.get("/admin/intake/initiative/add/").status_code == 403
