from django.urls import path

from . import views

urlpatterns = [
    path("tracking/<str:token>/data", views.TrackingDataView.as_view(), name="tracking-data"),
]
