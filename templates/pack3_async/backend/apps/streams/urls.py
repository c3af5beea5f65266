from django.urls import path

from .views import job_events

urlpatterns = [
    path("jobs/<uuid:pk>/events/", job_events, name="job-events"),
]
