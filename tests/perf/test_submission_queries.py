"""Upper bounds on the database work of a public submission (see docs/performance.md).

Every statement of a submission is a round trip inside its transaction, and the web thread
waits for the GIL again after each one, so an extra query costs throughput under load;
these bounds make a regression fail.
"""

from __future__ import annotations

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from loket.intake.models import Initiative, ReferenceCounter
from loket.intake.services import submit_initiative
from tests.factories import AreaFactory, submission_payload

# SELECT area; duplicate check; INSERT initiative (with its workflow fields); INSERT
# initiators (one bulk insert); INSERT of the first log entry; the reference (SQLite: UPDATE
# counter RETURNING; PostgreSQL: SELECT nextval); UPDATE reference; INSERT of the
# confirmation e-mail into the outbox (it carries the reference, so it comes last; one
# statement, no savepoint); + the savepoint pair the test's own transaction adds around the
# service's atomic block. (PostgreSQL adds one: the advisory lock on the contact e-mail.)
MAX_QUERIES_PER_SUBMISSION = 10


def _bound() -> int:
    return MAX_QUERIES_PER_SUBMISSION + (connection.vendor == "postgresql")


def _people(count: int) -> list[dict[str, object]]:
    return [{"name": f"Bewoner {i}", "email": f"bewoner{i}@example.org", "is_contact": i == 0}
            for i in range(count)]


@pytest.mark.django_db
@pytest.mark.parametrize("initiators", [1, 5])
def test_a_submission_needs_a_bounded_number_of_queries(initiators: int) -> None:
    AreaFactory(code="noord")
    submit_initiative(submission_payload(title="De eerste van het jaar"))  # creates the counter
    with CaptureQueriesContext(connection) as queries:
        result = submit_initiative(submission_payload(area="noord",
                                                      initiators=_people(initiators)))
    assert result.initiative.initiators.count() == initiators
    assert len(queries.captured_queries) <= _bound(), "\n".join(
        q["sql"][:120] for q in queries.captured_queries)


@pytest.mark.django_db
def test_the_api_adds_no_queries_to_the_service(client: object) -> None:
    client.post("/api/v1/initiatives", submission_payload(title="Eerste"),  # type: ignore[attr-defined]
                content_type="application/json")
    with CaptureQueriesContext(connection) as queries:
        response = client.post("/api/v1/initiatives", submission_payload(),  # type: ignore[attr-defined]
                               content_type="application/json")
    assert response.status_code == 201
    assert len(queries.captured_queries) <= _bound() - 1  # no area lookup


@pytest.mark.django_db
def test_references_count_from_one_and_no_placeholder_is_left(fresh_references: None) -> None:
    references = [submit_initiative(submission_payload(title=f"Plan {n}")).initiative.reference
                  for n in range(3)]
    numbers = [int(ref.rsplit("-", 1)[1]) for ref in references]
    assert numbers == [1, 2, 3]
    counted = ReferenceCounter.objects.values_list("last", flat=True).first()
    # SQLite counts in the year's row; PostgreSQL in a sequence and leaves the row alone
    assert counted == (None if connection.vendor == "postgresql" else 3)
    assert Initiative.objects.filter(reference__in=references).count() == 3
    assert not Initiative.objects.filter(reference__startswith="~").exists()
