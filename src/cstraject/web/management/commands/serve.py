"""`cstraject serve`: the web application under gunicorn (not runserver).

Static files are served by WhiteNoise from the application itself.
Worker processes and threads follow the cores the process may use (one
process per core, so Python runs on every core; threads hide the waits on the
database), and each thread keeps its database connection between requests.
The login throttle (django-axes) counts in the database, so every worker sees
the same count. Never with the public demo key: without CSTRAJECT_SECRET_KEY a
key is generated into the data folder on first run (see
`cstraject.web.secret_key`).
"""

import os

from django.conf import settings
from django.utils.translation import gettext as _
from gunicorn.app.base import BaseApplication

from cstraject.core.commands import CstrajectCommand, schema_ensure

THREADS_PER_WORKER = 4


def available_cores() -> int:
    try:
        return len(os.sched_getaffinity(0))
    except AttributeError:  # not on Linux
        return os.cpu_count() or 1


def default_workers() -> int:
    """One worker process per core, at least two (one may be busy with a slow request)."""
    return max(2, available_cores())


class CstrajectApplication(BaseApplication):
    def __init__(self, options: dict):
        self.options = options
        super().__init__()

    def load_config(self):
        for key, value in self.options.items():
            if key in self.cfg.settings and value is not None:
                self.cfg.set(key, value)

    def load(self):
        from cstraject.wsgi import application

        return application


class Command(CstrajectCommand):
    help = "Start de webtoepassing onder gunicorn."

    def add_arguments(self, parser):
        parser.add_argument("--host", default="127.0.0.1", help="adres om op te luisteren (standaard 127.0.0.1)")
        parser.add_argument("--port", type=int, default=8000, help="poort (standaard 8000)")
        parser.add_argument(
            "--workers",
            type=int,
            default=None,
            help="aantal werkprocessen (standaard: één per processorkern, minstens 2)",
        )
        parser.add_argument(
            "--threads", type=int, default=THREADS_PER_WORKER, help="threads per werkproces (standaard 4)"
        )
        parser.add_argument(
            "--timeout", type=int, default=120, help="seconden voor een verzoek afbreekt (standaard 120)"
        )

    def handle(self, *args, **options):
        from cstraject.web.secret_key import ensure_secret_key

        message = ensure_secret_key()
        if message:
            self.stdout.write(message)
        schema_ensure(stderr=self.stderr)
        bind = f"{options['host']}:{options['port']}"
        workers = options["workers"] or default_workers()
        database = settings.DATABASES["default"]
        if "CSTRAJECT_CONN_MAX_AGE" not in os.environ:
            # Keep each thread's connection (a new PostgreSQL connection per request costs milliseconds).
            database["CONN_MAX_AGE"] = 300
            database["CONN_HEALTH_CHECKS"] = True
        self.stdout.write(_("cstraject luistert op http://%(bind)s/ (Ctrl+C stopt)") % {"bind": bind})
        CstrajectApplication(
            {
                "bind": bind,
                "workers": workers,
                "worker_class": "gthread",
                "threads": options["threads"],
                "timeout": options["timeout"],
                # With JSON logs every request is already one JSON line (cstraject.request); gunicorn's
                # text access log would break the stream.
                "accesslog": None if settings.LOG_FORMAT == "json" else "-",
                "proc_name": "cstraject",
            }
        ).run()
