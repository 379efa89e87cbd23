"""Residents: the public intake form, its confirmation, and the tracking page behind the link.

Every rule is the intake and workflow services' own: a view only shapes input, calls the
service, and shows `InvalidInput` messages beside the fields.
"""

from __future__ import annotations

from django.contrib import messages
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods

from loket.core.actors import Actor
from loket.core.errors import Conflict, InvalidInput, NotFound, NotPermitted
from loket.intake.selectors import initiative_for_token, tracking_overview
from loket.intake.services import add_note, answer_question, submit_initiative
from loket.workflow.services import available_transitions, fire_transition

from ..forms import IntakeForm
from ..throttling import rate_allowed

SESSION_KEY = "web_submission"


@require_http_methods(["GET", "POST"])
def intake(request: HttpRequest) -> HttpResponse:
    if request.method == "GET":
        return render(request, "web/intake.html", {"form": IntakeForm()})
    form = IntakeForm(request.POST)
    allowed, wait = rate_allowed(request, "intake")
    if not allowed:
        response = render(request, "web/intake.html", {"form": form, "throttled": True,
                                                       "wait": wait}, status=429)
        response["Retry-After"] = str(wait)
        return response
    try:
        submission = submit_initiative(form.payload())
    except InvalidInput as error:
        form.show_errors(error.errors)
        return render(request, "web/intake.html", {"form": form}, status=400)
    initiative = submission.initiative
    request.session[SESSION_KEY] = {
        "reference": initiative.reference, "title": initiative.title,
        "token": submission.token, "duplicate": submission.duplicate,
    }
    return redirect("web:intake_received")


def intake_received(request: HttpRequest) -> HttpResponse:
    """The confirmation: the reference and, for a new initiative, the private tracking link."""
    submission = request.session.get(SESSION_KEY)
    if not submission:
        messages.info(request, _("Er is in deze sessie nog geen initiatief ingediend."))
        return redirect("web:intake")
    tracking_url = ""
    if submission.get("token"):
        tracking_url = request.build_absolute_uri(
            reverse("web:tracking", args=[submission["token"]]))
    response = render(request, "web/intake_received.html",
                      {"submission": submission, "tracking_url": tracking_url})
    response["Cache-Control"] = "no-store, private"
    return response


def _initiators_actor(token: str) -> tuple[object, Actor]:
    try:
        initiative = initiative_for_token(token)
    except NotFound:
        raise Http404 from None
    return initiative, Actor.initiators(initiative.pk)


def _private(response: HttpResponse) -> HttpResponse:
    """The link is a key: keep the page out of caches and search engines (the referrer
    stays same-origin, set for the whole site, so the token never leaves it)."""
    response["Cache-Control"] = "no-store, private"
    response["X-Robots-Tag"] = "noindex, nofollow"
    return response


@require_http_methods(["GET"])
def tracking(request: HttpRequest, token: str) -> HttpResponse:
    initiative, actor = _initiators_actor(token)
    return _private(_render_tracking(request, token, initiative, actor))


def _render_tracking(request: HttpRequest, token: str, initiative: object, actor: Actor,
                     *, errors: dict | None = None, failed: str = "",
                     failed_question: int | None = None, typed: dict | None = None,
                     status: int = 200) -> HttpResponse:
    overview = tracking_overview(initiative, actor)
    return render(request, "web/tracking.html", {
        "token": token, "t": overview,
        "answers": [e for e in overview["timeline"] if e["kind"] == "answer"],
        "actions": available_transitions(initiative, actor),
        "errors": errors or {}, "failed": failed, "failed_question": failed_question,
        "typed": typed or {},
    }, status=status)


@require_http_methods(["POST"])
def tracking_transition(request: HttpRequest, token: str, name: str) -> HttpResponse:
    """The initiators' own decisions (submit the plan, start, pause, withdraw, ...)."""
    initiative, actor = _initiators_actor(token)
    note = request.POST.get("public_note", "")
    try:
        fire_transition(initiative.pk, name, actor, public_note=note)
    except InvalidInput as error:
        return _private(_render_tracking(request, token, initiative, actor,
                                         errors=error.errors, failed=name,
                                         typed={"public_note": note}, status=400))
    except (Conflict, NotPermitted, NotFound) as error:
        messages.error(request, str(error.detail))
    else:
        messages.success(request, _("Gelukt. De status van uw initiatief is bijgewerkt."))
    return redirect("web:tracking", token=token)


@require_http_methods(["POST"])
def tracking_note(request: HttpRequest, token: str) -> HttpResponse:
    initiative, actor = _initiators_actor(token)
    text = request.POST.get("text", "")
    try:
        add_note(initiative, actor, text)
    except InvalidInput as error:
        return _private(_render_tracking(request, token, initiative, actor,
                                         errors=error.errors, failed="note",
                                         typed={"text": text}, status=400))
    messages.success(request, _("Uw aanvulling is toegevoegd."))
    return redirect("web:tracking", token=token)


@require_http_methods(["POST"])
def tracking_answer(request: HttpRequest, token: str, question_id: int) -> HttpResponse:
    initiative, actor = _initiators_actor(token)
    text = request.POST.get("text", "")
    try:
        answer_question(initiative, actor, question_id, text)
    except InvalidInput as error:
        return _private(_render_tracking(request, token, initiative, actor,
                                         errors=error.errors, failed="question",
                                         failed_question=question_id,
                                         typed={"text": text}, status=400))
    except (Conflict, NotFound) as error:
        messages.error(request, str(error.detail))
    else:
        messages.success(request, _("Uw antwoord is verstuurd."))
    return redirect("web:tracking", token=token)
