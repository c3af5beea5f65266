from django.urls import path

from .views import LookupView

urlpatterns = [
    path("", LookupView.as_view(), name="lookup"),
]
