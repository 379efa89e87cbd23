"""The baseline of bench/load_intake.py: a plain Django view that inserts one row.

Mounted at /bench/bare only when LOKET_BENCH_BARE=1 (see loket/urls.py); never in
production. Same Django, middleware, gunicorn and PostgreSQL as the real intake, none of
DRF, validation, workflow, throttling or task enqueueing: the ratio of the two throughputs
is what our stack costs per submission.
"""

from __future__ import annotations

import json

from django.db import connection
from django.http import HttpRequest, HttpResponse, JsonResponse
from django.urls import path
from django.views.decorators.csrf import csrf_exempt
from django.views.decorators.http import require_POST

TABLE = "bench_bare"
CREATE_SQL = (f"CREATE TABLE IF NOT EXISTS {TABLE} (id bigserial PRIMARY KEY, "
              "title text NOT NULL, email text NOT NULL, "
              "created_at timestamptz NOT NULL DEFAULT now())")


@csrf_exempt
@require_POST
def bare_insert(request: HttpRequest) -> HttpResponse:
    """Parse the same JSON body as POST /api/v1/initiatives, store two of its fields."""
    data = json.loads(request.body)
    with connection.cursor() as cursor:
        cursor.execute(f"INSERT INTO {TABLE} (title, email) VALUES (%s, %s) RETURNING id",
                       [data["title"][:200], data["initiators"][0]["email"][:254]])
        (row_id,) = cursor.fetchone()
    return JsonResponse({"id": row_id}, status=201)


urlpatterns = [path("bare", bare_insert, name="bench-bare")]
