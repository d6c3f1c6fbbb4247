"""Who is signed in, without a query (issue 15): the user's row, with their roles and model permissions
read alongside it (`mshtgov.roles.load_grants`), kept in the shared cache between requests.

Every signed-in request used to read the user (one query) and their grants (another) before anything
else. Now it reads one cache entry, in the same round trip as two validity tokens:

- a token per user, replaced whenever that user's row (password, active flag, superuser flag, name),
  groups or direct permissions change, or the user is deleted;
- one token for everyone, replaced whenever a group or a permission changes (a group's permissions,
  its name, which is a role, or its deletion, which drops its members without any other signal).

An entry is used only when it carries both tokens as they are now; otherwise the user is read from the
database through Django's own `get_user`, exactly as before, and the entry written again stamped with
the tokens read *before* that read. A change replaces the token when it is made (inside its
transaction, so a cache that cannot be written refuses the change) and again once it has committed: an
entry read from the database before the commit carries the old token and is never used again. A token
that is missing (never set, or evicted) is replaced by a new random one, so a lost token can never match
an older entry. Entries also expire after ENTRY_SECONDS whatever happens.

The session check is unchanged: the session's password hash is compared with the cached user's (the
entry holds that, never the password hash itself), and on any difference Django's own `get_user`
decides (it signs the session out, or accepts a rotated secret). A password change saves the user, so
it replaces the user's token: other sessions are then compared with the new hash, read from the
database, and signed out.

Only with a cache every web process shares (settings.AUTH_CACHE, on with CACHE_URL): a per-process
cache would keep a change made in one process unseen by the others. Writes that send no signals
(`QuerySet.update()` on users, raw SQL) must call `user_changed(pk)` or `grants_changed()` themselves.
"""

import copy
import logging
import uuid

from django.conf import settings
from django.contrib import auth
from django.contrib.auth import BACKEND_SESSION_KEY, HASH_SESSION_KEY, SESSION_KEY, get_user_model
from django.contrib.auth.models import Group, Permission
from django.core.cache import cache
from django.db import transaction
from django.db.models.signals import m2m_changed, post_delete, post_save, pre_delete
from django.utils.crypto import constant_time_compare

from mshtgov import roles

logger = logging.getLogger(__name__)

# The backend that signs users in with a password (the lockout backend only refuses; it signs in no one).
MODEL_BACKEND = "django.contrib.auth.backends.ModelBackend"
ENTRY_SECONDS = 10 * 60
_EVERYONE = "authcache:grants"


def _user_token_key(pk) -> str:
    return f"authcache:user:{pk}"


def _entry_key(pk) -> str:
    return f"authcache:entry:{pk}"


def enabled() -> bool:
    return getattr(settings, "AUTH_CACHE", False)


def get_user(request):
    """The signed-in user (or AnonymousUser), as `django.contrib.auth.get_user` returns it."""
    session = request.session
    pk, backend = session.get(SESSION_KEY), session.get(BACKEND_SESSION_KEY)
    if not enabled() or pk is None or backend != MODEL_BACKEND:
        return auth.get_user(request)
    keys = [_entry_key(pk), _EVERYONE, _user_token_key(pk)]
    ahead = getattr(request, "_authcache_ahead", None)
    if ahead is not None and ahead[0] == pk:
        found = ahead[1]  # read with the session (`prefetch`), for the user the session names
    else:
        try:
            found = cache.get_many(keys)
        except Exception:  # noqa: BLE001 - the database still knows; a cache outage must not sign anyone out
            logger.exception("auth cache unreadable; reading the user from the database")
            return auth.get_user(request)
    tokens = (found.get(_EVERYONE), found.get(_user_token_key(pk)))
    entry = found.get(_entry_key(pk))
    if entry is not None and None not in tokens and entry[0] == tokens:
        auth_hash, user = entry[1], entry[2]  # unpickled for this request: an object of its own
        session_hash = session.get(HASH_SESSION_KEY)
        if (
            str(user.pk) == str(pk)
            and user.is_active
            and session_hash
            and constant_time_compare(session_hash, auth_hash)
        ):
            _remember_session(session, pk)
            return user
        # Otherwise Django's own lookup decides (and signs out a session whose hash no longer matches).
    user = auth.get_user(request)
    if user.is_authenticated:
        _remember_session(session, pk)
        roles.load_grants(user)
        if None in tokens:
            _replace_missing(keys[1:], tokens)  # this entry is not kept: it could not be stamped
        else:
            _keep(pk, tokens, user)
    return user


# {session key: the user it signed in}, as this process last saw it: a guess at whose entry to read with the
# session (`prefetch`), never trusted: the session read in the same round trip names the user, and the entry is
# used only for that user. Bounded: emptied when full, then learnt again one request per session.
_user_of_session: dict[str, str] = {}
_REMEMBER_MOST = 10_000


def _remember_session(session, pk) -> None:
    key = session.session_key
    if key and _user_of_session.get(key) != pk:
        if len(_user_of_session) >= _REMEMBER_MOST:
            _user_of_session.clear()
        _user_of_session[key] = pk


def prefetch(request) -> None:
    """Reads the session and the entry of the user it last signed in, in one cache round trip, for `get_user`
    (and the session store, `mshtgov.session_store`) to use: one round trip a signed-in request, not two. Does
    nothing for a session this process has not seen signed in, or a session store that cannot take its data."""
    session = getattr(request, "session", None)
    key = getattr(session, "session_key", None)
    pk = _user_of_session.get(key) if key else None
    if pk is None or not enabled() or not hasattr(session, "preload"):
        return
    session_key = session.cache_key
    try:
        found = cache.get_many([session_key, _entry_key(pk), _EVERYONE, _user_token_key(pk)])
    except Exception:  # noqa: BLE001 - read again as usual, each where it is needed
        return
    session.preload(found.pop(session_key, None))
    request._authcache_ahead = (pk, found)


def _keep(pk, tokens, user) -> None:
    """Cache the user without their password hash: the cache never holds one. The session is checked
    against the hash derived from it (what the session itself holds); on the cached user object the
    password is a deferred field, read from the database only if something asks for it (the password
    change form), and a save() of that object leaves it as it is."""
    kept = copy.copy(user)
    kept.__dict__.pop("password", None)
    try:
        cache.set(_entry_key(pk), (tokens, user.get_session_auth_hash(), kept), ENTRY_SECONDS)
    except Exception:  # noqa: BLE001
        logger.exception("auth cache unwritable")


def _replace_missing(keys, tokens) -> None:
    try:
        for key, token in zip(keys, tokens, strict=True):
            if token is None:
                cache.add(key, uuid.uuid4().hex, None)
    except Exception:  # noqa: BLE001
        logger.exception("auth cache unwritable")


def _replace(key: str) -> None:
    """A new token now (a cache that cannot take it refuses the change) and again after the commit."""
    cache.set(key, uuid.uuid4().hex, None)

    def again():
        try:
            cache.set(key, uuid.uuid4().hex, None)
        except Exception:  # noqa: BLE001 - the change is made; entries still expire after ENTRY_SECONDS
            logger.exception("auth cache token not replaced after commit: %s", key)

    transaction.on_commit(again)


def user_changed(pk) -> None:
    """The user's row, groups or own permissions changed: their cached entry is void."""
    if enabled():
        _replace(_user_token_key(pk))


def grants_changed() -> None:
    """A group or permission changed: every cached entry is void."""
    if enabled():
        _replace(_EVERYONE)


def _on_user(sender, instance, **kwargs):
    user_changed(instance.pk)


def _on_grants(sender, **kwargs):
    grants_changed()


def _on_membership(sender, instance, action, reverse, pk_set, **kwargs):
    if not action.startswith(("pre_", "post_")):
        return
    if reverse:  # group.user_set.add(...) / permission.user_set.remove(...): the users are in pk_set
        if pk_set is None:
            grants_changed()
        else:
            for pk in pk_set:
                user_changed(pk)
    else:
        user_changed(instance.pk)


def connect() -> None:
    user_model = get_user_model()
    post_save.connect(_on_user, sender=user_model, dispatch_uid="authcache-user-saved")
    post_delete.connect(_on_user, sender=user_model, dispatch_uid="authcache-user-deleted")
    for model in (Group, Permission):
        for name, signal in (("saved", post_save), ("deleting", pre_delete), ("deleted", post_delete)):
            signal.connect(_on_grants, sender=model, dispatch_uid=f"authcache-{model.__name__}-{name}")
    m2m_changed.connect(_on_membership, sender=user_model.groups.through, dispatch_uid="authcache-user-groups")
    m2m_changed.connect(
        _on_membership, sender=user_model.user_permissions.through, dispatch_uid="authcache-user-permissions"
    )
    m2m_changed.connect(_on_grants, sender=Group.permissions.through, dispatch_uid="authcache-group-permissions")
