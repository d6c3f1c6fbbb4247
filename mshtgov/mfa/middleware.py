"""The gate between the password step and the rest of the service."""

from django.conf import settings
from django.contrib.auth.views import redirect_to_login
from django.urls import reverse

from mshtgov.mfa import is_pending


class TwoStepMiddleware:
    """Until the second step is done, every page redirects (302) to the two-step page, keeping where
    the user was going as `next`. Only what the second step itself needs stays reachable: sign-in,
    sign-out, the two-step pages, "stay signed in", /healthz and static files.

    Placed after the session-lifetime middleware, so an expired session goes to sign-in instead.
    """

    def __init__(self, get_response):
        self.get_response = get_response
        self._open_prefixes: tuple[str, ...] | None = None

    def open_prefixes(self) -> tuple[str, ...]:
        # Reversed on first use, not at start-up: the URLconf may not be loaded yet then.
        if self._open_prefixes is None:
            self._open_prefixes = (
                reverse("login"),
                reverse("logout"),
                reverse("healthz"),
                # The idle-timeout warning shows on the two-step page too; staying signed in must work.
                reverse("session-extend"),
                "/accounts/two-step/",
                settings.STATIC_URL,
            )
        return self._open_prefixes

    def __call__(self, request):
        if is_pending(request) and not request.path_info.startswith(self.open_prefixes()):
            return redirect_to_login(request.get_full_path(), login_url=reverse("mfa-verify"))
        return self.get_response(request)
