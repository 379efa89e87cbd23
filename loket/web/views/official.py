"""Officials: their department's inbox and the answer form (the routing service enforces
the motivation, the alternative and the meeting proposal)."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from django import forms
from django.contrib import messages
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.dateparse import parse_datetime
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from loket.core.errors import DomainError, InvalidInput, NotFound
from loket.routing.models import Answer

from ..access import official_required
from ..forms import ServiceForm


class AnswerForm(ServiceForm):
    decision = forms.ChoiceField(label=gettext_lazy("Uw besluit"), choices=Answer.Decision.choices,
                                 widget=forms.RadioSelect)
    motivation = forms.CharField(
        label=gettext_lazy("Motivering"), required=False, widget=forms.Textarea(attrs={"rows": 5}),
        help_text=gettext_lazy("Verplicht, behalve bij ‘akkoord’. Schrijf voor de bewoners: "
                               "waarom dit besluit?"))
    alternative = forms.CharField(
        label=gettext_lazy("Alternatief"), required=False, widget=forms.Textarea(attrs={"rows": 4}),
        help_text=gettext_lazy("Verplicht bij ‘niet akkoord’: wat kan wel?"))
    meeting_proposal = forms.CharField(
        label=gettext_lazy("Voorstel voor een gesprek"), required=False,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text=gettext_lazy("Bij ‘gesprek nodig’: met wie, waar en waarover."))
    meeting_planned_at = forms.CharField(
        label=gettext_lazy("Datum en tijd van het gesprek"), required=False,
        widget=forms.DateTimeInput(attrs={"type": "datetime-local"}),
        help_text=gettext_lazy("Bij ‘gesprek nodig’."))

    def payload(self) -> dict[str, Any]:
        planned: datetime | str | None = None
        raw = self.text("meeting_planned_at").strip()
        if raw:
            parsed = parse_datetime(raw)
            if parsed is not None and timezone.is_naive(parsed):
                parsed = timezone.make_aware(parsed)
            planned = parsed
        return {"decision": self.text("decision"), "motivation": self.text("motivation"),
                "alternative": self.text("alternative"),
                "meeting_proposal": self.text("meeting_proposal"),
                "meeting_planned_at": planned}


@official_required
def inbox(request: HttpRequest) -> HttpResponse:
    from loket.routing.selectors import requests_for

    actor = request.actor  # type: ignore[attr-defined]
    status = request.GET.get("status", "open")
    if status not in {"open", "answered", "overdue", "all"}:
        status = "open"
    requests = list(requests_for(actor, status=None if status == "all" else status))
    return render(request, "web/inbox.html", {"requests": requests, "status": status,
                                              "today": timezone.localdate()})


@official_required
def answer(request: HttpRequest, request_id: int) -> HttpResponse:
    from loket.routing.selectors import latest_answer, request_for
    from loket.routing.services import answer_request

    actor = request.actor  # type: ignore[attr-defined]
    try:
        routed = request_for(actor, request_id)
    except NotFound:
        raise Http404 from None
    form = AnswerForm(request.POST or None)
    status = 200
    if request.method == "POST":
        data = form.payload()
        if data["meeting_planned_at"] is None and form.text("meeting_planned_at").strip():
            form.show_errors({"meeting_planned_at": [_("Vul een geldige datum en tijd in.")]})
            status = 400
        else:
            try:
                answer_request(actor, routed.pk, **data)
            except InvalidInput as error:
                form.show_errors(error.errors)
                status = 400
            except DomainError as error:
                messages.error(request, str(error.detail))
                return redirect("web:answer", request_id=routed.pk)
            else:
                messages.success(request, _("Uw antwoord is verstuurd naar de initiatiefnemers "
                                            "en de makelaar."))
                return redirect("web:inbox")
    return render(request, "web/answer.html", {
        "r": routed, "i": routed.initiative, "form": form, "current": latest_answer(routed),
        "today": timezone.localdate(),
    }, status=status)
