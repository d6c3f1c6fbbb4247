"""Sessions as Django keeps them with a shared cache (the cache in front of the database), which can be handed
their data when something read it ahead: `mshtgov.authcache.prefetch` reads a signed-in request's session in the
same cache round trip as the user's entry (issue 15: one round trip for both on every signed-in request, where
each was one). What is read, and when it counts as missing, is Django's own: nothing read ahead, or nothing
found, and the session loads as it always did."""

from django.contrib.sessions.backends import cached_db


class SessionStore(cached_db.SessionStore):
    def preload(self, data: dict | None) -> None:
        """The session's data as the cache held it a moment ago (None: not there, so read it as usual)."""
        if data is not None:
            self._preloaded = data

    def load(self):
        data = self.__dict__.pop("_preloaded", None)
        return data if data is not None else super().load()
