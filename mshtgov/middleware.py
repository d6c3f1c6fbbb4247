"""Session lifetime and caching rules that apply to every signed-in page."""

import logging
import re
import time

from django.conf import settings
from django.contrib.auth import logout
from django.contrib.auth import middleware as auth_middleware
from django.contrib.auth.views import redirect_to_login
from django.shortcuts import render
from django.utils.functional import SimpleLazyObject

from mshtgov import authcache, roles, sessions

logger = logging.getLogger(__name__)


def _get_user(request):
    if not hasattr(request, "_cached_user"):
        request._cached_user = authcache.get_user(request)
    return request._cached_user


class AuthenticationMiddleware(auth_middleware.AuthenticationMiddleware):
    """Django's, with the signed-in user (and their roles and permissions) read from the shared cache
    when it holds them as they are now (`mshtgov.authcache`), instead of two queries per request."""

    def process_request(self, request):
        super().process_request(request)
        authcache.prefetch(request)
        request.user = SimpleLazyObject(lambda: _get_user(request))


class AbsoluteSessionLifetimeMiddleware:
    """Signs a user out SESSION_ABSOLUTE_SECONDS after they signed in, however active they are, and
    keeps the idle timeout sliding: activity renews the session (at most once every
    SESSION_RENEW_SECONDS, see `mshtgov.sessions.renew_if_due`)."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        if request.user.is_authenticated:
            started = request.session.setdefault("signed_in_at", int(time.time()))
            if time.time() - started > settings.SESSION_ABSOLUTE_SECONDS:
                logout(request)
                return redirect_to_login(request.get_full_path())
            sessions.renew_if_due(request.session)
            # Every signed-in page asks for roles and permissions (its gate, the menu): one query for both,
            # unless the user came from the cache with them (mshtgov.authcache).
            roles.roles_of(request.user)
        return self.get_response(request)


class NoStoreForSignedInMiddleware:
    """Pages for signed-in users may hold sensitive records: no shared or back-button caching."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        response = self.get_response(request)
        if getattr(request, "user", None) is not None and request.user.is_authenticated:
            response.setdefault("Cache-Control", "no-store")
        return response


# C0 control characters and DEL, but not tab, line feed or carriage return (a textarea sends those).
# PostgreSQL refuses NUL in text (a 500 on any filter that reaches a query); the others have no place in
# anything a person types and would end up in records, exports and logs.
_CONTROL_CHARACTERS = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f]")


def has_control_characters(query_dict) -> bool:
    """True when a parameter's name or any of its values holds a control character."""
    return any(
        _CONTROL_CHARACTERS.search(key) or any(_CONTROL_CHARACTERS.search(value) for value in values)
        for key, values in query_dict.lists()
    )


class RefuseControlCharactersMiddleware:
    """Refuses (400) a request with a control character in any GET or POST parameter, once for every app,
    before any view, form or query sees it. Uploaded files are not parameters and are not looked at."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        if has_control_characters(request.GET) or (request.method == "POST" and has_control_characters(request.POST)):
            logger.warning("Refused a request with control characters in its parameters: %s", request.path)
            return render(request, "400.html", status=400)
        return self.get_response(request)
