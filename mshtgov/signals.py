"""Authentication events go to the `security` log with who, where and when (UTC, one JSON line each)."""

import logging
import time

from axes.signals import user_locked_out
from django.contrib.auth.signals import user_logged_in, user_logged_out, user_login_failed
from django.dispatch import receiver

from mshtgov import sessions
from mshtgov.mfa import VERIFIED_SESSION_KEY

log = logging.getLogger("security")


def _where(request) -> dict:
    if request is None:
        return {}
    return {"ip": request.META.get("REMOTE_ADDR"), "path": request.path}


@receiver(user_logged_in, dispatch_uid="security-login")
def _logged_in(sender, request, user, **kwargs):
    if request is not None and hasattr(request, "session"):
        # Start of the absolute session lifetime (mshtgov.middleware).
        request.session["signed_in_at"] = int(time.time())
        sessions.renew(request.session)  # the idle timeout starts at sign-in too
        # A password sign-in always starts a new second step (mshtgov.mfa).
        request.session.pop(VERIFIED_SESSION_KEY, None)
        if request.session.session_key:
            sessions.session_started(user, request.session.session_key)
    log.info("sign-in", extra={"event": "login", "user_id": user.pk, **_where(request)})


@receiver(user_logged_out, dispatch_uid="security-logout")
def _logged_out(sender, request, user, **kwargs):
    if request is not None and hasattr(request, "session"):
        sessions.session_ended(request.session.session_key)
    log.info("sign-out", extra={"event": "logout", "user_id": getattr(user, "pk", None), **_where(request)})


@receiver(user_login_failed, dispatch_uid="security-login-failed")
def _login_failed(sender, credentials, request=None, **kwargs):
    # The attempted username is not logged: it is often a mistyped password.
    log.warning("sign-in failed", extra={"event": "login_failed", **_where(request)})


@receiver(user_locked_out, dispatch_uid="security-locked-out")
def _locked_out(sender, request, username, ip_address, **kwargs):
    log.warning("account locked after repeated failures", extra={"event": "lockout", **_where(request)})
