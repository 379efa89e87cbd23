"""The Dutch e-mails a transition causes. Plain text: nothing a resident typed becomes markup.

The tracking token is stored only as a hash, so these e-mails cannot repeat the resident's
link; they point to the personal link from the confirmation e-mail instead.
"""

from __future__ import annotations

from dataclasses import dataclass

from django.conf import settings
from django.utils import translation
from django.utils.translation import gettext as _

from .models import TransitionLog
from .states import BallHolder, State

INITIATORS = "initiators"
BROKER = "broker"


@dataclass(frozen=True)
class Message:
    to: str
    subject: str
    body: str


def _initiators_address(initiative: object) -> str:
    people = [i for i in initiative.initiators.all() if i.email and not i.anonymised_at]
    contact = next((i for i in people if i.is_contact), None) or (people[0] if people else None)
    return contact.email if contact else ""


def compose(log: TransitionLog, recipient: str, user: object = None) -> Message:
    """The message to the initiators or to the broker `user`; `to` is empty without one."""
    from .services import transition_label

    initiative = log.initiative
    with translation.override("nl"):
        state = str(State(log.target).label)
        holder = str(BallHolder(initiative.ball_holder).label) if initiative.ball_holder else ""
        step = transition_label(log.transition)
        lines = []
        if recipient == INITIATORS:
            to = _initiators_address(initiative)
            lines += [_("Beste initiatiefnemer,"), "",
                      _("Er is iets veranderd bij uw initiatief ‘%(title)s’ (%(ref)s).") % {
                          "title": initiative.title, "ref": initiative.reference}]
        else:
            to = user.email if user is not None and user.is_active else ""
            lines += [_("Beste %(name)s,") % {"name": user.first_name if user else ""}, "",
                      _("Bij het initiatief ‘%(title)s’ (%(ref)s) is een stap gezet.") % {
                          "title": initiative.title, "ref": initiative.reference}]
        lines += ["", _("Stap: %(step)s") % {"step": step},
                  _("Status: %(state)s") % {"state": state}]
        if holder:
            lines.append(_("Aan zet: %(holder)s") % {"holder": holder})
        if log.public_note:
            lines += ["", _("Toelichting:"), log.public_note]
        details = log.public_details
        if details.get("motivation"):
            lines += ["", _("Waarom niet haalbaar:"), details["motivation"],
                      "", _("Wat wel kan (alternatief):"), details["alternative"]]
        if details.get("expectations_initiators"):
            lines += ["", _("Afspraken: wat u doet:"), details["expectations_initiators"],
                      "", _("Afspraken: wat de gemeente doet:"),
                      details["expectations_municipality"]]
        if recipient == INITIATORS:
            lines += ["", _("Bekijk de stand van zaken en de volgende stap via uw persoonlijke "
                            "link uit de bevestigingsmail van uw aanmelding."),
                      _("Het initiatief blijft van u: de gemeente denkt mee en helpt, "
                        "u beslist.")]
        else:
            lines += ["", _("Bekijk het initiatief in Loket: %(url)s") % {
                "url": f"{settings.BASE_URL}/admin/"}]
        lines += ["", _("Met vriendelijke groet,"), settings.LOKET_MUNICIPALITY_NAME]
        subject = _("[%(ref)s] %(title)s: %(state)s") % {
            "ref": initiative.reference, "title": initiative.title, "state": state}
    return Message(to=to, subject=subject.replace("\n", " ")[:200], body="\n".join(lines))
