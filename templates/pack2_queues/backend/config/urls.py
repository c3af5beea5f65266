"""URL routes. The API lives under /api/ (proxied by the frontend), operations under /internal/."""

from django.contrib import admin
from django.urls import include, path
from drf_spectacular.views import SpectacularAPIView

urlpatterns = [
    path("admin/", admin.site.urls),
    path("api/auth/", include("apps.accounts.urls")),
    path("api/", include("apps.reports.urls")),
    path("api/", include("apps.jobs.urls")),
    path("api/lookup/", include("apps.lookup.urls")),
    path("api/schema/", SpectacularAPIView.as_view(), name="schema"),
    path("", include("apps.metrics.urls")),
]
