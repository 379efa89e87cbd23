"""Shared factory-boy factories. Add to this file additively (several apps use it)."""

from __future__ import annotations

from typing import Any

import factory
from django.contrib.auth.models import Group, User
from django.utils import timezone

from loket.core.actors import BROKER_GROUP, MANAGER_GROUP
from loket.intake.models import Area, Initiative, Initiator, Question
from loket.intake.tokens import hash_tracking_token, new_tracking_token
from loket.routing.models import Department


class UserFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = User
        django_get_or_create = ("username",)
        skip_postgeneration_save = True

    username = factory.Sequence(lambda n: f"user{n}")
    first_name = factory.Faker("first_name", locale="nl_NL")
    last_name = factory.Faker("last_name", locale="nl_NL")
    email = factory.LazyAttribute(lambda u: f"{u.username}@gemeente.example")
    is_staff = True


def _add_group(name: str) -> Any:
    @factory.post_generation
    def groups(user: User, create: bool, extracted: Any, **kwargs: Any) -> None:
        if create:
            user.groups.add(Group.objects.get_or_create(name=name)[0])
    return groups


class BrokerFactory(UserFactory):
    username = factory.Sequence(lambda n: f"makelaar{n}")
    groups = _add_group(BROKER_GROUP)


class ManagerFactory(UserFactory):
    username = factory.Sequence(lambda n: f"manager{n}")
    groups = _add_group(MANAGER_GROUP)


class DepartmentFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Department
        django_get_or_create = ("code",)

    code = factory.Sequence(lambda n: f"afdeling-{n}")
    name = factory.LazyAttribute(lambda d: d.code.replace("-", " ").title())


class OfficialFactory(UserFactory):
    username = factory.Sequence(lambda n: f"ambtenaar{n}")

    @factory.post_generation
    def department(user: User, create: bool, extracted: Any, **kwargs: Any) -> None:
        if create:
            (extracted or DepartmentFactory()).officials.add(user)


class InitiativeFactory(factory.django.DjangoModelFactory):
    """An initiative; pass `token="..."` to know its tracking token (default: random)."""

    class Meta:
        model = Initiative

    class Params:
        token = factory.LazyFunction(new_tracking_token)

    reference = factory.Sequence(lambda n: f"INI-2026-{n:05d}")
    title = factory.Sequence(lambda n: f"Geveltuintjes in de Lindenstraat {n}")
    description = "Bewoners willen tegels vervangen door geveltuintjes."
    tracking_token_hash = factory.LazyAttribute(lambda o: hash_tracking_token(o.token))
    created_at = factory.LazyFunction(timezone.now)
    state_entered_at = factory.LazyFunction(timezone.now)
    ball_moved_at = factory.LazyFunction(timezone.now)
    ball_holder = "broker"


class InitiatorFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Initiator

    initiative = factory.SubFactory(InitiativeFactory)
    name = factory.Faker("name", locale="nl_NL")
    email = factory.Sequence(lambda n: f"bewoner{n}@example.org")
    is_contact = True


class AreaFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Area
        django_get_or_create = ("code",)

    code = factory.Sequence(lambda n: f"wijk-{n}")
    name = factory.LazyAttribute(lambda a: a.code.replace("-", " ").title())


class QuestionFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Question

    initiative = factory.SubFactory(InitiativeFactory)
    text = "Hoeveel buren doen mee?"
    asked_by = factory.SubFactory(BrokerFactory)
    asked_by_role = "broker"
    asked_at = factory.LazyFunction(timezone.now)


def submission_payload(**overrides: Any) -> dict[str, Any]:
    """A valid body for POST /api/v1/initiatives (and for `submit_initiative`)."""
    body: dict[str, Any] = {
        "title": "Moestuin op het braakliggende veld",
        "description": "Met de buurt willen we een moestuin aanleggen op het veldje achter "
                       "de school, met bakken voor de kinderen.",
        "location": {"address": "Schoolstraat 1", "lat": 51.81, "lon": 4.64},
        "requested_budget": 750,
        "support": ["money", "space"],
        "initiators": [
            {"name": "Anna de Boer", "email": "anna@example.org", "phone": "06 12345678",
             "is_contact": True},
            {"name": "Kees Jansen", "email": "kees@example.org"},
        ],
    }
    body.update(overrides)
    return body
