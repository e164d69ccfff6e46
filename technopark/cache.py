"""A Redis cache that degrades instead of failing.

The cache only holds copies (whole pages, impact figures); sessions and login attempts live in
the database. So when Redis is unreachable, :class:`ResilientRedisCache` answers like an empty
cache — ``get`` returns the default, ``set`` stores nothing — instead of raising, and pages are
served uncached. After a failure a short circuit breaker skips Redis for
``CIRCUIT_BREAKER_SECONDS`` (5 by default), so a request does not wait on a dead server once per
cache call; then the next call tries again, and the cache is back by itself when Redis is.

Settings (technopark/settings.py)::

    CACHES = {"default": {
        "BACKEND": "technopark.cache.ResilientRedisCache",
        "LOCATION": "redis://127.0.0.1:6379/1",
        "OPTIONS": {"CIRCUIT_BREAKER_SECONDS": 5, "socket_timeout": 0.5},
    }}
"""

from __future__ import annotations

import logging
import threading
import time

from django.core.cache.backends.base import DEFAULT_TIMEOUT
from django.core.cache.backends.redis import RedisCache

logger = logging.getLogger(__name__)

# One breaker per server, shared by every thread of the process (Django keeps one cache object
# per thread).
_breakers: dict[str, float] = {}
_lock = threading.Lock()


def _errors():
    import redis

    return (redis.exceptions.ConnectionError, redis.exceptions.TimeoutError, OSError)


class ResilientRedisCache(RedisCache):
    def __init__(self, server, params):
        params = dict(params)
        options = dict(params.get("OPTIONS") or {})
        self.breaker_seconds = float(options.pop("CIRCUIT_BREAKER_SECONDS", 5))
        import redis
        from redis.backoff import NoBackoff
        from redis.retry import Retry

        # Fail fast: a dead server must cost milliseconds, not the default socket timeouts.
        options.setdefault("socket_connect_timeout", 0.5)
        options.setdefault("socket_timeout", 0.5)
        # One immediate retry on a fresh connection: after a Redis restart the pooled
        # connections are dead, a new one works.
        options.setdefault("retry", Retry(NoBackoff(), 1))
        options.setdefault("retry_on_error", [redis.exceptions.ConnectionError])
        params["OPTIONS"] = options
        super().__init__(server, params)
        self._breaker_key = ",".join(self._servers)

    # --- breaker --------------------------------------------------------------------------

    def _open(self) -> bool:
        until = _breakers.get(self._breaker_key)
        return until is not None and time.monotonic() < until

    def _guard(self, call, fallback):
        if self._open():
            return fallback
        try:
            result = call()
        except _errors() as error:
            with _lock:
                was_closed = self._breaker_key not in _breakers
                _breakers[self._breaker_key] = time.monotonic() + self.breaker_seconds
            if was_closed:
                logger.warning("cache unreachable (%s); serving without it for now", error)
            return fallback
        if self._breaker_key in _breakers:
            with _lock:
                if _breakers.pop(self._breaker_key, None) is not None:
                    logger.warning("cache reachable again")
        return result

    def ping(self) -> bool:
        """Ask the server itself (ignoring the breaker); used by /healthz."""
        try:
            ok = bool(self._cache.get_client(write=True).ping())
        except _errors():
            return False
        with _lock:
            _breakers.pop(self._breaker_key, None)
        return ok

    # --- the cache API, each call guarded -------------------------------------------------------

    def add(self, key, value, timeout=DEFAULT_TIMEOUT, version=None):
        return self._guard(lambda: super(ResilientRedisCache, self).add(key, value, timeout, version), False)

    def get(self, key, default=None, version=None):
        return self._guard(lambda: super(ResilientRedisCache, self).get(key, default, version), default)

    def set(self, key, value, timeout=DEFAULT_TIMEOUT, version=None):
        return self._guard(lambda: super(ResilientRedisCache, self).set(key, value, timeout, version), None)

    def touch(self, key, timeout=DEFAULT_TIMEOUT, version=None):
        return self._guard(lambda: super(ResilientRedisCache, self).touch(key, timeout, version), False)

    def delete(self, key, version=None):
        return self._guard(lambda: super(ResilientRedisCache, self).delete(key, version), False)

    def get_many(self, keys, version=None):
        return self._guard(lambda: super(ResilientRedisCache, self).get_many(keys, version), {})

    def has_key(self, key, version=None):
        return self._guard(lambda: super(ResilientRedisCache, self).has_key(key, version), False)

    def incr(self, key, delta=1, version=None):
        missing = object()
        result = self._guard(lambda: super(ResilientRedisCache, self).incr(key, delta, version), missing)
        if result is missing:
            raise ValueError(f"Key '{key}' not found (cache unreachable)")
        return result

    def set_many(self, data, timeout=DEFAULT_TIMEOUT, version=None):
        return self._guard(lambda: super(ResilientRedisCache, self).set_many(data, timeout, version), list(data))

    def delete_many(self, keys, version=None):
        return self._guard(lambda: super(ResilientRedisCache, self).delete_many(keys, version), None)

    def clear(self):
        return self._guard(lambda: super(ResilientRedisCache, self).clear(), False)
