"""The portal's URLs plus the benchmark's floor page."""

from django.urls import path

from bench.views import floor
from portal.urls import handler404, handler500
from portal.urls import urlpatterns as portal_urlpatterns

# Not included with include(): the portal's i18n_patterns must stay in the root URLconf.
urlpatterns = [path("bench/floor/", floor, name="bench-floor"), *portal_urlpatterns]

__all__ = ["handler404", "handler500", "urlpatterns"]
