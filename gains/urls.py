"""The public gains pages, below /prosjekter/ beside the project pages (portal.urls puts
these first; projects.models.RESERVED_SLUGS keeps a project from taking their names)."""

from django.urls import path

from gains import views

app_name = "gains"

urlpatterns = [
    path("gevinster/", views.gains_overview, name="overview"),
    path(
        "gevinster/<slug:municipality>/",
        views.gains_overview,
        name="overview_municipality",
    ),
    path("tatt-i-bruk/", views.gains_showcase, name="showcase"),
    path(
        "tatt-i-bruk/<slug:municipality>/",
        views.gains_showcase,
        name="showcase_municipality",
    ),
]
