"""Login throttling: failed attempts are counted per username and client IP
in Django's cache; after MAX_FAILURES the pair is refused for LOCKOUT_SECONDS.

The default cache is the local-memory backend: with one gunicorn worker
process (see the `serve` command) the count is shared by every request.
"""

import hashlib

from django.core.cache import cache

MAX_FAILURES = 5
LOCKOUT_SECONDS = 15 * 60


def _key(username: str, ip: str) -> str:
    digest = hashlib.sha256(f"{username.strip().lower()}|{ip}".encode()).hexdigest()
    return f"cstraject:login-failures:{digest}"


def client_ip(request) -> str:
    return request.META.get("REMOTE_ADDR", "") or "unknown"


def is_locked(username: str, ip: str) -> bool:
    return cache.get(_key(username, ip), 0) >= MAX_FAILURES


def record_failure(username: str, ip: str) -> int:
    key = _key(username, ip)
    cache.add(key, 0, LOCKOUT_SECONDS)
    try:
        count = cache.incr(key)
    except ValueError:  # expired between add and incr
        cache.set(key, 1, LOCKOUT_SECONDS)
        count = 1
    cache.touch(key, LOCKOUT_SECONDS)
    return count


def reset(username: str, ip: str) -> None:
    cache.delete(_key(username, ip))
