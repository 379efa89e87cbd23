from django.urls import path

from . import views

urlpatterns = [
    path("policy-carriers", views.PolicyCarrierListView.as_view(), name="policy-carriers"),
    path("policy-carriers/<slug:code>", views.PolicyCarrierDetailView.as_view(),
         name="policy-carrier"),
    path("initiatives/<uuid:initiative_id>/couplings", views.InitiativeCouplingsView.as_view(),
         name="initiative-couplings"),
    path("initiatives/<uuid:initiative_id>/couplings/<slug:carrier_code>/accept",
         views.AcceptCouplingView.as_view(), name="initiative-coupling-accept"),
    path("initiatives/<uuid:initiative_id>/couplings/<slug:carrier_code>/reject",
         views.RejectCouplingView.as_view(), name="initiative-coupling-reject"),
]
