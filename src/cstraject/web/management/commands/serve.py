"""`cstraject serve`: the web application under gunicorn (not runserver).

Static files are served by WhiteNoise from the application itself. One
worker process with threads. Never with the public demo key: without
CSTRAJECT_SECRET_KEY a key is generated into the data folder on first run
(see `cstraject.web.secret_key`).
"""

from django.conf import settings
from gunicorn.app.base import BaseApplication

from cstraject.core.commands import CstrajectCommand, schema_ensure


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
        parser.add_argument("--threads", type=int, default=8, help="aantal threads van de werker (standaard 8)")
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
        self.stdout.write(f"cstraject luistert op http://{bind}/ (Ctrl+C stopt)")
        CstrajectApplication(
            {
                "bind": bind,
                "workers": 1,
                "worker_class": "gthread",
                "threads": options["threads"],
                "timeout": options["timeout"],
                # With JSON logs every request is already one JSON line (cstraject.request); gunicorn's
                # text access log would break the stream.
                "accesslog": None if settings.LOG_FORMAT == "json" else "-",
                "proc_name": "cstraject",
            }
        ).run()
