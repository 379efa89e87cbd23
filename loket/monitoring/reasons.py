"""Why a flag was raised: stored as a code with its parameters, written out when it is read.

The scan stores what it found (a code such as `overdue` with the working days, the state or
the date), never a finished sentence: the same flag is read by a Dutch manager, by an English
API client and in an e-mail to Dutch staff, each in their own language. The sentence is built
here with gettext in the active language (Dutch source strings, English in the catalogue).
Flags raised before reasons had codes keep their stored Dutch text (`legacy_reason`), shown
as it is when a row has no code (the migration gave a code to every text it could read back).
"""

from __future__ import annotations

from datetime import date
from typing import Any

from django.utils.formats import date_format
from django.utils.translation import gettext as _

from loket.workflow.states import State

STALLED_SUBMITTED = "stalled_submitted"  # nobody took the new initiative on
STALLED_INITIATORS = "stalled_initiators"  # the initiators hold the ball: a check-in
STALLED = "stalled"  # the broker holds the ball
OVERDUE = "overdue"  # a routed request past its due date
DECLINED = "declined"  # a 'declined' answer without follow-up
CONVERSATION = "conversation"  # 'conversation needed' without a planned meeting
MET = "met"  # the conversation was held, no new answer yet
NO_BROKER = "no_broker"

CODES = (STALLED_SUBMITTED, STALLED_INITIATORS, STALLED, OVERDUE, DECLINED, CONVERSATION, MET,
         NO_BROKER)
# The sentences that name the department (its name comes from the flag's department).
NAMES_DEPARTMENT = frozenset({OVERDUE, DECLINED, CONVERSATION, MET})

Reason = tuple[str, dict[str, Any]]  # (code, JSON-serialisable parameters)


# -- building (the scan) --------------------------------------------------------------------

def stalled(state: str, days: int, *, initiators: bool) -> Reason:
    if state == State.SUBMITTED:
        return STALLED_SUBMITTED, {"days": days}
    return (STALLED_INITIATORS if initiators else STALLED), {"days": days, "state": str(state)}


def overdue(due: date) -> Reason:
    return OVERDUE, {"due": due.isoformat()}


def answer(code: str, day: date, days: int) -> Reason:
    """`declined`, `conversation` or `met`: what the department answered or held on `day`."""
    if code not in {DECLINED, CONVERSATION, MET}:
        raise ValueError(code)
    return code, {"date": day.isoformat(), "days": days}


def no_broker(days: int) -> Reason:
    return NO_BROKER, {"days": days}


# -- rendering (every reader) ------------------------------------------------------------------

def _day(value: str) -> str:
    return date_format(date.fromisoformat(value))


def _state_label(value: str) -> str:
    return str(State(value).label) if value in State.values else value


def _sentence(code: str, params: dict[str, Any], department: str) -> str | None:
    if code == STALLED_SUBMITTED:
        return _("Ingediend en na %(days)s werkdagen nog niet opgepakt door een "
                 "initiatiefmakelaar.") % {"days": params["days"]}
    if code == STALLED_INITIATORS:
        return _("Al meer dan %(days)s werkdagen geen beweging in de status "
                 "'%(state)s'. De initiatiefnemers zijn aan zet; dit is geen "
                 "vertraging bij de gemeente. De makelaar kan even contact opnemen om "
                 "te horen hoe het gaat en of ze iets nodig hebben.") % {
            "days": params["days"], "state": _state_label(params["state"])}
    if code == STALLED:
        return _("Staat langer dan %(days)s werkdagen in de status '%(state)s'; de "
                 "initiatiefmakelaar is aan zet.") % {
            "days": params["days"], "state": _state_label(params["state"])}
    if code == OVERDUE:
        return _("De vraag aan %(department)s had uiterlijk %(due)s beantwoord moeten "
                 "zijn.") % {"department": department, "due": _day(params["due"])}
    if code == DECLINED:
        return _("%(department)s antwoordde op %(date)s 'niet akkoord'; na %(days)s "
                 "werkdagen is er nog geen vervolg. Bespreek de motivering en het "
                 "alternatief met de initiatiefnemers.") % {
            "department": department, "date": _day(params["date"]), "days": params["days"]}
    if code == MET:
        return _("Het gesprek met %(department)s stond gepland op %(date)s; %(days)s "
                 "werkdagen later heeft de afdeling nog geen nieuw antwoord gegeven.") % {
            "department": department, "date": _day(params["date"]), "days": params["days"]}
    if code == CONVERSATION:
        return _("%(department)s vroeg op %(date)s om een gesprek; na %(days)s werkdagen "
                 "is er nog geen afspraak gepland.") % {
            "department": department, "date": _day(params["date"]), "days": params["days"]}
    if code == NO_BROKER:
        return _("Na %(days)s werkdagen is er nog geen initiatiefmakelaar aan dit initiatief "
                 "gekoppeld.") % {"days": params["days"]}
    return None


def reason_text(code: str, params: dict[str, Any] | None, *, department: str | None = None,
                legacy: str = "") -> str:
    """The reason as a sentence in the active language.

    `department` is the name of the flag's department (None when it has none or it was
    deleted). A row without a code, or one whose parameters cannot be read, shows its stored
    text: a reader always gets the best sentence there is instead of an error page.
    """
    if code:
        try:
            text = _sentence(code, params or {}, department or _("de afdeling"))
        except (KeyError, TypeError, ValueError):
            text = None
        if text is not None:
            return text
    return legacy
