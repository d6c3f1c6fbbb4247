"""The shared cache backend: Django's Redis cache, with one redis client kept per connection pool.

Django's `RedisCacheClient.get_client` builds a new `redis.Redis` around the pool on every cache call, and
redis-py 8's constructor is not cheap (its response-callback table and event dispatcher are set up afresh):
about a tenth of a millisecond each time, and every signed-in request makes at least two calls (the session,
the user) before a page reads any cached figure (issue 15: what every request pays). A `redis.Redis` is safe
to share between threads (each command takes a connection from the pool), so it is built once per pool."""

from django.core.cache.backends.redis import RedisCache, RedisCacheClient


class ReusedRedisCacheClient(RedisCacheClient):
    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self._clients = {}

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
