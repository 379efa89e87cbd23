from django.urls import path

from . import views

urlpatterns = [
    path("departments", views.DepartmentListView.as_view(), name="department-list"),
    path("departments/<slug:code>", views.DepartmentDetailView.as_view(),
         name="department-detail"),
    path("routing-rules", views.RuleListView.as_view(), name="routing-rule-list"),
    path("routing-rules/<int:rule_id>", views.RuleDetailView.as_view(),
         name="routing-rule-detail"),
    path("routing/dry-run", views.DryRunView.as_view(), name="routing-dry-run"),
    path("initiatives/<uuid:initiative_id>/routing", views.InitiativeRoutingView.as_view(),
         name="initiative-routing"),
    path("requests", views.RequestListView.as_view(), name="request-list"),
    path("requests/<int:request_id>", views.RequestDetailView.as_view(), name="request-detail"),
    path("requests/<int:request_id>/answer", views.AnswerView.as_view(), name="request-answer"),
]
