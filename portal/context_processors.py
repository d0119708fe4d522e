from django.conf import settings
from django.http import HttpRequest


def portal(request: HttpRequest) -> dict[str, object]:
    return {
        "MUNICIPALITY_NAME": settings.PORTAL_MUNICIPALITY_NAME,
        "SITE_NAME": settings.WAGTAIL_SITE_NAME,
    }
