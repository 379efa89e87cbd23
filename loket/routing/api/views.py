"""Thin views: resolve the actor, validate shapes, call a service or selector, serialize."""

from __future__ import annotations

import uuid
from typing import Any

from django.shortcuts import get_object_or_404
from django.utils.translation import gettext_lazy as _
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiParameter, OpenApiResponse, extend_schema
from rest_framework import status
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.views import APIView

from loket.core.actors import Actor
from loket.core.api.pagination import Pagination
from loket.core.api.permissions import staff_actor
from loket.core.errors import InvalidInput

from .. import selectors, services
from ..models import RoutingProposal
from . import serializers as s

PROBLEM = OpenApiResponse(
    response={"type": "object", "properties": {
        "type": {"type": "string"}, "title": {"type": "string"}, "status": {"type": "integer"},
        "detail": {"type": "string"}, "instance": {"type": "string"},
        "invalid_params": {"type": "array", "items": {"type": "object"}}}},
    description="Problem details (RFC 9457), application/problem+json")
ERRORS = {400: PROBLEM, 401: PROBLEM, 403: PROBLEM, 404: PROBLEM, 409: PROBLEM}


DOC = {  # operation descriptions (NL GOV API Design Rules ask for one per operation)
    "departmentList": (
        "De vakafdelingen met hun functionele mailbox, ambtenaren en antwoordtermijn in "
        "werkdagen. Voor alle medewerkers."
    ),
    "departmentCreate": (
        "Een nieuwe afdeling; ambtenaren op gebruikersnaam. Alleen managers."
    ),
    "departmentRetrieve": (
        "Eén afdeling op code."
    ),
    "departmentUpdate": (
        "Wijzigt velden van een afdeling (bijvoorbeeld de antwoordtermijn of de ambtenaren). "
        "Alleen managers."
    ),
    "routingRuleList": (
        "Alle routeringsregels in volgorde. Een regel vuurt als al zijn ingestelde "
        "voorwaarden gelden: woorden (met gewichten, herkend in meervoud, samenstellingen en "
        "met tikfouten), gevraagde ondersteuning, minimaal budget en gebieden."
    ),
    "routingRuleCreate": (
        "Een nieuwe regel; alle ongeldige velden worden tegelijk gemeld. Alleen managers."
    ),
    "routingRuleRetrieve": (
        "Eén routeringsregel."
    ),
    "routingRuleUpdate": (
        "Wijzigt velden van een regel, bijvoorbeeld gewichten of actief. Alleen managers."
    ),
    "routingRuleDestroy": (
        "Verwijdert een regel. Een regel tijdelijk uitzetten kan met active=false. Alleen "
        "managers."
    ),
    "routingDryRun": (
        "Laat zien welke regels zouden vuren voor een titel, beschrijving, budget, "
        "ondersteuning en gebied, met per voorwaarde of die geldt en welke woorden gevonden "
        "zijn. Slaat niets op."
    ),
    "initiativeRoutingRetrieve": (
        "De voorgestelde afdelingen met redenen (regels en gevonden woorden) en wat de "
        "makelaar ermee deed. Voor makelaars en managers."
    ),
    "initiativeRoutingUpdate": (
        "Legt de volledige set afdelingen vast; afdelingen die niet genoemd worden vallen af. "
        "Kan alleen zolang het initiatief nog niet in afstemming is. De correcties worden "
        "bewaard en gebruikt om later beter te routeren."
    ),
    "initiativeRoutingPartialUpdate": (
        "Voegt afdelingen toe (add) of haalt ze weg (remove); de rest blijft zoals "
        "voorgesteld. Kan alleen zolang het initiatief nog niet in afstemming is."
    ),
    "requestList": (
        "De inbox: een ambtenaar ziet alleen de vragen aan de eigen afdeling, makelaars en "
        "managers zien alles. Te late vragen eerst, daarna op uiterste antwoorddatum."
    ),
    "requestRetrieve": (
        "De vraag, waarom die bij de afdeling ligt, de antwoorddatum en alle antwoorden (ook "
        "vervangen antwoorden)."
    ),
    "requestAnswer": (
        "Besluit akkoord, akkoord onder voorwaarden, niet akkoord of gesprek nodig. Een "
        "motivering is verplicht behalve bij akkoord; niet akkoord vraagt ook een "
        "alternatief; gesprek nodig vraagt een voorstel en moment. Een antwoord is "
        "definitief: een correctie is een nieuw antwoord met supersedes. Gelijktijdige "
        "antwoorden: één wint, de ander krijgt 409."
    ),
}


def actor_of(request: Request) -> Actor:
    return Actor.for_user(request.user)


def _paginate(view: APIView, request: Request, queryset: Any, serializer: Any) -> Response:
    paginator = view.pagination_class() if view.pagination_class else None
    if paginator is None:
        return Response(serializer(queryset, many=True).data)
    page = paginator.paginate_queryset(queryset, request, view=view)
    return paginator.get_paginated_response(serializer(page, many=True).data)


class PaginatedView(APIView):
    pagination_class = Pagination


# -- configuration ---------------------------------------------------------------------

class DepartmentListView(PaginatedView):
    @extend_schema(operation_id="departmentList",
                   description=DOC["departmentList"], tags=["routering"],
                   summary="Afdelingen opvragen", responses={200: s.DepartmentSerializer(
                       many=True), **ERRORS})
    def get(self, request: Request) -> Response:
        staff_actor(request)
        return _paginate(self, request, selectors.departments(), s.DepartmentSerializer)

    @extend_schema(operation_id="departmentCreate",
                   description=DOC["departmentCreate"], tags=["routering"],
                   summary="Afdeling aanmaken (manager)", request=s.DepartmentInputSerializer,
                   responses={201: s.DepartmentSerializer, **ERRORS})
    def post(self, request: Request) -> Response:
        actor = actor_of(request)
        data = s.DepartmentInputSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        values = dict(data.validated_data)
        officials = values.pop("officials", None)
        department = services.save_department(actor, values, officials=officials)
        return Response(s.DepartmentSerializer(department).data, status=status.HTTP_201_CREATED)


class DepartmentDetailView(APIView):
    @extend_schema(operation_id="departmentRetrieve",
                   description=DOC["departmentRetrieve"], tags=["routering"],
                   summary="Afdeling opvragen", responses={200: s.DepartmentSerializer, **ERRORS})
    def get(self, request: Request, code: str) -> Response:
        staff_actor(request)
        return Response(s.DepartmentSerializer(
            get_object_or_404(selectors.departments(), code=code)).data)

    @extend_schema(operation_id="departmentUpdate",
                   description=DOC["departmentUpdate"], tags=["routering"],
                   summary="Afdeling wijzigen (manager)",
                   request=s.DepartmentInputSerializer(partial=True),
                   responses={200: s.DepartmentSerializer, **ERRORS})
    def patch(self, request: Request, code: str) -> Response:
        actor = staff_actor(request)
        department = get_object_or_404(selectors.departments(), code=code)
        data = s.DepartmentInputSerializer(data=request.data, partial=True)
        data.is_valid(raise_exception=True)
        values = dict(data.validated_data)
        officials = values.pop("officials", None)
        department = services.save_department(actor, values, department, officials=officials)
        return Response(s.DepartmentSerializer(department).data)


class RuleListView(PaginatedView):
    @extend_schema(operation_id="routingRuleList",
                   description=DOC["routingRuleList"], tags=["routering"],
                   summary="Routeringsregels opvragen, in volgorde",
                   responses={200: s.RuleSerializer(many=True), **ERRORS})
    def get(self, request: Request) -> Response:
        staff_actor(request)
        return _paginate(self, request, selectors.rules(), s.RuleSerializer)

    @extend_schema(operation_id="routingRuleCreate",
                   description=DOC["routingRuleCreate"], tags=["routering"],
                   summary="Routeringsregel aanmaken (manager)", request=s.RuleInputSerializer,
                   responses={201: s.RuleSerializer, **ERRORS})
    def post(self, request: Request) -> Response:
        actor = actor_of(request)
        data = s.RuleInputSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        rule = services.save_rule(actor, data.validated_data)
        return Response(s.RuleSerializer(rule).data, status=status.HTTP_201_CREATED)


class RuleDetailView(APIView):
    @extend_schema(operation_id="routingRuleRetrieve",
                   description=DOC["routingRuleRetrieve"], tags=["routering"],
                   summary="Routeringsregel opvragen", responses={200: s.RuleSerializer, **ERRORS})
    def get(self, request: Request, rule_id: int) -> Response:
        staff_actor(request)
        return Response(s.RuleSerializer(get_object_or_404(selectors.rules(), pk=rule_id)).data)

    @extend_schema(operation_id="routingRuleUpdate",
                   description=DOC["routingRuleUpdate"], tags=["routering"],
                   summary="Routeringsregel wijzigen (manager)",
                   request=s.RuleInputSerializer, responses={200: s.RuleSerializer, **ERRORS})
    def patch(self, request: Request, rule_id: int) -> Response:
        actor = staff_actor(request)
        rule = get_object_or_404(selectors.rules(), pk=rule_id)
        data = s.RuleInputSerializer(data=request.data, partial=True)
        data.is_valid(raise_exception=True)
        rule = services.save_rule(actor, data.validated_data, rule)
        return Response(s.RuleSerializer(selectors.rules().get(pk=rule.pk)).data)

    @extend_schema(operation_id="routingRuleDestroy",
                   description=DOC["routingRuleDestroy"], tags=["routering"],
                   summary="Routeringsregel verwijderen (manager)",
                   responses={204: None, **ERRORS})
    def delete(self, request: Request, rule_id: int) -> Response:
        actor = staff_actor(request)
        services.delete_rule(actor, get_object_or_404(selectors.rules(), pk=rule_id))
        return Response(status=status.HTTP_204_NO_CONTENT)


class DryRunView(APIView):
    @extend_schema(operation_id="routingDryRun",
                   description=DOC["routingDryRun"], tags=["routering"],
                   summary="Uitproberen welke regels vuren en waarom",
                   request=s.DryRunInputSerializer, responses={200: s.DryRunSerializer, **ERRORS})
    def post(self, request: Request) -> Response:
        data = s.DryRunInputSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        evaluation = services.dry_run(actor_of(request), **data.validated_data)
        return Response({"departments": evaluation.department_codes(),
                         "rules": [r.as_dict() for r in evaluation.results]})


# -- the broker's routing of one initiative ------------------------------------------------

def _routing_body(proposal: RoutingProposal) -> dict[str, Any]:
    state = proposal.initiative.state
    editable = state in services.EDITABLE_STATES or (
        state == "paused" and proposal.initiative.paused_from in services.EDITABLE_STATES)
    return s.RoutingSerializer({
        "initiative_id": proposal.initiative_id, "computed_at": proposal.computed_at,
        "confirmed_at": proposal.confirmed_at, "routed_at": proposal.routed_at,
        "editable": editable, "departments": list(proposal.departments.all()),
    }).data


class InitiativeRoutingView(APIView):
    @extend_schema(operation_id="initiativeRoutingRetrieve",
                   description=DOC["initiativeRoutingRetrieve"], tags=["routering"],
                   summary="Routeringsvoorstel van een initiatief",
                   responses={200: s.RoutingSerializer, **ERRORS})
    def get(self, request: Request, initiative_id: str) -> Response:
        return Response(_routing_body(services.routing_of(actor_of(request), initiative_id)))

    @extend_schema(operation_id="initiativeRoutingUpdate",
                   description=DOC["initiativeRoutingUpdate"], tags=["routering"],
                   summary="Afdelingen van een initiatief vastleggen (makelaar)",
                   request=s.RoutingPutSerializer, responses={200: s.RoutingSerializer, **ERRORS})
    def put(self, request: Request, initiative_id: str) -> Response:
        data = s.RoutingPutSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        proposal = services.update_routing(actor_of(request), initiative_id,
                                           departments=data.validated_data["departments"])
        return Response(_routing_body(proposal))

    @extend_schema(operation_id="initiativeRoutingPartialUpdate",
                   description=DOC["initiativeRoutingPartialUpdate"], tags=["routering"],
                   summary="Afdelingen toevoegen of verwijderen (makelaar)",
                   request=s.RoutingPatchSerializer,
                   responses={200: s.RoutingSerializer, **ERRORS})
    def patch(self, request: Request, initiative_id: str) -> Response:
        data = s.RoutingPatchSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        proposal = services.update_routing(actor_of(request), initiative_id,
                                           add=data.validated_data["add"],
                                           remove=data.validated_data["remove"])
        return Response(_routing_body(proposal))


# -- the department inbox ------------------------------------------------------------------

class RequestListView(PaginatedView):
    @extend_schema(
        operation_id="requestList",
                   description=DOC["requestList"], tags=["inbox"],
        summary="Uitgezette vragen (te laat eerst, dan op antwoorddatum)",
        parameters=[
            OpenApiParameter("status", OpenApiTypes.STR, enum=["open", "answered", "overdue"],
                             description="open, beantwoord of te laat"),
            OpenApiParameter("department", OpenApiTypes.STR, description="afdelingscode"),
            OpenApiParameter("initiative", OpenApiTypes.UUID, description="initiatief"),
        ],
        responses={200: s.RequestSerializer(many=True), **ERRORS})
    def get(self, request: Request) -> Response:
        params = request.query_params
        wanted = params.get("status")
        if wanted not in (None, "", "open", "answered", "overdue"):
            raise InvalidInput({"status": [_("Kies open, answered of overdue.")]})
        initiative = params.get("initiative") or None
        if initiative:
            try:
                initiative = uuid.UUID(initiative)
            except ValueError:
                raise InvalidInput({"initiative": [_("Geen geldig initiatief-id.")]}) from None
        qs = selectors.requests_for(actor_of(request), status=wanted or None,
                                    department=params.get("department") or None,
                                    initiative=initiative)
        return _paginate(self, request, qs, s.RequestSerializer)


class RequestDetailView(APIView):
    @extend_schema(operation_id="requestRetrieve",
                   description=DOC["requestRetrieve"], tags=["inbox"],
                   summary="Eén uitgezette vraag met alle antwoorden",
                   responses={200: s.RequestDetailSerializer, **ERRORS})
    def get(self, request: Request, request_id: int) -> Response:
        return Response(s.RequestDetailSerializer(
            selectors.request_for(actor_of(request), request_id)).data)


class AnswerView(APIView):
    @extend_schema(operation_id="requestAnswer",
                   description=DOC["requestAnswer"], tags=["inbox"],
                   summary="Vraag beantwoorden (of een antwoord corrigeren met supersedes)",
                   request=s.RequestAnswerInputSerializer,
                   responses={201: s.RequestAnswerSerializer, **ERRORS})
    def post(self, request: Request, request_id: int) -> Response:
        data = s.RequestAnswerInputSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        answer = services.answer_request(actor_of(request), request_id, **data.validated_data)
        return Response(s.RequestAnswerSerializer(answer).data, status=status.HTTP_201_CREATED)
