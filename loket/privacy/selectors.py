"""The initiators' data download (AVG art. 15 and 20): everything stored about them.

Everything the tracking link gives access to, in one machine-readable document: the
initiative as submitted, the initiators, their additions and the questions put to them,
the public history, the departments' answers, and the e-mails sent to them. Staff-internal
notes are not part of it (see docs/privacy.md). A fixed number of queries, whatever the size.
"""

from __future__ import annotations

from typing import Any

from django.db.models import Prefetch
from django.utils import timezone

from loket.core.models import OutboxMail
from loket.intake.models import Initiative
from loket.routing.models import Answer, RoutedRequest
from loket.workflow.selectors import public_history


def data_export(initiative: Initiative) -> dict[str, Any]:
    initiative = (Initiative.objects.select_related("area", "broker")
                  .prefetch_related(
                      "initiators", "notes", "questions__department", "tracking_links",
                      Prefetch("requests", queryset=RoutedRequest.objects
                               .select_related("department").order_by("created_at", "id")
                               .prefetch_related(Prefetch(
                                   "answers", queryset=Answer.objects.order_by("created_at",
                                                                               "id")))))
                  .get(pk=initiative.pk))
    mails = OutboxMail.objects.filter(initiative=initiative, to_initiators=True).order_by(
        "created_at", "id")
    return {
        "exported_at": timezone.now(),
        "initiative": {
            "id": str(initiative.pk),
            "reference": initiative.reference,
            "title": initiative.title,
            "description": initiative.description,
            "area": initiative.area.name if initiative.area else None,
            "address": initiative.address,
            "lat": initiative.lat,
            "lon": initiative.lon,
            "requested_budget": initiative.requested_budget,
            "support": list(initiative.support or []),
            "state": initiative.state,
            "state_entered_at": initiative.state_entered_at,
            "ball_holder": initiative.ball_holder,
            "broker": initiative.broker.first_name if initiative.broker else None,
            "expectations_initiators": initiative.expectations_initiators,
            "expectations_municipality": initiative.expectations_municipality,
            "not_feasible_motivation": initiative.not_feasible_motivation,
            "not_feasible_alternative": initiative.not_feasible_alternative,
            "created_at": initiative.created_at,
            "updated_at": initiative.updated_at,
        },
        "initiators": [
            {"name": i.name, "email": i.email, "phone": i.phone, "is_contact": i.is_contact,
             "anonymised_at": i.anonymised_at}
            for i in initiative.initiators.all()
        ],
        "tracking_links": [{"created_at": link.created_at}
                           for link in initiative.tracking_links.all()],
        "notes": [{"text": n.text, "created_at": n.created_at}
                  for n in initiative.notes.all()],
        "questions": [
            {"text": q.text, "asked_by_role": q.asked_by_role,
             "department": q.department.name if q.department else None,
             "asked_at": q.asked_at, "answer": q.answer,
             "answered_at": q.answered_at}
            for q in initiative.questions.all()
        ],
        "history": public_history(initiative),
        "requests": [
            {"department": r.department.name, "status": r.status,
             "due_date": r.due_date, "created_at": r.created_at,
             "answers": [
                 {"decision": a.decision, "motivation": a.motivation,
                  "alternative": a.alternative, "meeting_proposal": a.meeting_proposal,
                  "created_at": a.created_at}
                 for a in r.answers.all()
             ]}
            for r in initiative.requests.all()
        ],
        "emails": [
            {"to": m.to, "subject": m.subject, "sent_at": m.sent_at} for m in mails
        ],
    }
