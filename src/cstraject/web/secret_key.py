"""The secret key: never the public demo key on a running server.

`cstraject serve` calls `ensure_secret_key` before it starts: without
CSTRAJECT_SECRET_KEY and without a key file in the data folder, it writes a
new random key to `<CSTRAJECT_DATA_DIR>/cstraject-secret-key` (readable by
the owner only) and says so; later runs read that file (settings.py). When
the folder is not writable it refuses to start. `cstraject check --deploy`
reports the public key as an error (`check_secret_key`).
"""

import os
import secrets

from django.conf import settings
from django.core.checks import Error, Tags, register
from django.core.management.base import CommandError
from django.utils.translation import gettext as _


def uses_public_key() -> bool:
    return settings.SECRET_KEY == settings.INSECURE_DEFAULT_SECRET_KEY


def ensure_secret_key() -> str | None:
    """Generate and install a key when only the public one is configured; returns a message then."""
    if not uses_public_key():
        return None
    path = settings.SECRET_KEY_FILE
    key = secrets.token_urlsafe(50)
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
        fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
        with os.fdopen(fd, "w", encoding="utf-8") as handle:
            handle.write(key + "\n")
    except FileExistsError:
        key = path.read_text(encoding="utf-8").strip()
        if not key:
            raise CommandError(
                _("%(path)s is leeg: verwijder het of zet CSTRAJECT_SECRET_KEY.") % {"path": path}
            ) from None
    except OSError as error:
        raise CommandError(
            _(
                "cstraject start niet met de publieke demosleutel, en kan geen sleutel schrijven in %(path)s (%(strerror)s). Zet CSTRAJECT_SECRET_KEY of CSTRAJECT_DATA_DIR naar een schrijfbare map."
            )
            % {"path": path, "strerror": error.strerror}
        ) from None
    settings.SECRET_KEY = key
    return _(
        "Nieuwe geheime sleutel aangemaakt in %(path)s (alleen leesbaar voor u). Bewaar dit bestand en deel het niet: wie het heeft, kan sessies vervalsen. Een andere sleutel meldt iedereen af."
    ) % {"path": path}


@register(Tags.security, deploy=True)
def check_secret_key(app_configs, **kwargs):
    if uses_public_key():
        return [
            Error(
                "SECRET_KEY is de publieke demosleutel.",
                hint="Zet CSTRAJECT_SECRET_KEY, of laat `cstraject serve` er een aanmaken in de datamap.",
                id="cstraject.E001",
            )
        ]
    return []
