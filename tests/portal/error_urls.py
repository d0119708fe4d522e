"""The site's URLs plus one view that fails, to see the 500 page as a visitor would."""

from django.conf.urls.i18n import i18n_patterns
from django.urls import path

from portal.urls import handler404, handler500  # noqa: F401
from portal.urls import urlpatterns as site_urlpatterns


def broken_view(request):
    raise RuntimeError("A bug, as it would happen in a view.")


urlpatterns = (
    i18n_patterns(path("feil-til-test/", broken_view), prefix_default_language=False)
    + site_urlpatterns
)
