from django.conf import settings
from django.utils.functional import SimpleLazyObject

from mshtgov import navigation, sessions
from mshtgov.marking import page_marking
from mshtgov.mfa import is_pending

_URLS = navigation.PageUrls()


def service(request):
    return {
        "service_name": settings.SERVICE_NAME,
        # The layout's links (`{{ urls.home }}`), reversed once per process rather than on every page.
        "urls": _URLS,
        # No menu before the second step: every entry would only lead back to the two-step page.
        "nav_items": SimpleLazyObject(lambda: [] if is_pending(request) else navigation.menu_for(request)),
        "page_marking": SimpleLazyObject(lambda: page_marking(request).label),
        # Seconds until the idle sign-out from now: the last renewal may be up to a minute old.
        "session_timeout_seconds": SimpleLazyObject(lambda: sessions.seconds_left(request.session)),
        "session_warning_seconds": settings.SESSION_WARNING_SECONDS,
    }
