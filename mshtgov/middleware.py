"""Session lifetime and caching rules that apply to every signed-in page."""

import time

from django.conf import settings
from django.contrib.auth import logout
from django.contrib.auth.views import redirect_to_login

from mshtgov import roles, sessions


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
            # Every signed-in page asks for roles and permissions (its gate, the menu): one query for both.
            roles.load_grants(request.user)
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
