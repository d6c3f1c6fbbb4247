"""The shared cache backend: Django's Redis cache, with one redis client kept per connection pool.

Django's `RedisCacheClient.get_client` builds a new `redis.Redis` around the pool on every cache call, and
redis-py 8's constructor is not cheap (its response-callback table and event dispatcher are set up afresh):
about a tenth of a millisecond each time, and every signed-in request makes at least two calls (the session,
the user) before a page reads any cached figure (issue 15: what every request pays). A `redis.Redis` is safe
to share between threads (each command takes a connection from the pool), so it is built once per pool.

`incr` (every save bumps its model's version through it, `mshtgov.summaries.bump`) is one round trip, a script
the server runs at once, instead of Django's two (EXISTS, then INCRBY): it still refuses a missing key
(ValueError), which is how a lost version counter is found and recreated from the clock, and no other command
can come between the check and the increment (issue 15: two round trips were a third of writing an access-log
row, which a search waits for)."""

from django.core.cache.backends.redis import RedisCache, RedisCacheClient

# The value after adding ARGV[1] to KEYS[1], or nil (None) when there is no such key. Read back as text: a
# number passed through the script is a double, and a version counter (nanoseconds) has more digits than it keeps.
_INCR_EXISTING = (
    "if redis.call('EXISTS', KEYS[1]) == 1 then redis.call('INCRBY', KEYS[1], ARGV[1]) "
    "return redis.call('GET', KEYS[1]) end"
)


class ReusedRedisCacheClient(RedisCacheClient):
    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self._clients = {}
        self._incr_scripts = {}

    def incr(self, key, delta):
        client = self.get_client(key, write=True)
        script = self._incr_scripts.get(id(client))
        if script is None:
            script = self._incr_scripts[id(client)] = client.register_script(_INCR_EXISTING)
        value = script(keys=[key], args=[delta])
        if value is None:
            raise ValueError(f"Key '{key}' not found.")
        return int(value)

    def get_client(self, key=None, *, write=False):
        pool = self._get_connection_pool(write)
        client = self._clients.get(id(pool))
        if client is None:
            client = self._clients[id(pool)] = self._client(connection_pool=pool)
        return client


class SharedRedisCache(RedisCache):
    def __init__(self, server, params):
        super().__init__(server, params)
        self._class = ReusedRedisCacheClient
