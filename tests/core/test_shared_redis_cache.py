"""The production cache backend (mshtgov.cache.SharedRedisCache): Django's Redis cache with one redis client
kept per connection pool instead of a new one for every call. It must behave exactly as Django's does for
everything the app asks of it, and separate caches must not share a client."""

import os
import subprocess
import sys
import uuid

import pytest
from django.core.cache.backends.redis import RedisCache

from mshtgov.cache import SharedRedisCache
from tests.core.test_settings_and_deploy import _TEST_ONLY_ENV, PRODUCTION_ENV, ROOT

LOCATION = "redis://127.0.0.1:6379/9"


@pytest.fixture
def cache(redis_required):
    backend = SharedRedisCache(LOCATION, {"KEY_PREFIX": f"test-cache-{uuid.uuid4().hex}"})
    yield backend
    backend.clear()  # a fresh prefix per test, but the database is shared with other runs


def test_it_reads_back_what_it_stores_as_djangos_backend_does(cache):
    plain = RedisCache(LOCATION, {"KEY_PREFIX": cache.key_prefix})
    cache.set("figure", {"overdue": 3, "labels": ["a", "b"]}, timeout=60)
    assert plain.get("figure") == cache.get("figure") == {"overdue": 3, "labels": ["a", "b"]}
    cache.set_many({"one": 1, "two": 2})
    assert cache.get_many(["one", "two", "missing"]) == {"one": 1, "two": 2}
    assert cache.add("one", 100) is False and cache.get("one") == 1
    assert cache.incr("two") == 3
    cache.delete_many(["one", "two"])
    assert cache.get("one", "gone") == "gone"
    cache.set("short", "x", timeout=0)  # a timeout of 0 never stores, as Django's own backend
    assert cache.get("short") is None


def test_one_client_is_kept_for_every_call(cache):
    client = cache._cache.get_client()
    assert cache._cache.get_client("any key") is client
    assert cache._cache.get_client(write=True) is client  # one server: reads and writes share its pool
    cache.set("key", "value")
    assert cache._cache.get_client() is client


def test_two_caches_do_not_share_a_client(cache):
    other = SharedRedisCache(LOCATION, {"KEY_PREFIX": cache.key_prefix})
    assert other._cache.get_client() is not cache._cache.get_client()
    other.set("shared", "seen")
    assert cache.get("shared") == "seen"  # same server and prefix: the same data


def test_production_settings_use_it(redis_required):
    """Under production settings (CACHE_URL set, as test_settings_and_deploy runs them) the cache every
    process shares (sessions, users, figures, pages) is this backend, and it reads back what it stored."""
    code = (
        "import django;django.setup();from django.core.cache import caches;cache=caches['default'];"
        "cache.set('k', 'v', 30);print(type(cache).__name__, cache.get('k'));cache.delete('k')"
    )
    env = {k: v for k, v in os.environ.items() if k not in _TEST_ONLY_ENV}
    env.update({**PRODUCTION_ENV, "DJANGO_SETTINGS_MODULE": "mshtgov.settings", "CACHE_KEY_PREFIX": uuid.uuid4().hex})
    result = subprocess.run([sys.executable, "-c", code], cwd=ROOT, env=env, capture_output=True, text=True)
    assert result.stdout.split() == ["SharedRedisCache", "v"], result.stderr


def test_incr_is_one_round_trip_and_refuses_a_missing_key_as_djangos_does(cache, monkeypatch):
    """Every save bumps its model's version with `incr` (mshtgov.summaries): a missing counter must still raise
    ValueError (it is then recreated from the clock, never from 1), and a present one moves by delta."""
    plain = RedisCache(LOCATION, {"KEY_PREFIX": cache.key_prefix})
    with pytest.raises(ValueError):
        cache.incr("lost")
    with pytest.raises(ValueError):
        plain.incr("lost")
    assert cache.get("lost") is None  # refusing did not create it
    cache.set("version", 1_796_205_774_991_018_658, None)
    client = cache._cache.get_client(write=True)
    sent = []
    original = type(client).execute_command
    monkeypatch.setattr(
        type(client), "execute_command", lambda self, *a, **kw: sent.append(a[0]) or original(self, *a, **kw)
    )
    assert cache.incr("version") == 1_796_205_774_991_018_659
    assert cache.incr("version", 5) == 1_796_205_774_991_018_664
    assert len(sent) == 2  # one command each (the script, by its digest once loaded)
    monkeypatch.undo()
    assert plain.get("version") == cache.get("version") == 1_796_205_774_991_018_664
    assert plain.incr("version") == 1_796_205_774_991_018_665  # still a plain counter Django's backend reads
