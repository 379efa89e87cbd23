"""Single sign-on through OpenID Connect (mozilla-django-oidc), on when OIDC_RP_CLIENT_ID is set.

Roles stay Loket's own: a user's groups are synced from a claim only when OIDC_GROUPS_CLAIM
names one; otherwise an administrator assigns the role in /admin/ after the first log-in.
Department membership (officials) is always configured in Loket, never from the claim.
"""

from __future__ import annotations

from typing import Any

from django.conf import settings
from django.contrib.auth.models import Group
from mozilla_django_oidc.auth import OIDCAuthenticationBackend

from loket.core.actors import BROKER_GROUP, MANAGER_GROUP

ROLE_GROUPS = (BROKER_GROUP, MANAGER_GROUP)


class LoketOIDCBackend(OIDCAuthenticationBackend):
    def create_user(self, claims: dict[str, Any]) -> Any:
        user = super().create_user(claims)
        return self._sync(user, claims)

    def update_user(self, user: Any, claims: dict[str, Any]) -> Any:
        return self._sync(user, claims)

    def _sync(self, user: Any, claims: dict[str, Any]) -> Any:
        user.first_name = str(claims.get("given_name", user.first_name))[:150]
        user.last_name = str(claims.get("family_name", user.last_name))[:150]
        user.save(update_fields=["first_name", "last_name"])
        claim = getattr(settings, "OIDC_GROUPS_CLAIM", "")
        if claim:
            wanted = {str(g) for g in claims.get(claim, []) or []} & set(ROLE_GROUPS)
            for name in ROLE_GROUPS:
                group, _ = Group.objects.get_or_create(name=name)
                if name in wanted:
                    user.groups.add(group)
                else:
                    user.groups.remove(group)
        return user
