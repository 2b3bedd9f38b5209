"""`/health/` for a load balancer: database reachable, migrations applied, storage writable.

JSON, 200 when every check passes, 503 otherwise; no login, no personal data, no error
details beyond the check's name (those go to the log)."""

import logging
import uuid
from pathlib import Path

from django.conf import settings
from django.db import DEFAULT_DB_ALIAS, connections
from django.db.migrations.executor import MigrationExecutor
from django.http import JsonResponse
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_GET

logger = logging.getLogger("cstraject.health")


def _database() -> bool:
    with connections[DEFAULT_DB_ALIAS].cursor() as cursor:
        cursor.execute("SELECT 1")
        return cursor.fetchone()[0] == 1


def _migrations() -> bool:
    connection = connections[DEFAULT_DB_ALIAS]
    executor = MigrationExecutor(connection)
    return not executor.migration_plan(executor.loader.graph.leaf_nodes())


def _storage() -> bool:
    root = Path(settings.MEDIA_ROOT)
    root.mkdir(parents=True, exist_ok=True)
    probe = root / f".health-{uuid.uuid4().hex}"
    probe.write_bytes(b"ok")
    try:
        return probe.read_bytes() == b"ok"
    finally:
        probe.unlink()


CHECKS = {"database": _database, "migrations": _migrations, "storage": _storage}


def run_checks() -> dict[str, bool]:
    results = {}
    for name, check in CHECKS.items():
        if name == "migrations" and not results.get("database"):
            results[name] = False
            continue
        try:
            results[name] = bool(check())
        except Exception:
            logger.exception("health check %s failed", name)
            results[name] = False
    return results


@never_cache
@require_GET
def health(request):
    results = run_checks()
    healthy = all(results.values())
    return JsonResponse(
        {"status": "ok" if healthy else "fail", "checks": {k: "ok" if v else "fail" for k, v in results.items()}},
        status=200 if healthy else 503,
    )
