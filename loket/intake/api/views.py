"""Intake API views: thin. Parse, resolve the actor, call a service or selector, present."""

from __future__ import annotations

from typing import Any

from django.contrib.auth import authenticate
from django.utils.translation import gettext as _
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiParameter, extend_schema
from rest_framework import status
from rest_framework.authentication import SessionAuthentication, TokenAuthentication
from rest_framework.authtoken.models import Token
from rest_framework.permissions import AllowAny, BasePermission, IsAuthenticated
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.views import APIView

from loket.core.actors import Actor
from loket.core.api.openapi import problem_responses
from loket.core.api.pagination import Pagination
from loket.core.api.permissions import IsStaffMember, staff_actor
from loket.core.errors import InvalidInput
from loket.intake import selectors, services
from loket.intake.mail import tracking_url

from .serializers import (
    InitiativeDetailSerializer,
    InitiativeListSerializer,
    NoteSerializer,
    PlanUpdateRequestSerializer,
    QuestionRequestSerializer,
    QuestionSerializer,
    SubmissionCreatedSerializer,
    SubmissionRepeatedSerializer,
    SubmissionRequestSerializer,
    TextRequestSerializer,
    TokenRequestSerializer,
    TokenSerializer,
    TrackingSerializer,
)
from .throttling import IntakeThrottle, LoginThrottle

TAG_INTAKE = "initiatieven"
TAG_TRACKING = "volgen"
TAG_AUTH = "inloggen"


# Token first: an unauthenticated request then gets 401 with `WWW-Authenticate: Token`
# (DRF answers 403 when the first authenticator offers no challenge, as sessions don't).
STAFF_AUTHENTICATION = [TokenAuthentication, SessionAuthentication]


TOKEN_PARAMETER = OpenApiParameter(
    "token", OpenApiTypes.STR, OpenApiParameter.PATH,
    description="De geheime volgcode uit de link die de initiatiefnemers kregen.")

STAFF_FILTERS = [
    OpenApiParameter("state", OpenApiTypes.STR, description="Status; meerdere met komma's."),
    OpenApiParameter("area", OpenApiTypes.STR, description="Code van het gebied."),
    OpenApiParameter("department", OpenApiTypes.STR,
                     description="Code van een afdeling waaraan het is voorgelegd."),
    OpenApiParameter("broker", OpenApiTypes.STR,
                     description="Gebruikersnaam van de makelaar, of 'none' voor zonder."),
    OpenApiParameter("stalled", OpenApiTypes.BOOL, description="Alleen vastgelopen (true) "
                     "of juist niet (false)."),
    OpenApiParameter("q", OpenApiTypes.STR, description="Zoek in titel, beschrijving en "
                     "kenmerk."),
]


class InitiativeCollectionView(APIView):
    """POST: residents submit (public, throttled). GET: staff list (authenticated)."""

    # The GET list is paginated; declared here so the OpenAPI document says so too.
    pagination_class = Pagination

    def get_authenticators(self) -> list[Any]:
        # The public submission needs no identity (and so no CSRF check of a session).
        if self.request is not None and self.request.method == "POST":
            return []
        return [auth() for auth in STAFF_AUTHENTICATION]

    def get_permissions(self) -> list[BasePermission]:
        if self.request.method == "POST":
            return [AllowAny()]
        return [IsAuthenticated(), IsStaffMember()]

    def get_throttles(self) -> list[Any]:
        return [IntakeThrottle()] if self.request.method == "POST" else []

    @extend_schema(
        operation_id="initiative-submit", tags=[TAG_INTAKE], auth=[],
        summary="Een initiatief indienen",
        description="Zonder account. Antwoordt met het kenmerk en een geheime volglink (die ook "
                    "naar de contactpersoon wordt gemaild). Dezelfde titel met hetzelfde "
                    "e-mailadres van de contactpersoon binnen enkele minuten geeft 200 met het "
                    "bestaande initiatief; de volglink gaat dan alleen per e-mail.",
        request=SubmissionRequestSerializer,
        responses={201: SubmissionCreatedSerializer, 200: SubmissionRepeatedSerializer,
                   **problem_responses(400, 413, 415, 429)},
    )
    def post(self, request: Request) -> Response:
        result = services.submit_initiative(request.data)
        initiative = result.initiative
        common = {"reference": initiative.reference, "state": initiative.state,
                  "state_label": initiative.get_state_display()}
        if result.duplicate:
            return Response({**common, "duplicate": True, "detail": _(
                "Dit initiatief was al ingediend. We hebben de volglink opnieuw gemaild naar "
                "de contactpersoon.")}, status=status.HTTP_200_OK)
        body = {"id": initiative.pk, **common, "tracking_token": result.token,
                "tracking_url": tracking_url(result.token)}
        return Response(body, status=status.HTTP_201_CREATED,
                        headers={"Location": f"/api/v1/initiatives/{initiative.pk}"})

    @extend_schema(
        operation_id="initiative-list", tags=[TAG_INTAKE],
        summary="Initiatieven zoeken (medewerkers)",
        description="Makelaars en managers zien alles; een vakambtenaar ziet alleen "
                    "initiatieven die aan de eigen afdeling zijn voorgelegd. Nieuwste eerst.",
        parameters=STAFF_FILTERS,
        responses={200: InitiativeListSerializer(many=True), **problem_responses(400, 401, 403)},
    )
    def get(self, request: Request) -> Response:
        filters: dict[str, Any] = {name: request.query_params.get(name)
                                   for name in ("state", "area", "department", "broker", "q")}
        stalled = request.query_params.get("stalled")
        if stalled is not None:
            if stalled.lower() not in {"true", "false", "1", "0"}:
                raise InvalidInput({"stalled": [_("Gebruik true of false.")]})
            filters["stalled"] = stalled.lower() in {"true", "1"}
        queryset = selectors.initiative_list(staff_actor(request), filters)
        paginator = self.pagination_class()
        page = paginator.paginate_queryset(queryset, request, view=self)
        return paginator.get_paginated_response(InitiativeListSerializer(page, many=True).data)


class InitiativeDetailView(APIView):
    authentication_classes = STAFF_AUTHENTICATION
    permission_classes = [IsAuthenticated, IsStaffMember]

    @extend_schema(
        operation_id="initiative-detail", tags=[TAG_INTAKE],
        summary="Eén initiatief bekijken (medewerkers)",
        description="Persoonsgegevens van initiatiefnemers alleen voor makelaars en managers.",
        responses={200: InitiativeDetailSerializer, **problem_responses(401, 403, 404)},
    )
    def get(self, request: Request, initiative_id: str) -> Response:
        actor = staff_actor(request)
        initiative = selectors.initiative_for_staff(actor, initiative_id)
        context = {"personal_data": selectors.sees_personal_data(actor)}
        return Response(InitiativeDetailSerializer(initiative, context=context).data)


class InitiativeQuestionsView(APIView):
    authentication_classes = STAFF_AUTHENTICATION
    permission_classes = [IsAuthenticated, IsStaffMember]

    @extend_schema(
        operation_id="initiative-question-create", tags=[TAG_INTAKE],
        summary="Een vraag stellen aan de initiatiefnemers (medewerkers)",
        description="De makelaar, een manager of een vakambtenaar van een geraadpleegde "
                    "afdeling vraagt iets; de initiatiefnemers antwoorden via hun link.",
        request=QuestionRequestSerializer,
        responses={201: QuestionSerializer, **problem_responses(400, 401, 403, 404, 415)},
    )
    def post(self, request: Request, initiative_id: str) -> Response:
        actor = staff_actor(request)
        initiative = selectors.initiative_for_staff(actor, initiative_id)
        data = request.data if isinstance(request.data, dict) else {}
        question = services.ask_question(initiative, actor, data.get("text"),
                                         data.get("department"))
        return Response(QuestionSerializer(question).data, status=status.HTTP_201_CREATED)


class TrackingBase(APIView):
    """Residents act through their link only: no session, no account."""

    authentication_classes: list = []
    permission_classes = [AllowAny]

    def resolve(self, token: str) -> tuple[Any, Actor]:
        initiative = selectors.initiative_for_token(token)
        return initiative, Actor.initiators(initiative.pk)


class TrackingView(TrackingBase):
    @extend_schema(
        operation_id="tracking-detail", tags=[TAG_TRACKING], auth=[],
        parameters=[TOKEN_PARAMETER], summary="Uw initiatief volgen",
        description="Wat er gebeurde, wie aan zet is, wat de afdelingen antwoordden en "
                    "waarom, open vragen en de volgende stap.",
        responses={200: TrackingSerializer, **problem_responses(404)},
    )
    def get(self, request: Request, token: str) -> Response:
        initiative, actor = self.resolve(token)
        return Response(TrackingSerializer(selectors.tracking_overview(initiative, actor)).data)

    @extend_schema(
        operation_id="tracking-plan-update", tags=[TAG_TRACKING], auth=[],
        parameters=[TOKEN_PARAMETER], summary="Uw plan aanpassen",
        description="Titel en/of beschrijving wijzigen zolang het plan nog niet is ingediend "
                    "(status ingediend, kennismaking of uitwerking).",
        request=PlanUpdateRequestSerializer,
        responses={200: TrackingSerializer, **problem_responses(400, 404, 409, 413, 415)},
    )
    def patch(self, request: Request, token: str) -> Response:
        initiative, actor = self.resolve(token)
        initiative = services.update_plan(initiative, actor, request.data)
        return Response(TrackingSerializer(selectors.tracking_overview(initiative, actor)).data)


class TrackingNotesView(TrackingBase):
    @extend_schema(
        operation_id="tracking-note-create", tags=[TAG_TRACKING], auth=[],
        parameters=[TOKEN_PARAMETER], summary="Informatie toevoegen aan uw initiatief",
        request=TextRequestSerializer,
        responses={201: NoteSerializer, **problem_responses(400, 404, 413, 415)},
    )
    def post(self, request: Request, token: str) -> Response:
        initiative, actor = self.resolve(token)
        data = request.data if isinstance(request.data, dict) else {}
        note = services.add_note(initiative, actor, data.get("text"))
        return Response(NoteSerializer(note).data, status=status.HTTP_201_CREATED)


class TrackingAnswerView(TrackingBase):
    @extend_schema(
        operation_id="tracking-question-answer", tags=[TAG_TRACKING], auth=[],
        parameters=[TOKEN_PARAMETER], summary="Een vraag van de gemeente beantwoorden",
        request=TextRequestSerializer,
        responses={200: QuestionSerializer, **problem_responses(400, 404, 409, 413, 415)},
    )
    def post(self, request: Request, token: str, question_id: int) -> Response:
        initiative, actor = self.resolve(token)
        data = request.data if isinstance(request.data, dict) else {}
        question = services.answer_question(initiative, actor, question_id, data.get("text"))
        return Response(QuestionSerializer(question).data)


class AuthTokenView(APIView):
    """Username and password for a DRF token (`Authorization: Token ...`); staff only."""

    authentication_classes: list = []
    permission_classes = [AllowAny]
    throttle_classes = [LoginThrottle]

    @extend_schema(
        operation_id="auth-token-create", tags=[TAG_AUTH], auth=[],
        summary="Inloggen: een token voor de API ophalen",
        description="Gebruikersnaam en wachtwoord van een medewerker; stuur het token daarna "
                    "mee als 'Authorization: Token <token>'. Pogingen zijn beperkt per client.",
        request=TokenRequestSerializer,
        responses={200: TokenSerializer, **problem_responses(400, 415, 429)},
    )
    def post(self, request: Request) -> Response:
        data = request.data if isinstance(request.data, dict) else {}
        errors: dict[str, list[str]] = {}
        username, password = data.get("username"), data.get("password")
        for name, value in (("username", username), ("password", password)):
            if not isinstance(value, str) or not value:
                errors[name] = [_("Dit veld is verplicht.")]
        if errors:
            raise InvalidInput(errors)
        user = authenticate(request._request, username=username, password=password)
        if user is None or not Actor.for_user(user).is_staff_member:
            # One answer for a wrong password, an unknown user and a user without a role.
            raise InvalidInput({"body": [_("Onjuiste gebruikersnaam of wachtwoord.")]})
        token, _created = Token.objects.get_or_create(user=user)
        return Response({"token": token.key})

