"""CSP, Permissions-Policy, no-store for logged-in users, sessions, HSTS behind CSTRAJECT_SECURE_COOKIES."""

import json
import os
import subprocess
import sys
from pathlib import Path

from django.conf import settings
from django.urls import reverse

from .conftest import PASSWORD

TEMPLATES = Path(__file__).resolve().parents[2] / "src" / "cstraject"


def test_csp_and_permissions_policy_on_every_page(world, client):
    response = client.get(reverse("login"))
    csp = response["Content-Security-Policy"]
    assert "default-src 'self'" in csp and "script-src 'self'" in csp and "frame-ancestors 'none'" in csp
    assert "unsafe-inline" not in csp
    assert "camera=()" in response["Permissions-Policy"]


def test_authenticated_pages_are_not_stored(world, client):
    client.force_login(world["users"]["provider"])
    response = client.get(reverse("web:provider_dashboard"))
    assert response.status_code == 200 and "no-store" in response["Cache-Control"]
    document = client.get(reverse("web:dossier_detail", args=[1]))  # 404 for this user: still not stored
    assert document.status_code == 404 and "no-store" in document["Cache-Control"]


def test_no_inline_script_or_style_in_our_templates():
    """The CSP forbids inline code; our templates have none (the admin's are Django's)."""
    for template in TEMPLATES.glob("*/templates/**/*.html"):
        text = template.read_text(encoding="utf-8")
        assert "<style" not in text and " style=" not in text, template
        for chunk in text.split("<script")[1:]:
            assert chunk.lstrip().startswith("src="), f"inline script in {template}"


def test_sessions_end_at_browser_close_and_after_30_idle_minutes(world, client):
    assert settings.SESSION_EXPIRE_AT_BROWSER_CLOSE
    assert settings.SESSION_COOKIE_AGE == 30 * 60 and settings.SESSION_SAVE_EVERY_REQUEST
    response = client.post(reverse("login"), {"username": "prov_a", "password": PASSWORD})
    cookie = response.cookies[settings.SESSION_COOKIE_NAME]
    assert cookie["expires"] == "" and cookie["max-age"] == ""  # a browser-session cookie
    assert client.session.get_expire_at_browser_close() and client.session.get_expiry_age() == 30 * 60


def _settings_under(**env) -> dict:
    code = (
        "import json, django; django.setup(); from django.conf import settings as s; "
        "print(json.dumps({k: getattr(s, k, None) for k in ('SECURE_HSTS_SECONDS', 'SESSION_COOKIE_SECURE', "
        "'CSRF_COOKIE_SECURE', 'SECURE_SSL_REDIRECT', 'SECURE_HSTS_INCLUDE_SUBDOMAINS')}))"
    )
    clean = {k: v for k, v in os.environ.items() if not k.startswith("CSTRAJECT_")}
    result = subprocess.run(
        [sys.executable, "-c", code],
        env={**clean, "DJANGO_SETTINGS_MODULE": "cstraject.settings", **env},
        capture_output=True,
        text=True,
        check=True,
    )
    return json.loads(result.stdout)


def test_hsts_only_with_secure_cookies():
    plain = _settings_under()
    assert not plain["SECURE_HSTS_SECONDS"] and not plain["SESSION_COOKIE_SECURE"]
    secure = _settings_under(CSTRAJECT_SECURE_COOKIES="1")
    assert secure["SECURE_HSTS_SECONDS"] == 365 * 24 * 3600 and secure["SECURE_HSTS_INCLUDE_SUBDOMAINS"]
    assert secure["SESSION_COOKIE_SECURE"] and secure["CSRF_COOKIE_SECURE"] and secure["SECURE_SSL_REDIRECT"]
