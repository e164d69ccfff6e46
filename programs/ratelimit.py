"""A small per-IP counter in the cache (the certificate code form): N tries per window."""

from django.conf import settings
from django.core.cache import cache


def client_ip(request) -> str:
    """REMOTE_ADDR, or behind the configured number of proxies (AXES_PROXY_COUNT, as for the
    login lockout) the address the nearest trusted proxy saw."""
    proxies = getattr(settings, "AXES_IPWARE_PROXY_COUNT", 0)
    forwarded = request.META.get("HTTP_X_FORWARDED_FOR", "")
    if proxies and forwarded:
        hops = [hop.strip() for hop in forwarded.split(",") if hop.strip()]
        if len(hops) >= proxies:
            return hops[-proxies]
    return request.META.get("REMOTE_ADDR", "") or "unknown"


def hit(scope: str, request, *, limit: int, window: int) -> bool:
    """Count one try; False once ``limit`` tries were made within ``window`` seconds."""
    key = f"ratelimit:{scope}:{client_ip(request)}"
    if cache.add(key, 1, timeout=window):
        return True
    try:
        count = cache.incr(key)
    except ValueError:  # expired between add and incr
        cache.add(key, 1, timeout=window)
        return True
    return count <= limit
