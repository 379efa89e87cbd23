"""Write path of intake: submitting initiatives and the residents' additions through their link."""

from __future__ import annotations

import contextlib
import logging
import secrets
from collections.abc import Callable
from dataclasses import dataclass
from datetime import timedelta
from typing import Any

from django.conf import settings
from django.db import IntegrityError, ProgrammingError, connection, connections, transaction
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from loket.core.actors import Actor, Role
from loket.core.errors import Conflict, InvalidInput, NotPermitted
from loket.core.tasks import enqueue_on_commit
from loket.workflow import services as workflow

from .mail import queue_tracking_link
from .models import (
    EDITABLE_STATES,
    Initiative,
    Initiator,
    Note,
    Question,
    ReferenceCounter,
    TrackingLink,
)
from .tokens import hash_tracking_token, new_tracking_token
from .validation import (
    MAX_DESCRIPTION,
    Errors,
    SubmissionData,
    clean_description,
    clean_text,
    clean_title,
    validate_submission,
)

logger = logging.getLogger(__name__)



@dataclass(frozen=True)
class Submission:
    """The outcome of a submission. `token` is None for a repeated submission: the existing
    initiative's link is never handed to whoever repeated it (a fresh one is e-mailed)."""

    initiative: Initiative
    token: str | None
    duplicate: bool = False


# Advisory-lock namespace of the duplicate guard (any constant no other code uses).
DUPLICATE_GUARD_LOCK = 0x4C4F4B  # "LOK"


def _lock_contact(email: str) -> None:
    """Serialise submissions with the same contact e-mail until commit, so two presses of
    the same button cannot both pass the duplicate check (PostgreSQL advisory lock; SQLite
    writes are serialised anyway). Unrelated residents do not wait for each other."""
    if connection.vendor == "postgresql":
        with connection.cursor() as cursor:
            cursor.execute("SELECT pg_advisory_xact_lock(%s, hashtext(%s))",
                           [DUPLICATE_GUARD_LOCK, email.strip().lower()])


def next_reference(year: int) -> str:
    """`INI-<year>-<5 digits>`, unique and increasing per year; call inside a transaction.

    PostgreSQL: a sequence per year. `nextval` never waits, so submissions do not queue
    behind each other's commits (a counter row locked until commit capped intake at about
    70 a second, see docs/performance.md); the price is that a submission failing after it
    took its number leaves that number unused. SQLite serialises writes anyway and keeps
    the year's counter row, gap-free.
    """
    if connection.vendor == "postgresql":
        number = _next_from_sequence(year)
    else:
        number = _next_from_counter(year)
    return f"INI-{year}-{number:05d}"


REFERENCE_SEQUENCE = "intake_reference_{year}"
_sequences_seen: set[tuple[str, int]] = set()  # (database, year) this process created or saw


def _next_from_sequence(year: int) -> int:
    name = REFERENCE_SEQUENCE.format(year=int(year))
    seen = (connection.settings_dict["NAME"], int(year))
    if seen not in _sequences_seen:
        _create_sequence(name, int(year))
        _sequences_seen.add(seen)
    with connection.cursor() as cursor:
        cursor.execute("SELECT nextval(%s)", [name])
        return cursor.fetchone()[0]


def _create_sequence(name: str, year: int) -> None:
    """Create the year's sequence on a separate autocommitting connection, so it exists for
    every concurrent submission at once; it continues after the year's counter row (the
    numbers taken before sequences were used)."""
    side = connections.create_connection(connection.alias)
    try:
        with side.cursor() as cursor:
            table = ReferenceCounter._meta.db_table
            cursor.execute(f"SELECT last FROM {table} WHERE year = %s", [year])  # noqa: S608
            row = cursor.fetchone()
            start = (row[0] if row else 0) + 1
            # IF NOT EXISTS still fails when another process creates it at the same moment;
            # then it exists, which is all we need.
            with contextlib.suppress(IntegrityError, ProgrammingError):
                cursor.execute(f'CREATE SEQUENCE IF NOT EXISTS "{name}" START WITH {start:d}')
    finally:
        side.close()


def _next_from_counter(year: int) -> int:
    """The year's counter row, locked by the UPDATE until commit (SQLite: the write lock)."""
    table = ReferenceCounter._meta.db_table
    sql = f"UPDATE {table} SET last = last + 1 WHERE year = %s RETURNING last"  # noqa: S608
    with connection.cursor() as cursor:
        cursor.execute(sql, [year])
        row = cursor.fetchone()
        if row is None:  # the first submission of the year (a racing first one may win)
            ReferenceCounter.objects.get_or_create(year=year)
            cursor.execute(sql, [year])
            row = cursor.fetchone()
    return row[0]


def find_duplicate(data: SubmissionData, now: Any) -> Initiative | None:
    """Same contact e-mail and the same title within the window: the resident pressed twice."""
    since = now - timedelta(minutes=settings.LOKET_DUPLICATE_WINDOW_MINUTES)
    return (Initiative.objects
            .filter(created_at__gte=since, title__iexact=data.title,
                    initiators__is_contact=True,
                    initiators__email__iexact=data.contact.email)
            .order_by("created_at").first())


def submit_initiative(data: Any, *, actor: Actor | None = None) -> Submission:
    """Validate and store a resident's initiative, start its workflow, and after commit
    e-mail the tracking link and start routing and coupling suggestions.

    `data` is the parsed request body; every invalid field is reported at once.
    """
    submission = validate_submission(data)
    actor = actor or Actor(Role.ANONYMOUS)
    now = timezone.now()
    year = timezone.localdate(now).year
    with transaction.atomic():
        _lock_contact(submission.contact.email)
        existing = find_duplicate(submission, now)
        if existing is not None:
            _reissue_link(existing, reason="repeat")
            logger.info("duplicate submission", extra={"initiative": str(existing.pk)})
            return Submission(existing, token=None, duplicate=True)

        token = new_tracking_token()
        initiative = Initiative.objects.create(
            # A placeholder no one sees (the row is not committed yet): the real reference
            # is taken last, so the year's counter stays locked only for two statements.
            reference=f"~{secrets.token_hex(8)}", title=submission.title,
            description=submission.description, area=submission.area,
            address=submission.address, lat=submission.lat, lon=submission.lon,
            requested_budget=submission.requested_budget, support=submission.support,
            tracking_token_hash=hash_tracking_token(token), created_at=now,
            **workflow.initial_fields(now),
        )
        people = Initiator.objects.bulk_create([
            Initiator(initiative=initiative, name=p.name, email=p.email, phone=p.phone,
                      is_contact=p.is_contact)
            for p in submission.initiators
        ])
        workflow.log_submission(initiative, actor)
        initiative.reference = next_reference(year)
        Initiative.objects.filter(pk=initiative.pk).update(reference=initiative.reference)
        contact = next(p for p in people if p.is_contact)
        _after_commit(initiative, token, reason="submitted", contact=contact)
    logger.info("initiative submitted", extra={"initiative": str(initiative.pk),
                                               "reference": initiative.reference})
    return Submission(initiative, token=token)


def _reissue_link(initiative: Initiative, *, reason: str) -> str:
    token = new_tracking_token()
    TrackingLink.objects.create(initiative=initiative, token_hash=hash_tracking_token(token))
    queue_tracking_link(initiative, token, reason)
    return token


def _after_commit(initiative: Initiative, token: str, *, reason: str,
                  contact: Initiator) -> None:
    from . import tasks

    mail_key = queue_tracking_link(initiative, token, reason, contact, enqueue=False)
    enqueue_on_commit(tasks.analyse_initiative, str(initiative.pk), mail_key)


def analyse_initiative(initiative_id: str, mail_key: str | None = None) -> None:
    """The worker's half of a submission or a changed plan, in one task instead of three
    (a task publish costs the web request more than the inserts do): the routing proposal,
    the coupling suggestions and, after a submission, the tracking-link e-mail.

    Every step is idempotent and runs even when an earlier one failed; the first failure is
    raised afterwards. The routing sweep re-enqueues this task for a proposal that was never
    computed, the outbox sweep retries the e-mail.
    """
    from loket.core.services import send_queued_mail
    from loket.coupling.services import suggest_couplings
    from loket.routing.services import propose_routing

    steps: list[tuple[str, Callable[[], Any]]] = [
        ("routing", lambda: propose_routing(initiative_id)),
        ("coupling", lambda: suggest_couplings(initiative_id)),
    ]
    if mail_key:  # last: a slow mail server must not hold up the broker's proposal
        steps.append(("mail", lambda: send_queued_mail(mail_key)))
    failure: Exception | None = None
    for name, step in steps:
        try:
            step()
        except Exception as exc:  # the other steps still run, see the docstring
            logger.exception("analysis step failed",
                             extra={"initiative": initiative_id, "step": name})
            failure = failure or exc
    if failure is not None:
        raise failure


def _require_initiators(initiative: Initiative, actor: Actor) -> None:
    if actor.role != Role.INITIATORS or actor.initiative_id != initiative.pk:
        raise NotPermitted(_("Alleen de initiatiefnemers kunnen dit via hun eigen link doen."))


def update_plan(initiative: Initiative, actor: Actor, data: Any) -> Initiative:
    """The initiators rewrite title and/or description while the plan is still being shaped.

    A changed text re-computes the coupling suggestions and the routing proposal (which
    only replaces machine suggestions the broker has not decided on).
    """
    _require_initiators(initiative, actor)
    errors = Errors()
    if not isinstance(data, dict) or not ({"title", "description"} & data.keys()):
        errors.add("body", _("Stuur title en/of description mee."))
        errors.raise_if_any()
    changes: dict[str, str] = {}
    if "title" in data:
        changes["title"] = clean_title(errors, data["title"])
    if "description" in data:
        changes["description"] = clean_description(errors, data["description"])
    errors.raise_if_any()
    with transaction.atomic():
        locked = Initiative.objects.select_for_update(no_key=True).get(pk=initiative.pk)
        if locked.state not in EDITABLE_STATES:
            raise Conflict(_("Het plan kan in de status '%(state)s' niet meer worden gewijzigd.")
                           % {"state": locked.get_state_display()})
        changed = [name for name, value in changes.items() if getattr(locked, name) != value]
        for name in changed:
            setattr(locked, name, changes[name])
        if changed:
            from . import tasks

            locked.save(update_fields=[*changed, "updated_at"])
            enqueue_on_commit(tasks.analyse_initiative, str(locked.pk))
    return locked


def add_note(initiative: Initiative, actor: Actor, text: Any) -> Note:
    """The initiators add information (a photo link, a neighbour's support, an update)."""
    _require_initiators(initiative, actor)
    errors = Errors()
    cleaned = clean_text(errors, "text", text, required=True, max_length=MAX_DESCRIPTION,
                         multiline=True)
    errors.raise_if_any()
    return Note.objects.create(initiative=initiative, text=cleaned, created_at=timezone.now())


def ask_question(initiative: Initiative, actor: Actor, text: Any,
                 department_id: Any = None) -> Question:
    """The broker, a manager, or an official of a consulted department asks the initiators."""
    from loket.routing.models import RoutedRequest

    errors = Errors()
    cleaned = clean_text(errors, "text", text, required=True, max_length=MAX_DESCRIPTION,
                         multiline=True)
    department = None
    if actor.role == Role.OFFICIAL:
        requests = RoutedRequest.objects.filter(initiative=initiative,
                                                department_id__in=actor.department_ids)
        if department_id is not None:
            requests = requests.filter(department_id=department_id)
        request = requests.select_related("department").first()
        if request is None:
            raise NotPermitted(_("Uw afdeling is niet om advies gevraagd over dit initiatief."))
        department = request.department
    elif actor.role not in {Role.BROKER, Role.MANAGER}:
        raise NotPermitted(_("Alleen medewerkers van de gemeente kunnen vragen stellen."))
    elif department_id is not None:
        errors.add("department", _("Alleen vakambtenaren vragen namens een afdeling."))
    errors.raise_if_any()
    return Question.objects.create(initiative=initiative, text=cleaned, asked_by=actor.user,
                                   asked_by_role=actor.role, department=department,
                                   asked_at=timezone.now())


def answer_question(initiative: Initiative, actor: Actor, question_id: Any, text: Any) -> Question:
    """The initiators answer an open question through their link (an answer is final)."""
    _require_initiators(initiative, actor)
    errors = Errors()
    cleaned = clean_text(errors, "text", text, required=True, max_length=MAX_DESCRIPTION,
                         multiline=True)
    errors.raise_if_any()
    with transaction.atomic():
        question = (Question.objects.select_for_update()
                    .filter(initiative=initiative, pk=_as_int(question_id)).first())
        if question is None:
            from loket.core.errors import NotFound

            raise NotFound(_("Deze vraag bestaat niet."))
        if question.answered_at is not None:
            raise Conflict(_("Deze vraag is al beantwoord."))
        question.answer = cleaned
        question.answered_at = timezone.now()
        question.save(update_fields=["answer", "answered_at"])
    return question


def _as_int(value: Any) -> int:
    try:
        return int(value)
    except (TypeError, ValueError):
        raise InvalidInput({"question": [_("Onbekende vraag.")]}) from None
