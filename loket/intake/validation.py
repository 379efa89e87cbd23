"""Validation of a resident's submission: every rule in one place, every error at once.

Residents fill in a form once; telling them one mistake at a time is cruel. So the whole
body is checked and all errors are collected per field (dotted names for nested fields,
e.g. `initiators.1.email`), then raised together as one `InvalidInput`.

Input is the parsed JSON as-is (the API layer does not pre-validate), so types are checked
here too: a number where text is expected is an error, not a crash.
"""

from __future__ import annotations

import math
import re
from collections import defaultdict
from dataclasses import dataclass, field
from typing import Any

from django.core.exceptions import ValidationError
from django.core.validators import validate_email
from django.utils.functional import Promise
from django.utils.translation import gettext_lazy as _

from loket.core.errors import InvalidInput

from .models import MAX_BUDGET, MAX_DESCRIPTION, Area, SupportKind

MAX_TITLE = 200
MAX_ADDRESS = 200
MAX_NAME = 120
MAX_PHONE = 30
MAX_INITIATORS = 20
PHONE_PATTERN = re.compile(r"^\+?[0-9 ()\-.]{6,30}$")
# Characters PostgreSQL cannot store in text (NUL) or that have no place in a form field.
CONTROL = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f]")


@dataclass
class InitiatorData:
    name: str
    email: str
    phone: str
    is_contact: bool


@dataclass
class SubmissionData:
    title: str
    description: str
    area: Area | None = None
    address: str = ""
    lat: float | None = None
    lon: float | None = None
    requested_budget: int = 0
    support: list[str] = field(default_factory=list)
    initiators: list[InitiatorData] = field(default_factory=list)

    @property
    def contact(self) -> InitiatorData:
        return next(i for i in self.initiators if i.is_contact)


class Errors:
    """Collects Dutch messages per field name."""

    def __init__(self) -> None:
        self.by_field: dict[str, list[str | Promise]] = defaultdict(list)

    def add(self, name: str, message: str | Promise) -> None:
        self.by_field[name].append(message)

    def raise_if_any(self) -> None:
        if self.by_field:
            raise InvalidInput(dict(self.by_field))


def clean_text(errors: Errors, name: str, value: Any, *, required: bool, max_length: int,
               multiline: bool = False) -> str:
    """Strip, check type, emptiness, length and control characters. Markup stays as text."""
    if value is None:
        value = ""
    if not isinstance(value, str):
        errors.add(name, _("Vul hier tekst in."))
        return ""
    text = value.strip()
    if multiline:
        text = text.replace("\r\n", "\n")
    if required and not text:
        errors.add(name, _("Dit veld is verplicht."))
    elif len(text) > max_length:
        errors.add(name, _("Gebruik hoogstens %(max)d tekens (nu %(length)d).")
                   % {"max": max_length, "length": len(text)})
    checked = text.replace("\n", "").replace("\t", "") if multiline else text
    if CONTROL.search(checked):
        errors.add(name, _("Dit veld bevat tekens die niet zijn toegestaan."))
    return text


def clean_title(errors: Errors, value: Any, name: str = "title") -> str:
    title = clean_text(errors, name, value, required=True, max_length=MAX_TITLE)
    return " ".join(title.split())


def clean_description(errors: Errors, value: Any, name: str = "description") -> str:
    return clean_text(errors, name, value, required=True, max_length=MAX_DESCRIPTION,
                      multiline=True)


def clean_budget(errors: Errors, value: Any) -> int:
    if value is None:
        return 0
    if isinstance(value, float) and value.is_integer():
        value = int(value)
    if isinstance(value, bool) or not isinstance(value, int):
        errors.add("requested_budget", _("Vul een bedrag in hele euro's in."))
        return 0
    if value < 0:
        errors.add("requested_budget", _("Het bedrag mag niet negatief zijn."))
    elif value > MAX_BUDGET:
        errors.add("requested_budget", _("Het bedrag mag hoogstens %(max)s euro zijn.")
                   % {"max": f"{MAX_BUDGET:,}".replace(",", ".")})
    return value


def clean_coordinate(errors: Errors, name: str, value: Any, limit: float) -> float | None:
    if value is None or value == "":
        return None
    if isinstance(value, bool) or not isinstance(value, int | float) or not math.isfinite(value):
        errors.add(name, _("Vul een getal in."))
        return None
    if not -limit <= value <= limit:
        errors.add(name, _("Vul een getal tussen -%(limit)s en %(limit)s in.") % {"limit": limit})
        return None
    return float(value)


def clean_area(errors: Errors, value: Any) -> Area | None:
    if value is None or value == "":
        return None
    if not isinstance(value, str):
        errors.add("area", _("Vul de code van een gebied in."))
        return None
    area = Area.objects.filter(code=value.strip()).first()
    if area is None:
        errors.add("area", _("Het gebied '%(code)s' bestaat niet.") % {"code": value[:40]})
    return area


def clean_support(errors: Errors, value: Any) -> list[str]:
    if value is None:
        return []
    if not isinstance(value, list):
        errors.add("support", _("Geef een lijst van soorten ondersteuning."))
        return []
    allowed = set(SupportKind.values)
    chosen: list[str] = []
    for index, item in enumerate(value):
        if not isinstance(item, str) or item not in allowed:
            errors.add(f"support.{index}", _("Kies uit: %(choices)s.")
                       % {"choices": ", ".join(SupportKind.values)})
        elif item not in chosen:
            chosen.append(item)
    return chosen


def clean_initiators(errors: Errors, value: Any) -> list[InitiatorData]:
    """One or more residents; exactly one contact person (the only one is it by default)."""
    if not isinstance(value, list) or not value:
        errors.add("initiators", _("Geef ten minste één initiatiefnemer op."))
        return []
    if len(value) > MAX_INITIATORS:
        errors.add("initiators", _("Geef hoogstens %(max)d initiatiefnemers op.")
                   % {"max": MAX_INITIATORS})
        return []
    people: list[InitiatorData] = []
    for index, item in enumerate(value):
        prefix = f"initiators.{index}"
        if not isinstance(item, dict):
            errors.add(prefix, _("Geef naam en e-mailadres van de initiatiefnemer op."))
            continue
        name = clean_text(errors, f"{prefix}.name", item.get("name"), required=True,
                          max_length=MAX_NAME)
        email = clean_text(errors, f"{prefix}.email", item.get("email"), required=True,
                           max_length=254)
        if email:
            try:
                validate_email(email)
            except ValidationError:
                errors.add(f"{prefix}.email", _("Vul een geldig e-mailadres in."))
        phone = clean_text(errors, f"{prefix}.phone", item.get("phone"), required=False,
                           max_length=MAX_PHONE)
        if phone and not PHONE_PATTERN.match(phone):
            errors.add(f"{prefix}.phone", _("Vul een geldig telefoonnummer in."))
        is_contact = item.get("is_contact", False)
        if is_contact is None:
            is_contact = False
        if not isinstance(is_contact, bool):
            errors.add(f"{prefix}.is_contact", _("Vul true of false in."))
            is_contact = False
        people.append(InitiatorData(name=" ".join(name.split()), email=email.lower(),
                                    phone=phone, is_contact=is_contact))
    contacts = [p for p in people if p.is_contact]
    if len(value) == 1 and people and not contacts:
        people[0].is_contact = True
    elif len(contacts) != 1 and len(people) == len(value):
        errors.add("initiators", _("Markeer precies één initiatiefnemer als contactpersoon."))
    return people


def validate_submission(data: Any) -> SubmissionData:
    """Check a whole submission; raise `InvalidInput` listing every invalid field."""
    errors = Errors()
    if not isinstance(data, dict):
        errors.add("body", _("Stuur een JSON-object met de gegevens van het initiatief."))
        errors.raise_if_any()
    location = data.get("location") or {}
    if not isinstance(location, dict):
        errors.add("location", _("Geef de plek als object met address, lat en lon."))
        location = {}
    submission = SubmissionData(
        title=clean_title(errors, data.get("title")),
        description=clean_description(errors, data.get("description")),
        area=clean_area(errors, data.get("area")),
        address=clean_text(errors, "location.address", location.get("address"),
                           required=False, max_length=MAX_ADDRESS),
        lat=clean_coordinate(errors, "location.lat", location.get("lat"), 90),
        lon=clean_coordinate(errors, "location.lon", location.get("lon"), 180),
        requested_budget=clean_budget(errors, data.get("requested_budget")),
        support=clean_support(errors, data.get("support")),
        initiators=clean_initiators(errors, data.get("initiators")),
    )
    if (submission.lat is None) != (submission.lon is None) and "location.lat" not in \
            errors.by_field and "location.lon" not in errors.by_field:
        errors.add("location", _("Geef zowel lat als lon op, of geen van beide."))
    errors.raise_if_any()
    return submission
