"""Coupling API: policy carriers (configuration) and an initiative's coupling suggestions.

Thin: resolve the actor, call a selector or service, shape the answer; refusals come from
the services as domain errors (problem+json).
"""

from __future__ import annotations

from typing import Any

from django.utils.translation import gettext_lazy as _
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiParameter, extend_schema
from rest_framework import status
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.views import APIView

from loket.core.actors import Actor
from loket.core.api.openapi import VERSION_HEADER, problem_responses
from loket.core.api.permissions import staff_actor
from loket.core.errors import NotFound
from loket.coupling import selectors, services
from loket.workflow.selectors import initiative_for_staff

from .serializers import (
    CouplingSerializer,
    PolicyCarrierInputSerializer,
    PolicyCarrierSerializer,
    RejectInputSerializer,
)

TAG = "koppelkansen"
CODE = OpenApiParameter("code", OpenApiTypes.STR, OpenApiParameter.PATH,
                        description="Code van de beleidsopgave, bijvoorbeeld energietransitie.")
CARRIER = OpenApiParameter("carrier_code", OpenApiTypes.STR, OpenApiParameter.PATH,
                           description="Code van de beleidsopgave.")


def _carrier(code: str) -> Any:
    carrier = selectors.carrier_by_code(code)
    if carrier is None:
        raise NotFound(_("Deze beleidsopgave bestaat niet."))
    return carrier


class PolicyCarrierListView(APIView):
    @extend_schema(operation_id="policy_carriers_list", tags=[TAG],
                   summary="Beleidsopgaven (dragende opgaven) opvragen",
                   description="Voor makelaars, managers en vakambtenaren: alle "
                               "beleidsopgaven op naam, ook die buiten hun actieve periode.",
                   parameters=[VERSION_HEADER],
                   responses={200: PolicyCarrierSerializer(many=True),
                              **problem_responses(401, 403)})
    def get(self, request: Request) -> Response:
        staff_actor(request)
        return Response(PolicyCarrierSerializer(selectors.carriers(), many=True).data)

    @extend_schema(operation_id="policy_carrier_create", tags=[TAG],
                   summary="Een beleidsopgave toevoegen (managers)",
                   description="Alleen managers (anders 403). Code, naam en reikwijdte zijn "
                               "verplicht; ongeldige velden komen alle tegelijk terug in "
                               "invalid_params (400).",
                   parameters=[VERSION_HEADER], request=PolicyCarrierInputSerializer,
                   responses={201: PolicyCarrierSerializer,
                              **problem_responses(400, 401, 403)})
    def post(self, request: Request) -> Response:
        actor = staff_actor(request)
        carrier = services.save_carrier(actor, _body(request))
        return Response(PolicyCarrierSerializer(selectors.carrier_by_code(carrier.code)).data,
                        status=status.HTTP_201_CREATED)


def _body(request: Request) -> dict[str, Any]:
    from loket.core.errors import InvalidInput

    if not isinstance(request.data, dict):
        raise InvalidInput({"body": [_("Stuur een JSON-object.")]})
    return dict(request.data)


class PolicyCarrierDetailView(APIView):
    @extend_schema(operation_id="policy_carrier_retrieve", tags=[TAG],
                   summary="Eén beleidsopgave opvragen",
                   description="Voor makelaars, managers en vakambtenaren; 404 als de code "
                               "niet bestaat.",
                   parameters=[CODE, VERSION_HEADER],
                   responses={200: PolicyCarrierSerializer,
                              **problem_responses(401, 403, 404)})
    def get(self, request: Request, code: str) -> Response:
        staff_actor(request)
        return Response(PolicyCarrierSerializer(_carrier(code)).data)

    @extend_schema(operation_id="policy_carrier_update", tags=[TAG],
                   summary="Een beleidsopgave wijzigen (managers)",
                   description="Alleen de meegestuurde velden veranderen. Een opgave buiten "
                               "haar actieve periode wordt niet meer voorgesteld.",
                   parameters=[CODE, VERSION_HEADER], request=PolicyCarrierInputSerializer,
                   responses={200: PolicyCarrierSerializer,
                              **problem_responses(400, 401, 403, 404)})
    def patch(self, request: Request, code: str) -> Response:
        actor = staff_actor(request)
        carrier = _carrier(code)
        services.save_carrier(actor, _body(request), carrier)
        return Response(PolicyCarrierSerializer(_carrier(code)).data)


class InitiativeCouplingsView(APIView):
    @extend_schema(operation_id="initiative_couplings_list", tags=[TAG],
                   summary="Koppelkansen van een initiatief",
                   description="De voorgestelde beleidsopgaven, best passend eerst, met "
                               "score, onderbouwing en een gecombineerde boodschap in één "
                               "zin; en de besluiten van de makelaar.",
                   parameters=[VERSION_HEADER],
                   responses={200: CouplingSerializer(many=True),
                              **problem_responses(401, 403, 404)})
    def get(self, request: Request, initiative_id: Any) -> Response:
        actor = Actor.for_user(request.user)
        initiative = initiative_for_staff(initiative_id, actor)
        return Response(CouplingSerializer(selectors.couplings_for(initiative), many=True).data)


DECIDE_ERRORS = problem_responses(
    400, 401, 403, 404, 409,
    d403="Alleen de makelaar van dit initiatief of een manager beslist.",
    d404="Initiatief of beleidsopgave onbekend, of (bij afwijzen) niet voorgesteld.",
    d409="Het initiatief is afgerond, of de opgave is niet actief.",
)


class AcceptCouplingView(APIView):
    @extend_schema(operation_id="initiative_coupling_accept", tags=[TAG],
                   summary="Een koppelkans accepteren",
                   description="Koppelt het initiatief aan de beleidsopgave (ook als die niet "
                               "was voorgesteld). Nogmaals accepteren verandert niets.",
                   parameters=[CARRIER, VERSION_HEADER], request=None,
                   responses={200: CouplingSerializer, **DECIDE_ERRORS})
    def post(self, request: Request, initiative_id: Any, carrier_code: str) -> Response:
        actor = Actor.for_user(request.user)
        initiative_for_staff(initiative_id, actor)
        row = services.decide_coupling(actor, initiative_id, carrier_code, "accepted")
        return Response(CouplingSerializer(row).data)


class RejectCouplingView(APIView):
    @extend_schema(operation_id="initiative_coupling_reject", tags=[TAG],
                   summary="Een koppelkans afwijzen",
                   description="Met een optionele reden; de afwijzing leert de rangschikking.",
                   parameters=[CARRIER, VERSION_HEADER], request=RejectInputSerializer,
                   responses={200: CouplingSerializer, **DECIDE_ERRORS})
    def post(self, request: Request, initiative_id: Any, carrier_code: str) -> Response:
        actor = Actor.for_user(request.user)
        initiative_for_staff(initiative_id, actor)
        serializer = RejectInputSerializer(data=request.data or {})
        serializer.is_valid(raise_exception=True)
        row = services.decide_coupling(actor, initiative_id, carrier_code, "rejected",
                                       serializer.validated_data.get("reason", ""))
        return Response(CouplingSerializer(row).data)
