"""Write path of coupling: configuring carriers, computing suggestions, brokers' decisions,
and learning from those decisions."""

from __future__ import annotations

import logging
import math
import re
from collections.abc import Mapping
from datetime import date
from typing import Any

from django.conf import settings
from django.db import transaction
from django.utils import timezone
from django.utils.dateparse import parse_date
from django.utils.translation import gettext_lazy as _

from loket.core.actors import Actor, Role
from loket.core.errors import Conflict, InvalidInput, NotFound, NotPermitted
from loket.core.tasks import enqueue_on_commit
from loket.workflow.states import FINAL_STATES

from . import engine
from .models import CouplingLearning, CouplingSuggestion, PolicyCarrier

logger = logging.getLogger(__name__)

MAX_TERMS = 300
MAX_TERM_WEIGHT = 10.0
MAX_TERM_LENGTH = 80
MAX_REASON = 2000
MAX_LEARNING_EXAMPLES = 2000
_CODE = re.compile(r"^[a-z0-9]+(?:-[a-z0-9]+)*$")
Status = CouplingSuggestion.Status


# -- configuring carriers ------------------------------------------------------------------

def _require_manager(actor: Actor) -> None:
    if actor.role != Role.MANAGER:
        raise NotPermitted(_("Alleen managers kunnen beleidsopgaven instellen."))


def _clean_terms(errors: dict[str, list[Any]], value: Any) -> dict[str, float]:
    if not isinstance(value, Mapping):
        errors.setdefault("key_terms", []).append(
            _("Geef de kernwoorden als object: woord -> gewicht."))
        return {}
    if len(value) > MAX_TERMS:
        errors.setdefault("key_terms", []).append(
            _("Hoogstens %(max)s kernwoorden.") % {"max": MAX_TERMS})
    out: dict[str, float] = {}
    for raw, weight in value.items():
        term = " ".join(str(raw).split()).lower()
        if not term or len(term) > MAX_TERM_LENGTH or not re.search(r"\w", term):
            errors.setdefault("key_terms", []).append(
                _("Ongeldig kernwoord: '%(term)s'.") % {"term": str(raw)[:MAX_TERM_LENGTH]})
            continue
        if (isinstance(weight, bool) or not isinstance(weight, int | float)
                or not math.isfinite(weight) or not 0 < weight <= MAX_TERM_WEIGHT):
            errors.setdefault("key_terms", []).append(
                _("Het gewicht van '%(term)s' moet een getal groter dan 0 en hoogstens "
                  "%(max)s zijn.") % {"term": term, "max": int(MAX_TERM_WEIGHT)})
            continue
        out[term] = float(weight)
    return out


def _clean_date(errors: dict[str, list[Any]], name: str, value: Any) -> date | None:
    if value in (None, ""):
        return None
    if isinstance(value, date):
        return value
    parsed = parse_date(str(value)) if isinstance(value, str) else None
    if parsed is None:
        errors.setdefault(name, []).append(_("Geef een datum als JJJJ-MM-DD."))
    return parsed


def _clean_text(errors: dict[str, list[Any]], name: str, value: Any, *, max_length: int,
                required: bool = False) -> str:
    if not isinstance(value, str):
        errors.setdefault(name, []).append(_("Geef tekst."))
        return ""
    # Names are one line; a scope or funds text may keep its line breaks.
    text = value.strip() if name in ("scope", "funds") else " ".join(value.split())
    if required and not text:
        errors.setdefault(name, []).append(_("Dit veld is verplicht."))
    if len(text) > max_length:
        errors.setdefault(name, []).append(
            _("Hoogstens %(max)s tekens.") % {"max": max_length})
    return text


FIELDS = ("code", "name", "scope", "key_terms", "goal", "prior", "owner", "funds",
          "active_from", "active_until")


def save_carrier(actor: Actor, data: Mapping[str, Any],
                 carrier: PolicyCarrier | None = None) -> PolicyCarrier:
    """Create (carrier None) or partially update a policy carrier; all errors at once."""
    from loket.routing.models import Department

    _require_manager(actor)
    errors: dict[str, list[Any]] = {}
    unknown = sorted(set(data) - set(FIELDS))
    for name in unknown:
        errors[name] = [_("Dit veld bestaat niet.")]
    creating = carrier is None
    if creating:
        for name in ("code", "name", "scope"):
            if name not in data:
                errors.setdefault(name, []).append(_("Dit veld is verplicht."))
    values: dict[str, Any] = {}
    if "code" in data:
        if not creating:
            if data["code"] != carrier.code:
                errors.setdefault("code", []).append(_("De code kan niet worden gewijzigd."))
        else:
            code = data["code"]
            if not isinstance(code, str) or not _CODE.match(code) or len(code) > 40:
                errors.setdefault("code", []).append(
                    _("Gebruik kleine letters, cijfers en streepjes (hoogstens 40 tekens)."))
            elif PolicyCarrier.objects.filter(code=code).exists():
                errors.setdefault("code", []).append(_("Deze code bestaat al."))
            else:
                values["code"] = code
    for name, max_length, required in (("name", 120, True), ("scope", 2000, True),
                                       ("goal", 240, False), ("funds", 2000, False)):
        if name in data:
            values[name] = _clean_text(errors, name, data[name], max_length=max_length,
                                       required=required)
    if "key_terms" in data:
        values["key_terms"] = _clean_terms(errors, data["key_terms"])
    if "prior" in data:
        prior = data["prior"]
        if (isinstance(prior, bool) or not isinstance(prior, int | float)
                or not math.isfinite(prior) or not 0 <= prior <= 3):
            errors.setdefault("prior", []).append(_("Geef een getal van 0 tot en met 3."))
        else:
            values["prior"] = float(prior)
    if "owner" in data:
        owner = data["owner"]
        if owner in (None, ""):
            values["owner"] = None
        else:
            department = Department.objects.filter(code=str(owner)).first()
            if department is None:
                errors.setdefault("owner", []).append(_("Deze afdeling bestaat niet."))
            values["owner"] = department
    for name in ("active_from", "active_until"):
        if name in data:
            values[name] = _clean_date(errors, name, data[name])
    start = values.get("active_from", None if creating else carrier.active_from)
    end = values.get("active_until", None if creating else carrier.active_until)
    if start and end and end < start and "active_until" not in errors:
        errors.setdefault("active_until", []).append(
            _("De einddatum ligt voor de begindatum."))
    if errors:
        raise InvalidInput(errors)
    with transaction.atomic():
        if creating:
            carrier = PolicyCarrier.objects.create(**values)
        else:
            carrier = PolicyCarrier.objects.select_for_update().get(pk=carrier.pk)
            for name, value in values.items():
                setattr(carrier, name, value)
            carrier.save()
    logger.info("policy carrier saved", extra={"carrier": carrier.code, "new": creating})
    return carrier


# -- computing suggestions -----------------------------------------------------------------

def suggest_couplings(initiative_id: str) -> int:
    """Compute and store ranked coupling suggestions for an initiative (idempotent).

    Still-open suggestions get fresh scores, evidence and messages; the broker's accepted
    and rejected ones are never touched; open ones that no longer reach
    `LOKET_COUPLING_MIN_SCORE` (or whose carrier is no longer active) are removed.
    Returns the number of open suggestions stored.
    """
    from loket.intake.models import Initiative

    now = timezone.now()
    minimum = settings.LOKET_COUPLING_MIN_SCORE
    limit = settings.LOKET_COUPLING_MAX_SUGGESTIONS
    with transaction.atomic():
        initiative = (Initiative.objects.select_for_update(no_key=True)
                      .filter(pk=initiative_id).first())
        if initiative is None:
            logger.info("coupling: initiative gone", extra={"initiative": str(initiative_id)})
            return 0
        ranking = engine.suggest(initiative.title, initiative.description,
                                 initiative.requested_budget).carriers
        carriers = {c.code: c for c in PolicyCarrier.objects.filter(
            code__in=[r.code for r in ranking])}
        existing = {s.carrier.code: s for s in CouplingSuggestion.objects
                    .filter(initiative=initiative).select_related("carrier")}
        kept = [r for r in ranking if r.score >= minimum][:limit]
        kept_codes = {r.code for r in kept}
        stale = [s.pk for code, s in existing.items()
                 if s.status == Status.SUGGESTED and code not in kept_codes]
        CouplingSuggestion.objects.filter(pk__in=stale).delete()
        for rank, ranked in enumerate(ranking, start=1):
            row = existing.get(ranked.code)
            if row is not None and row.status != Status.SUGGESTED:
                if row.rank != rank:
                    row.rank = rank
                    row.save(update_fields=["rank"])
                continue
            if ranked.code not in kept_codes:
                continue
            values = {"rank": rank, "score": round(ranked.score, 4),
                      "evidence": [e.as_dict() for e in ranked.evidence],
                      "message": ranked.message, "computed_at": now}
            if row is None:
                CouplingSuggestion.objects.create(initiative=initiative,
                                                  carrier=carriers[ranked.code], **values)
            else:
                for name, value in values.items():
                    setattr(row, name, value)
                row.save(update_fields=list(values))
    logger.info("couplings suggested", extra={"initiative": str(initiative_id),
                                              "suggestions": len(kept)})
    return len(kept)


# -- the broker's decisions ----------------------------------------------------------------

def _require_decider(actor: Actor, initiative: Any) -> None:
    if actor.role == Role.MANAGER:
        return
    if (actor.role == Role.BROKER and initiative.broker_id is not None
            and actor.user is not None and initiative.broker_id == actor.user.pk):
        return
    raise NotPermitted(_("Alleen de initiatiefmakelaar van dit initiatief of een manager "
                         "beslist over koppelkansen."))


def decide_coupling(actor: Actor, initiative_id: Any, carrier_code: str, decision: str,
                    reason: str = "") -> CouplingSuggestion:
    """Accept or reject coupling an initiative to a carrier; decisions teach the ranking.

    Accepting a carrier that was not suggested is allowed (the broker knows better, and it
    is the most useful lesson); rejecting needs a suggestion. Repeating the same decision
    changes nothing; the opposite decision replaces it. Closed initiatives are final.
    """
    from loket.intake.models import Initiative

    if decision not in (Status.ACCEPTED, Status.REJECTED):
        raise InvalidInput({"decision": [_("Kies accepted of rejected.")]})
    if not isinstance(reason, str):
        raise InvalidInput({"reason": [_("Geef tekst.")]})
    reason = reason.strip()
    if decision == Status.ACCEPTED and reason:
        raise InvalidInput({"reason": [_("Alleen een afwijzing heeft een reden.")]})
    if len(reason) > MAX_REASON:
        raise InvalidInput({"reason": [_("Hoogstens %(max)s tekens.") % {"max": MAX_REASON}]})
    with transaction.atomic():
        initiative = (Initiative.objects.select_for_update(no_key=True)
                      .filter(pk=initiative_id).first())
        if initiative is None:
            raise NotFound(_("Dit initiatief bestaat niet."))
        _require_decider(actor, initiative)
        carrier = PolicyCarrier.objects.filter(code=carrier_code).first()
        if carrier is None:
            raise NotFound(_("Deze beleidsopgave bestaat niet."))
        row = CouplingSuggestion.objects.filter(initiative=initiative, carrier=carrier).first()
        if initiative.state in FINAL_STATES:
            raise Conflict(_("Over koppelkansen van een afgerond initiatief wordt niet meer "
                             "beslist."), current_state=initiative.state)
        if row is None and decision == Status.REJECTED:
            raise NotFound(_("Deze beleidsopgave is niet voorgesteld voor dit initiatief."))
        if decision == Status.ACCEPTED and not carrier.is_active_on(timezone.localdate()):
            raise Conflict(_("Deze beleidsopgave is niet actief; koppelen kan niet."),
                           current_status=row.status if row else None)
        if row is not None and row.status == decision and row.reason == reason:
            return row  # repeated: nothing changes, the first decision's who/when stay
        if row is None:
            row = _unsuggested(initiative, carrier)
        row.status = decision
        row.reason = reason
        row.decided_by = actor.user
        row.decided_at = timezone.now()
        row.save()
        mark_learning_dirty()
    logger.info("coupling decided", extra={"initiative": str(initiative.pk),
                                           "carrier": carrier.code, "decision": decision})
    return row


def _unsuggested(initiative: Any, carrier: PolicyCarrier) -> CouplingSuggestion:
    """A row for a carrier the broker couples although it was not suggested (or stored)."""
    ranking = engine.suggest(initiative.title, initiative.description,
                             initiative.requested_budget).carriers
    position = next((i for i, r in enumerate(ranking, start=1) if r.code == carrier.code), None)
    ranked = ranking[position - 1] if position else None
    return CouplingSuggestion(
        initiative=initiative, carrier=carrier, rank=position or len(ranking) + 1,
        score=round(ranked.score, 4) if ranked else 0.0,
        evidence=[e.as_dict() for e in ranked.evidence] if ranked else [],
        message=ranked.message if ranked else "", computed_at=timezone.now())


# -- learning from the decisions -----------------------------------------------------------

def mark_learning_dirty() -> None:
    """Decisions changed: recompute the learned weights after commit (coalesced)."""
    from . import tasks

    CouplingLearning.objects.get_or_create(pk=1)
    CouplingLearning.objects.filter(pk=1, dirty_at__isnull=True).update(dirty_at=timezone.now())
    enqueue_on_commit(tasks.recompute_learning)


def learning_examples() -> list[dict[str, Any]]:
    """Initiatives with decided couplings, newest decisions first (bounded)."""
    rows = (CouplingSuggestion.objects.exclude(status=Status.SUGGESTED)
            .select_related("initiative", "carrier").order_by("-decided_at", "id"))
    examples: dict[Any, dict[str, Any]] = {}
    for row in rows.iterator(chunk_size=500):
        ex = examples.get(row.initiative_id)
        if ex is None:
            if len(examples) >= MAX_LEARNING_EXAMPLES:
                continue
            i = row.initiative
            ex = examples[row.initiative_id] = {
                "title": i.title, "description": i.description,
                "requested_budget": i.requested_budget, "carriers": [],
                "rejected_carriers": [], "_ranks": {}}
        key = "carriers" if row.status == Status.ACCEPTED else "rejected_carriers"
        ex[key].append(row.carrier.code)
        ex["_ranks"][row.carrier.code] = row.rank
    out = []
    for ex in examples.values():
        ranks = ex.pop("_ranks")
        ex["carriers"].sort(key=lambda c: ranks.get(c, 999))
        ex["rejected_carriers"].sort()
        out.append(ex)
    return out


def recompute_learning() -> bool:
    """Recompute carrier adjustments from all decisions (compare-and-swap on dirty_at).

    Bounded (each delta within ±1.5, a new word only after two initiatives taught it) and
    explainable: learned words show as evidence of kind "geleerd".
    """
    from loket.text import compute_adjustments

    row, _created = CouplingLearning.objects.get_or_create(pk=1)
    marker = row.dirty_at
    if marker is None:
        return False
    examples = learning_examples()
    adjustments = compute_adjustments(examples, [], engine.carrier_profiles()) if examples else {}
    updated = CouplingLearning.objects.filter(pk=1, dirty_at=marker).update(
        adjustments=adjustments, examples=len(examples), computed_at=timezone.now(),
        dirty_at=None)
    logger.info("coupling learning recomputed", extra={"examples": len(examples),
                                                       "carriers": len(adjustments)})
    return bool(updated)
