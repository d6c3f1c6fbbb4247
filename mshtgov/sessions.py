"""The idle timeout, and ending a user's sessions on the server through the index that sign-in keeps
(mshtgov.models.UserSession)."""

import time
from datetime import timedelta
from importlib import import_module

from django.conf import settings
from django.db import transaction
from django.utils import timezone

from mshtgov.models import UserSession

# When the session was last saved with a fresh expiry (seconds since the epoch).
RENEWED_AT_KEY = "renewed_at"


def renew_if_due(session) -> None:
    """Slide the idle timeout. A session expires SESSION_COOKIE_AGE after it was last saved (in the
    database, the cache and the cookie alike), so saving it renews it. Saving on every request cost a
    write and a commit per page; instead a request saves it when the last renewal is at least
    SESSION_RENEW_SECONDS old. The idle timeout so counts from the last renewal: a session ends between
    SESSION_COOKIE_AGE - SESSION_RENEW_SECONDS and SESSION_COOKIE_AGE after the last request, never later."""
    now = int(time.time())
    renewed = session.get(RENEWED_AT_KEY)
    if renewed is None or now - renewed >= settings.SESSION_RENEW_SECONDS:
        renew(session, now)


def renew(session, now: int | None = None) -> None:
    """Renew now (the "stay signed in" button): the save at the end of the request restarts the clock."""
    session[RENEWED_AT_KEY] = now if now is not None else int(time.time())


def seconds_left(session) -> int:
    """How long until the session expires if nothing renews it (for the warning dialog's clock)."""
    renewed = session.get(RENEWED_AT_KEY)
    if renewed is None:
        return settings.SESSION_COOKIE_AGE
    return max(0, settings.SESSION_COOKIE_AGE - (int(time.time()) - renewed))


def _store(session_key: str):
    return import_module(settings.SESSION_ENGINE).SessionStore(session_key)


def session_started(user, session_key: str) -> None:
    # Sessions older than the absolute lifetime are dead whatever the store says, so their rows go
    # here rather than in a scheduled job.
    cutoff = timezone.now() - timedelta(seconds=settings.SESSION_ABSOLUTE_SECONDS)
    UserSession.objects.filter(user=user, signed_in_at__lt=cutoff).delete()
    UserSession.objects.update_or_create(session_key=session_key, defaults={"user": user})


def session_ended(session_key: str | None) -> None:
    if session_key:
        UserSession.objects.filter(session_key=session_key).delete()


@transaction.atomic
def sessions_replaced(user, session_key: str) -> None:
    """After a password change: the user's other sessions are void, and this one has a new key."""
    UserSession.objects.filter(user=user).exclude(session_key=session_key).delete()
    session_started(user, session_key)


@transaction.atomic
def end_sessions(users) -> int:
    """Delete every session of these users from the session store (database and cache alike), so the
    next request from any of their browsers goes to sign-in. Returns how many sessions were ended."""
    rows = list(UserSession.objects.select_for_update().filter(user__in=users).values_list("pk", "session_key"))
    for _, key in rows:
        _store(key).delete(key)
    UserSession.objects.filter(pk__in=[pk for pk, _ in rows]).delete()
    return len(rows)


@transaction.atomic
def session_rekeyed(user, old_key: str | None, new_key: str) -> None:
    """After `cycle_key()` (the second sign-in step): the index row follows the session to its new key,
    keeping when it was signed in, so "end sessions" still reaches it and the old key means nothing."""
    moved = UserSession.objects.filter(user=user, session_key=old_key).update(session_key=new_key) if old_key else 0
    if not moved:
        session_started(user, new_key)
