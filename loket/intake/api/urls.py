from django.urls import path

from . import views

urlpatterns = [
    path("initiatives", views.InitiativeCollectionView.as_view(), name="initiatives"),
    path("initiatives/<uuid:initiative_id>", views.InitiativeDetailView.as_view(),
         name="initiative-detail"),
    path("initiatives/<uuid:initiative_id>/questions", views.InitiativeQuestionsView.as_view(),
         name="initiative-questions"),
    path("tracking/<str:token>", views.TrackingView.as_view(), name="tracking"),
    path("tracking/<str:token>/notes", views.TrackingNotesView.as_view(),
         name="tracking-notes"),
    path("tracking/<str:token>/questions/<int:question_id>/answer",
         views.TrackingAnswerView.as_view(), name="tracking-answer"),
    path("auth/token", views.AuthTokenView.as_view(), name="auth-token"),
]
