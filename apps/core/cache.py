"""A Redis cache that is an optimisation, never a dependency: while Redis is unreachable it uses process memory.

Pages, the login throttle and cached counts keep working when Redis is down: each web process falls back to its
own local-memory cache (so the failed-login throttle still counts, per process) and tries Redis again after
``RETRY_AFTER`` seconds. Every switch is logged once.
"""

import logging
import time

from django.core.cache.backends.locmem import LocMemCache
from django.core.cache.backends.redis import RedisCache, RedisCacheClient
from redis.exceptions import ConnectionError as RedisConnectionError
from redis.exceptions import TimeoutError as RedisTimeoutError

logger = logging.getLogger(__name__)

UNREACHABLE = (RedisConnectionError, RedisTimeoutError, ConnectionError, TimeoutError, OSError)

_FAILOVER_METHODS = (
    "add",
    "get",
    "set",
    "touch",
    "delete",
    "get_many",
    "has_key",
    "incr",
    "decr",
    "set_many",
    "delete_many",
    "clear",
)


class ReusingRedisCacheClient(RedisCacheClient):
    """Django's client builds a new ``redis.Redis`` for every call (copying its table of ~200 response callbacks,
    about as long as a GET to a local Redis); one ``redis.Redis`` per connection pool is enough, and it is
    thread-safe (its connections come from the pool, which also handles forks)."""

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self._clients = {}

    def get_client(self, key=None, *, write=False):
        pool = self._get_connection_pool(write)
        client = self._clients.get(id(pool))
        if client is None:
            client = self._clients[id(pool)] = self._client(connection_pool=pool)
        return client


class FailoverRedisCache(RedisCache):
    def __init__(self, server, params):
        params = dict(params)
        options = dict(params.get("OPTIONS") or {})
        self.retry_after = float(options.pop("RETRY_AFTER", 5))
        params["OPTIONS"] = options
        super().__init__(server, params)
        self._class = ReusingRedisCacheClient
        self.fallback = LocMemCache(f"failover:{server}", {"TIMEOUT": params.get("TIMEOUT", 300)})
        self._down_until = 0.0

    @property
    def redis_is_down(self):
        return time.monotonic() < self._down_until

    def ping(self):
        """Ask Redis itself (not the fallback); raises when it is unreachable. For ``/readyz``."""
        return self._cache.get_client().ping()

    def _mark_down(self, exc):
        if not self.redis_is_down:
            logger.warning("Redis cache unreachable (%s); using process memory for %ss", exc, self.retry_after)
        self._down_until = time.monotonic() + self.retry_after


def _failover(name):
    redis_method = getattr(RedisCache, name)

    def method(self, *args, **kwargs):
        if not self.redis_is_down:
            try:
                return redis_method(self, *args, **kwargs)
            except UNREACHABLE as exc:
                self._mark_down(exc)
        return getattr(self.fallback, name)(*args, **kwargs)

    method.__name__ = name
    method.__doc__ = redis_method.__doc__
    return method


for _name in _FAILOVER_METHODS:
    setattr(FailoverRedisCache, _name, _failover(_name))
