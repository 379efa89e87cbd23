from django.urls import path

from .views import StalledView, SummaryView

urlpatterns = [
    path("dashboard/stalled", StalledView.as_view(), name="dashboard-stalled"),
    path("dashboard/summary", SummaryView.as_view(), name="dashboard-summary"),
]
