"""The cache's Redis client: one ``redis.Redis`` per connection pool, not one per call (building one copies its
table of response callbacks, which cost as much as a GET to a local Redis)."""

import redis
from django.core.cache import caches

from apps.core.cache import FailoverRedisCache


def test_every_cache_call_shares_one_redis_client(monkeypatch):
    cache = caches["default"]
    assert isinstance(cache, FailoverRedisCache)
    built = []
    original = redis.Redis.__init__

    def counting(self, *args, **kwargs):
        built.append(1)
        original(self, *args, **kwargs)

    monkeypatch.setattr(redis.Redis, "__init__", counting)
    cache.set("redis-client-test", 1)
    for _ in range(5):
        assert cache.get("redis-client-test") == 1
    cache.get_many(["redis-client-test", "other"])
    assert len(built) <= 1  # at most the first use in this process builds it
    assert cache._cache.get_client() is cache._cache.get_client(write=True)
