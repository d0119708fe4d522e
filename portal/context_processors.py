from django.conf import settings
from django.http import HttpRequest

ADMIN_LINK_SESSION_KEY = "portal_admin_link"


def show_admin_link(request: HttpRequest) -> bool:
    """Whether the header links to the admin, remembered in the session.

    Looking the permission up costs two queries on every page; the answer only decides
    whether a link is shown (the admin checks permissions itself), so it is decided once
    per session: at log-in (`remember_admin_link`), or on the first page of a session
    that began before this existed.
    """
    user = getattr(request, "user", None)
    if user is None or not user.is_authenticated:
        return False
    session = getattr(request, "session", None)
    remembered = session.get(ADMIN_LINK_SESSION_KEY) if session is not None else None
    if remembered is not None and remembered[0] == user.pk:
        return bool(remembered[1])
    allowed = user.is_superuser or user.has_perm("wagtailadmin.access_admin")
    if session is not None:
        session[ADMIN_LINK_SESSION_KEY] = [user.pk, allowed]
    return allowed


def remember_admin_link(sender, request: HttpRequest, user, **kwargs) -> None:
    """Signal receiver for user_logged_in: decide at log-in, so pages never write the session."""
    if request is not None and hasattr(request, "session"):
        allowed = user.is_superuser or user.has_perm("wagtailadmin.access_admin")
        request.session[ADMIN_LINK_SESSION_KEY] = [user.pk, allowed]


def portal(request: HttpRequest) -> dict[str, object]:
    return {
        "MUNICIPALITY_NAME": settings.PORTAL_MUNICIPALITY_NAME,
        "SITE_NAME": settings.WAGTAIL_SITE_NAME,
        # A callable: templates call it only where they use it.
        "show_admin_link": lambda: show_admin_link(request),
    }
