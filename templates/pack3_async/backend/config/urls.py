"""URL routes. The API lives under /api/ (proxied by the frontend), operations under /internal/."""

from django.contrib import admin
from django.urls import include, path
from drf_spectacular.views import SpectacularAPIView

from apps.metrics.stream_check import stream_check

urlpatterns = [
    path("admin/", admin.site.urls),
    path("api/auth/", include("apps.accounts.urls")),
    path("api/", include("apps.reports.urls")),
    path("api/", include("apps.jobs.urls")),
    path("api/", include("apps.streams.urls")),  # pack 3: job progress over SSE
    path("api/lookup/", include("apps.lookup.urls")),
    # pack 3: for `stackpacks doctor`, an event stream it times through the front door
    path("api/signals/stream-check/", stream_check, name="signals-stream-check"),
    path("api/schema/", SpectacularAPIView.as_view(), name="schema"),
    path("", include("apps.metrics.urls")),
]
