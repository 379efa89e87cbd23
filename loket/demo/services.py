"""Loading the demo municipality: configuration, staff accounts and sample initiatives."""

from __future__ import annotations

from django.contrib.auth.models import Group, User
from django.db import transaction

from loket.core.actors import BROKER_GROUP, MANAGER_GROUP
from loket.coupling.models import PolicyCarrier
from loket.intake.models import Area
from loket.routing.models import Department

from . import data


def load_configuration() -> None:
    """Departments, policy carriers and areas (also what a fresh demo test database needs)."""
    for item in data.DEPARTMENTS:
        Department.objects.update_or_create(
            code=item["code"],
            defaults={"name": item["name"], "description": item["description"],
                      "mailbox": f"{item['code']}@gemeente.example"},
        )
    departments = {d.code: d for d in Department.objects.all()}
    for item in data.CARRIERS:
        PolicyCarrier.objects.update_or_create(
            code=item["code"],
            defaults={"name": item["name"], "scope": item["scope"], "funds": item["funds"],
                      "owner": departments.get(item["owner"])},
        )
    load_carrier_terms()
    for item in data.AREAS:
        Area.objects.update_or_create(code=item["code"], defaults={
            k: v for k, v in item.items() if k != "code"})
    load_routing_rules()


def load_routing_rules() -> int:
    """The demo's default routing rules (see loket.routing.demo_rules); additive, idempotent."""
    from loket.routing.demo_rules import load_default_rules

    return load_default_rules()


def load_carrier_terms() -> int:
    """Key terms, goal and prior of the demo carriers from the demo lexicon; only where a
    carrier has no key terms yet, so an administrator's edits survive a reload."""
    from loket.demo import lexicon

    filled = 0
    for carrier in PolicyCarrier.objects.filter(code__in=list(lexicon.CARRIERS)):
        if carrier.key_terms:
            continue
        profile = lexicon.CARRIERS[carrier.code]
        carrier.key_terms = {**profile.get("terms", {}), **profile.get("phrases", {})}
        carrier.goal = profile.get("goal", "")
        carrier.prior = float(profile.get("prior", 0.0))
        carrier.save(update_fields=["key_terms", "goal", "prior", "updated_at"])
        filled += 1
    return filled


def _account(username: str, first_name: str, last_name: str, *, staff: bool = True) -> User:
    user, created = User.objects.get_or_create(
        username=username,
        defaults={"first_name": first_name, "last_name": last_name,
                  "email": f"{username}@gemeente.example", "is_staff": staff},
    )
    if created:
        user.set_password(username)  # demo only: the password equals the username
        user.save(update_fields=["password"])
    return user


def load_accounts() -> list[str]:
    brokers, _ = Group.objects.get_or_create(name=BROKER_GROUP)
    managers, _ = Group.objects.get_or_create(name=MANAGER_GROUP)
    broker = _account("makelaar", "Fatima", "El Amrani")
    broker.groups.add(brokers)
    manager = _account("manager", "Joost", "de Vries")
    manager.groups.add(managers)
    for department in Department.objects.all():
        official = _account(department.code, "Medewerker", department.name)
        department.officials.add(official)
    admin = _account("admin", "Beheer", "Loket")
    if not admin.is_superuser:
        admin.is_superuser = True
        admin.save(update_fields=["is_superuser"])
    return ["makelaar", "manager", "admin", *Department.objects.values_list("code", flat=True)]


def load_demo() -> list[str]:
    """Configuration, accounts and (into an empty database) the sample initiatives.

    The demo's e-mails are kept in memory, not printed: nobody reads them.
    """
    from django.test.utils import override_settings

    from .samples import load_samples

    with override_settings(EMAIL_BACKEND="django.core.mail.backends.locmem.EmailBackend"), \
            transaction.atomic():
        load_configuration()
        accounts = load_accounts()
        samples = load_samples()
    return [
        "Demogemeente geladen: Gemeente Voorbeeld.",
        f"Accounts (wachtwoord = gebruikersnaam): {', '.join(accounts)}",
        f"Voorbeeldinitiatieven geladen: {samples}.",
    ]
