from django.conf import settings
from django.utils.functional import SimpleLazyObject

from mshtgov import navigation
from mshtgov.marking import page_marking


def service(request):
    return {
        "service_name": settings.SERVICE_NAME,
        "nav_items": SimpleLazyObject(lambda: navigation.menu_for(request)),
        "page_marking": SimpleLazyObject(lambda: page_marking(request).label),
        "session_timeout_seconds": settings.SESSION_COOKIE_AGE,
        "session_warning_seconds": settings.SESSION_WARNING_SECONDS,
    }
