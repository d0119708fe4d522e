from django.conf import settings
from django.conf.urls.i18n import i18n_patterns
from django.contrib import admin
from django.urls import include, path
from django.views.i18n import JavaScriptCatalog
from wagtail import urls as wagtail_urls
from wagtail.admin import urls as wagtailadmin_urls
from wagtail.documents import urls as wagtaildocs_urls

from portal import crawlers, views

# The Wagtail admin and Django admin are not language-prefixed: staff choose their admin
# language in their Wagtail profile.
urlpatterns = [
    path("admin/", include(wagtailadmin_urls)),
    path("django-admin/", admin.site.urls),
    path("documents/", include(wagtaildocs_urls)),
    path("i18n/", include("django.conf.urls.i18n")),
    # For crawlers and browsers, in no language: the sitemap lists every language.
    path("robots.txt", crawlers.robots_txt, name="robots_txt"),
    path("favicon.ico", crawlers.favicon, name="favicon"),
    path("", include("ideas.sitemap_urls")),
    # Open data: the solution library as JSON and CSV, in no language.
    path("", include("solutions.export_urls")),
]

# Public pages: Norwegian Bokmål at "/", English under "/en/".
urlpatterns += i18n_patterns(
    path("accounts/", include("portal.account_urls")),
    path("ideas/", include("ideas.urls")),
    # The gains pages first: their addresses are names no project may take.
    path("prosjekter/", include("gains.urls")),
    path("prosjekter/", include("projects.urls")),
    path("losninger/", include("solutions.urls")),
    path("search/", include("search.urls")),
    path("", include("cocreation.urls")),
    path("jsi18n/", JavaScriptCatalog.as_view(), name="javascript-catalog"),
    path("", include(wagtail_urls)),
    prefix_default_language=False,
)

handler404 = views.page_not_found
handler500 = views.server_error

if settings.DEBUG:
    from django.conf.urls.static import static

    urlpatterns = static(settings.MEDIA_URL, document_root=settings.MEDIA_ROOT) + urlpatterns
