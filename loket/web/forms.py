"""Forms that render fields and show a service's errors, but validate nothing themselves.

The rules live in the services (the API uses the same ones). A form here only turns the
posted strings into the service's input and puts each `InvalidInput` message beside the
field it belongs to; what the visitor typed is re-rendered from the bound data.
"""

from __future__ import annotations

import re
from collections.abc import Mapping, Sequence
from typing import Any

from django import forms
from django.forms.utils import ErrorDict
from django.utils.translation import gettext_lazy as _

from loket.intake.models import Area, SupportKind

WHOLE_NUMBER = re.compile(r"^-?\d{1,3}(\.\d{3})+$|^-?\d+$")


class ServiceForm(forms.Form):
    """Base: `show_errors(InvalidInput.errors)` maps the service's field names onto ours."""

    # service field name (or its prefix) -> form field name; unmapped names go to the top.
    error_fields: Mapping[str, str] = {}

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        kwargs.setdefault("label_suffix", "")
        super().__init__(*args, **kwargs)
        self._errors = ErrorDict()  # never run Django's own validation
        self.cleaned_data = {}

    def field_for(self, service_name: str) -> str | None:
        if service_name in self.fields:
            return service_name
        for prefix, target in sorted(self.error_fields.items(), key=lambda kv: -len(kv[0])):
            if service_name == prefix or service_name.startswith(prefix + "."):
                return target
        return None

    def show_errors(self, errors: Mapping[str, Sequence[Any]]) -> None:
        for name, messages in errors.items():
            target = self.field_for(name) or forms.forms.NON_FIELD_ERRORS
            bucket = self._errors.setdefault(target, self.error_class())
            for message in messages:
                if str(message) not in [str(m) for m in bucket]:
                    bucket.append(message)

    def text(self, name: str) -> str:
        return str(self.data.get(self.add_prefix(name), ""))

    @property
    def error_summary(self) -> list[dict[str, str]]:
        """Every error once, linked to its field, for the summary at the top of the form."""
        out = []
        for name, messages in self._errors.items():
            bound = self[name] if name in self.fields else None
            anchor = f"#{bound.auto_id}" if bound is not None else ""
            label = str(bound.label) if bound is not None else ""
            for message in messages:
                out.append({"anchor": anchor, "label": label, "message": str(message)})
        return out


def whole_number(value: str) -> Any:
    """'1.500' or '1500' -> 1500; anything else goes to the service as typed (it says why)."""
    value = value.strip().replace(" ", "").removeprefix("€")
    if not value:
        return None
    if WHOLE_NUMBER.match(value):
        return int(value.replace(".", ""))
    return value


class IntakeForm(ServiceForm):
    error_fields = {
        "location": "address",
        "support": "support",
        "initiators.0.name": "contact_name",
        "initiators.0.email": "contact_email",
        "initiators.0.phone": "contact_phone",
        "initiators.1.name": "partner_name",
        "initiators.1.email": "partner_email",
        "initiators.1.phone": "partner_phone",
        "initiators.0": "contact_name",
        "initiators.1": "partner_name",
    }

    title = forms.CharField(
        label=_("Titel van uw initiatief"),
        help_text=_("Een korte naam, bijvoorbeeld: Moestuin achter de school."),
        widget=forms.TextInput(attrs={"autocomplete": "off"}))
    description = forms.CharField(
        label=_("Wat wilt u doen?"),
        help_text=_("Vertel wat het idee is, waar, met wie, en wat het de buurt oplevert."),
        widget=forms.Textarea(attrs={"rows": 8}))
    area = forms.ChoiceField(label=_("Wijk of kern"), required=False)
    address = forms.CharField(
        label=_("Adres of plek"), required=False,
        help_text=_("Bijvoorbeeld een straat of een plein. Dit wordt nooit openbaar getoond."),
        widget=forms.TextInput(attrs={"autocomplete": "off"}))
    support = forms.MultipleChoiceField(
        label=_("Wat heeft u van de gemeente nodig?"), required=False,
        choices=SupportKind.choices, widget=forms.CheckboxSelectMultiple,
        help_text=_("Kies alles wat van toepassing is."))
    requested_budget = forms.CharField(
        label=_("Gevraagd budget in hele euro's"), required=False,
        help_text=_("Laat leeg of vul 0 in als u geen geld nodig heeft."),
        widget=forms.TextInput(attrs={"inputmode": "numeric"}))
    contact_name = forms.CharField(label=_("Uw naam"),
                                   widget=forms.TextInput(attrs={"autocomplete": "name"}))
    contact_email = forms.CharField(
        label=_("Uw e-mailadres"),
        help_text=_("Hierheen sturen we de link om uw initiatief te volgen."),
        widget=forms.EmailInput(attrs={"autocomplete": "email"}))
    contact_phone = forms.CharField(
        label=_("Uw telefoonnummer"), required=False,
        widget=forms.TextInput(attrs={"autocomplete": "tel", "type": "tel"}))
    partner_name = forms.CharField(label=_("Naam"), required=False,
                                   widget=forms.TextInput(attrs={"autocomplete": "off"}))
    partner_email = forms.CharField(label=_("E-mailadres"), required=False,
                                    widget=forms.EmailInput(attrs={"autocomplete": "off"}))
    partner_phone = forms.CharField(label=_("Telefoonnummer"), required=False,
                                    widget=forms.TextInput(attrs={"autocomplete": "off",
                                                                  "type": "tel"}))

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["area"].choices = [("", _("Weet ik niet / geen keuze"))] + [
            (a.code, a.name) for a in Area.objects.order_by("name")]

    def payload(self) -> dict[str, Any]:
        """The service's input, shaped exactly like the API's JSON body."""
        initiators = [{"name": self.text("contact_name"), "email": self.text("contact_email"),
                       "phone": self.text("contact_phone"), "is_contact": True}]
        partner = {"name": self.text("partner_name"), "email": self.text("partner_email"),
                   "phone": self.text("partner_phone"), "is_contact": False}
        if any(v.strip() for v in (partner["name"], partner["email"], partner["phone"])):
            initiators.append(partner)
        return {
            "title": self.text("title"),
            "description": self.text("description"),
            "area": self.text("area") or None,
            "location": {"address": self.text("address")},
            "requested_budget": whole_number(self.text("requested_budget")),
            "support": self.data.getlist(self.add_prefix("support")),
            "initiators": initiators,
        }
