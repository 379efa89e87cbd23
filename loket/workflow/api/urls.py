from django.urls import path

from . import views

urlpatterns = [
    path("initiatives/<uuid:initiative_id>/transitions",
         views.InitiativeTransitionsView.as_view(), name="initiative-transitions"),
    path("initiatives/<uuid:initiative_id>/transitions/<str:name>",
         views.InitiativeFireTransitionView.as_view(), name="initiative-transition-fire"),
    path("initiatives/<uuid:initiative_id>/history",
         views.InitiativeHistoryView.as_view(), name="initiative-history"),
    path("tracking/<str:token>/transitions",
         views.TrackingTransitionsView.as_view(), name="tracking-transitions"),
    path("tracking/<str:token>/transitions/<str:name>",
         views.TrackingFireTransitionView.as_view(), name="tracking-transition-fire"),
]
