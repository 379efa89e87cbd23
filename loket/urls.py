"""Root URLs. The API lives under /api/v1 without trailing slashes (NL API Design Rules)."""

from django.conf import settings
from django.contrib import admin
from django.urls import include, path

from loket.core.api.schema import OpenApiView

api_v1 = [
    path("", include("loket.core.api.urls")),
    path("openapi.json", OpenApiView.as_view(), name="openapi"),
    path("", include("loket.intake.api.urls")),
    path("", include("loket.workflow.api.urls")),
    path("", include("loket.routing.api.urls")),
    path("", include("loket.coupling.api.urls")),
    path("", include("loket.monitoring.api.urls")),
    path("", include("loket.privacy.api.urls")),
]

urlpatterns = [
    path("admin/", admin.site.urls),
    path("api/v1/", include(api_v1)),
    path("i18n/", include("django.conf.urls.i18n")),
    path("", include("loket.web.urls")),
]
if settings.LOKET_BENCH_BARE:  # bench/load_intake.py's baseline; off unless asked for
    urlpatterns.insert(0, path("bench/", include("bench.bareview")))
if settings.OIDC_ENABLED:
    urlpatterns.insert(0, path("oidc/", include("mozilla_django_oidc.urls")))

handler404 = "loket.core.views.not_found"
handler500 = "loket.core.views.server_error"
