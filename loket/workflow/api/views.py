"""Workflow API: list and fire transitions (staff and initiators), and the audit trail.

Thin: resolve the actor and the initiative, call a selector or `fire_transition`, shape
the answer. Every refusal comes from the service as a domain error (problem+json).
"""

from __future__ import annotations

from types import SimpleNamespace
from typing import Any

from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiParameter, extend_schema
from rest_framework.permissions import AllowAny
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.views import APIView

from loket.core.actors import Actor, Role
from loket.core.api.openapi import VERSION_HEADER, problem_responses
from loket.intake.selectors import initiative_for_token
from loket.workflow import selectors
from loket.workflow.services import available_transitions, fire_transition, transition_label

from .serializers import (
    HistoryEntrySerializer,
    TrackingTransitionInputSerializer,
    TransitionInputSerializer,
    WorkflowStateSerializer,
)

TAG = "werkproces"
NAME = OpenApiParameter("name", OpenApiTypes.STR, OpenApiParameter.PATH,
                        description="Naam van de stap, bijvoorbeeld take_on of submit_plan.")
TOKEN = OpenApiParameter("token", OpenApiTypes.STR, OpenApiParameter.PATH,
                         description="Het geheime volgtoken uit de persoonlijke link.")
FIRE_ERRORS = problem_responses(
    400, 403, 404, 409,
    d400="Verplichte velden ontbreken of zijn ongeldig (alle tegelijk in invalid_params).",
    d403="Deze stap is niet aan u (facilitate, don't take over).",
    d409="De stap kan niet vanuit de huidige status, of een gelijktijdige stap ging voor; "
         "`current_state` en `allowed_transitions` zeggen wat wel kan.",
)


def _state(initiative: Any, actor: Actor) -> dict[str, Any]:
    view = SimpleNamespace(
        state=initiative.state, ball_holder=initiative.ball_holder,
        state_entered_at=initiative.state_entered_at, ball_moved_at=initiative.ball_moved_at,
        paused_from=initiative.paused_from, available=available_transitions(initiative, actor))
    return WorkflowStateSerializer(view).data


def _fire(initiative_id: Any, name: str, actor: Actor, data: dict[str, Any]) -> Response:
    initiative = fire_transition(initiative_id, name, actor, **data)
    return Response(_state(initiative, actor))


class InitiativeTransitionsView(APIView):
    @extend_schema(operation_id="initiative_transitions_list", tags=[TAG],
                   summary="Stappen die u nu kunt zetten",
                   description="De status, wie aan zet is, en de stappen die de ingelogde "
                               "medewerker nu mag zetten, met hun verplichte velden.",
                   parameters=[VERSION_HEADER],
                   responses={200: WorkflowStateSerializer,
                              **problem_responses(401, 403, 404)})
    def get(self, request: Request, initiative_id: Any) -> Response:
        actor = Actor.for_user(request.user)
        initiative = selectors.initiative_for_staff(initiative_id, actor)
        return Response(_state(initiative, actor))


class InitiativeFireTransitionView(APIView):
    @extend_schema(operation_id="initiative_transition_fire", tags=[TAG],
                   summary="Een stap zetten (medewerkers)",
                   description="De makelaar, een manager of een vakambtenaar van een "
                               "geraadpleegde afdeling zet een stap die aan hem of haar is. "
                               "Antwoordt met de nieuwe status en de stappen die daarna "
                               "kunnen; 409 als de stap niet vanuit de huidige status kan.",
                   parameters=[NAME, VERSION_HEADER], request=TransitionInputSerializer,
                   responses={200: WorkflowStateSerializer, **problem_responses(401),
                              **FIRE_ERRORS})
    def post(self, request: Request, initiative_id: Any, name: str) -> Response:
        actor = Actor.for_user(request.user)
        selectors.initiative_for_staff(initiative_id, actor)
        serializer = TransitionInputSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        return _fire(initiative_id, name, actor, serializer.validated_data)


class InitiativeHistoryView(APIView):
    @extend_schema(operation_id="initiative_history_list", tags=[TAG],
                   summary="Geschiedenis van het initiatief",
                   description="Elke stap: wie, wanneer, van en naar welke status, met de "
                               "openbare toelichting en de interne notitie.",
                   parameters=[VERSION_HEADER],
                   responses={200: HistoryEntrySerializer(many=True),
                              **problem_responses(401, 403, 404)})
    def get(self, request: Request, initiative_id: Any) -> Response:
        actor = Actor.for_user(request.user)
        initiative = selectors.initiative_for_staff(initiative_id, actor)
        entries = [
            {"id": log.id, "transition": log.transition,
             "label": transition_label(log.transition), "source": log.source,
             "target": log.target, "at": log.at, "actor_role": log.actor_role,
             "actor": selectors.actor_label(log, public=False), "public_note": log.public_note,
             "internal_note": log.internal_note, "details": log.details}
            for log in selectors.history(initiative)
        ]
        return Response(HistoryEntrySerializer(entries, many=True).data)


class TrackingTransitionsView(APIView):
    permission_classes = [AllowAny]
    authentication_classes: list = []

    @extend_schema(operation_id="tracking_transitions_list", tags=["volgen"],
                   summary="Stappen die de initiatiefnemers nu kunnen zetten",
                   description="Zonder account, via de geheime volglink. De status, wie aan "
                               "zet is, en de stappen die de initiatiefnemers nu mogen zetten, "
                               "met hun verplichte velden; 404 bij een onbekende link.",
                   parameters=[TOKEN, VERSION_HEADER],
                   responses={200: WorkflowStateSerializer, **problem_responses(404)})
    def get(self, request: Request, token: str) -> Response:
        initiative = initiative_for_token(token)
        return Response(_state(initiative, Actor.initiators(initiative.pk)))


class TrackingFireTransitionView(APIView):
    permission_classes = [AllowAny]
    authentication_classes: list = []

    @extend_schema(operation_id="tracking_transition_fire", tags=["volgen"],
                   summary="Een stap zetten (initiatiefnemers, via hun link)",
                   description="Indienen van het plan, starten, gerealiseerd melden, pauzeren, "
                               "hervatten, intrekken en heropenen: besluiten die aan de "
                               "initiatiefnemers zijn.",
                   parameters=[TOKEN, NAME, VERSION_HEADER],
                   request=TrackingTransitionInputSerializer,
                   responses={200: WorkflowStateSerializer, **FIRE_ERRORS})
    def post(self, request: Request, token: str, name: str) -> Response:
        initiative = initiative_for_token(token)
        serializer = TrackingTransitionInputSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        actor = Actor(Role.INITIATORS, initiative_id=initiative.pk)
        return _fire(initiative.pk, name, actor, serializer.validated_data)
