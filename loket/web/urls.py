"""Pages for people (the API is under /api/v1). Paths in Dutch: residents read them."""

from django.urls import path

from .views import auth, broker, manager, official, public, resident

app_name = "web"

urlpatterns = [
    path("", public.home, name="home"),
    path("toegankelijkheid", public.accessibility, name="accessibility"),
    path("login", auth.LoginView.as_view(), name="login"),
    path("logout", auth.LogoutView.as_view(), name="logout"),
    # residents
    path("initiatief/nieuw", resident.intake, name="intake"),
    path("initiatief/ontvangen", resident.intake_received, name="intake_received"),
    path("volgen/<str:token>", resident.tracking, name="tracking"),
    path("volgen/<str:token>/stap/<slug:name>", resident.tracking_transition,
         name="tracking_transition"),
    path("volgen/<str:token>/aanvulling", resident.tracking_note, name="tracking_note"),
    path("volgen/<str:token>/vragen/<int:question_id>", resident.tracking_answer,
         name="tracking_answer"),
    # brokers (and managers)
    path("makelaar", broker.board, name="board"),
    path("makelaar/initiatieven/<uuid:initiative_id>", broker.initiative_detail,
         name="initiative"),
    path("makelaar/initiatieven/<uuid:initiative_id>/stap/<slug:name>",
         broker.initiative_transition, name="initiative_transition"),
    path("makelaar/initiatieven/<uuid:initiative_id>/routering", broker.routing_update,
         name="routing_update"),
    path("makelaar/initiatieven/<uuid:initiative_id>/koppelkansen/<slug:carrier_code>",
         broker.coupling_decide, name="coupling_decide"),
    # officials
    path("afdeling", official.inbox, name="inbox"),
    path("afdeling/vragen/<int:request_id>", official.answer, name="answer"),
    # managers
    path("manager/vastgelopen", manager.stalled, name="stalled"),
    path("manager/overzicht", manager.summary, name="summary"),
    path("manager/kaart", manager.initiative_map, name="map"),
]
