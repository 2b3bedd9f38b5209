"""The demo accounts, `cstraject demo`'s refusal of real data, the secret key, `serve` (gunicorn +
WhiteNoise) and `check --deploy` under the production settings of the README."""

import os
import secrets
import socket
import stat
import subprocess
import sys
import time
import urllib.request

import pytest
from django.contrib.auth import get_user_model
from django.core.management import call_command
from django.core.management.base import CommandError

from cstraject.accounts.actors import actor_for_user
from cstraject.accounts.models import Role
from cstraject.web.demo_users import DEMO_PASSWORD, create_demo_users, non_demo_data
from cstraject.web.secret_key import ensure_secret_key
from tests.factories import DossierFactory, ServiceProviderFactory, UserFactory


def test_create_demo_users_one_per_role_and_never_changes_an_existing_account(db):
    provider = ServiceProviderFactory(code="A", name="Dienstverlener A")
    dossier = DossierFactory(provider=provider)
    first = create_demo_users()
    beheerder = get_user_model().objects.get(username="beheerder")
    beheerder.set_password("Een-eigen-sterk-wachtwoord-2026")
    beheerder.save()
    second = create_demo_users()
    assert [row[0] for row in first] == [row[0] for row in second]
    assert all(row[1] is None for row in second)
    beheerder.refresh_from_db()
    assert beheerder.check_password("Een-eigen-sterk-wachtwoord-2026")
    roles = {row[2] for row in first}
    assert roles == {Role.PROVIDER, Role.SME_CONTACT, Role.CASE_HANDLER, Role.CONTROLLER, Role.POLICY, Role.ADMIN}
    for username, password, role, _description in first:
        user = get_user_model().objects.get(username=username)
        assert password == DEMO_PASSWORD and (username == "beheerder" or user.check_password(password))
        actor = actor_for_user(user)
        assert actor.role == role
        if role == Role.PROVIDER:
            assert actor.provider_id == provider.pk
        if role == Role.SME_CONTACT:
            assert actor.company_id == dossier.company_id
        assert user.is_superuser == (role == Role.ADMIN)


def test_demo_users_need_reference_data(db):
    with pytest.raises(RuntimeError, match="referentiedata"):
        create_demo_users()


def test_demo_data_is_demo_and_anything_else_is_not(reference_db):
    create_demo_users()
    assert non_demo_data() == []
    UserFactory(username="jan")
    DossierFactory(reference="CS-2024-0042")
    problems = non_demo_data()
    assert "jan" in problems[0] and "CS-2024-0042" in problems[1]


def test_demo_refuses_a_database_with_real_data(db, tmp_path):
    UserFactory(username="jan")
    with pytest.raises(CommandError, match="niet van de demo.*jan"):
        call_command("demo", "--no-serve", "--output-dir", str(tmp_path))
    assert not (tmp_path / "antwoord.xlsx").exists()


def test_serve_generates_a_secret_key_once_and_refuses_when_it_cannot(settings, tmp_path):
    settings.SECRET_KEY = settings.INSECURE_DEFAULT_SECRET_KEY
    settings.SECRET_KEY_FILE = tmp_path / "data" / "cstraject-secret-key"
    message = ensure_secret_key()
    assert "Nieuwe geheime sleutel" in message and str(settings.SECRET_KEY_FILE) in message
    key = settings.SECRET_KEY_FILE.read_text().strip()
    assert key == settings.SECRET_KEY and len(key) >= 50
    assert stat.S_IMODE(settings.SECRET_KEY_FILE.stat().st_mode) == 0o600
    assert ensure_secret_key() is None
    settings.SECRET_KEY = settings.INSECURE_DEFAULT_SECRET_KEY
    (tmp_path / "locked").mkdir(mode=0o500)
    settings.SECRET_KEY_FILE = tmp_path / "locked" / "cstraject-secret-key"
    if os.geteuid() != 0:  # root writes anyway
        with pytest.raises(CommandError, match="publieke demosleutel"):
            ensure_secret_key()


PRODUCTION_ENV = {
    "CSTRAJECT_SECURE_COOKIES": "1",
    "CSTRAJECT_ALLOWED_HOSTS": "cstraject.vlaio.example",
    "CSTRAJECT_DEBUG": "0",
}


def _check_deploy(tmp_path, **extra):
    env = {k: v for k, v in os.environ.items() if not k.startswith("CSTRAJECT_")}
    # tests/browser/conftest.py sets it for Playwright in this process; a deployment never has it.
    env.pop("DJANGO_ALLOW_ASYNC_UNSAFE", None)
    env.update(PRODUCTION_ENV, **extra)
    return subprocess.run(
        [sys.executable, "-m", "cstraject", "check", "--deploy", "--fail-level", "WARNING"],
        env=env,
        cwd=tmp_path,
        capture_output=True,
        text=True,
    )


def test_check_deploy_is_clean_under_the_documented_production_settings(tmp_path):
    result = _check_deploy(tmp_path, CSTRAJECT_SECRET_KEY=secrets.token_urlsafe(50))
    assert result.returncode == 0, result.stdout + result.stderr
    assert "no issues" in result.stdout
    refused = _check_deploy(tmp_path)
    assert refused.returncode != 0 and "cstraject.E001" in refused.stdout + refused.stderr


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def test_serve_runs_gunicorn_with_static_files(tmp_path):
    port = _free_port()
    env = {**os.environ, "DATABASE_URL": f"sqlite:///{tmp_path / 'serve.sqlite3'}"}
    subprocess.run([sys.executable, "-m", "cstraject", "migrate", "-v", "0"], env=env, check=True, cwd=tmp_path)
    process = subprocess.Popen(
        [sys.executable, "-m", "cstraject", "serve", "--port", str(port)],
        env=env,
        cwd=tmp_path,
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,
    )
    try:
        body = None
        for _ in range(100):
            try:
                with urllib.request.urlopen(f"http://127.0.0.1:{port}/aanmelden/", timeout=2) as response:
                    body = response.read().decode()
                    break
            except OSError:
                time.sleep(0.2)
        assert body is not None and 'name="username"' in body
        with urllib.request.urlopen(f"http://127.0.0.1:{port}/static/web/app.css", timeout=5) as response:
            assert response.status == 200 and b"skip-link" in response.read()
    finally:
        process.terminate()
        output = process.communicate(timeout=20)[0].decode()
    assert "gunicorn" in output.lower() or "Booting worker" in output
    # No key configured: serve made one in the data folder (the working directory) and said so.
    assert "Nieuwe geheime sleutel" in output and (tmp_path / "cstraject-secret-key").exists()


def test_the_demo_lifecycle_leaves_its_messages_and_letters(reference_db, settings, client):
    """The live dossiers of the demo, through the real services as the demo accounts: the e-mails go out
    (to a real SMTP server) and the letters are stored, downloadable by the provider and the SME."""
    from django.urls import reverse

    from cstraject.accounts.actors import system_actor
    from cstraject.controls.screening.run import screening_run
    from cstraject.operations.models import Letter, LetterKind, Notification, NotificationKind, NotificationStatus
    from cstraject.operations.notifications import notifications_send_due
    from cstraject.web.demo_lifecycle import lifecycle_company, load_lifecycle_demo
    from tests.operations.smtp import smtp_server

    screening_run(actor=system_actor())  # the demo's oversight data ran one; the sample needs it
    lifecycle_company()
    create_demo_users()
    with smtp_server(settings) as inbox:
        result = load_lifecycle_demo()
        notifications_send_due()  # in a test nothing commits, so the task queue never ran

    dossier, refused = result.lifecycle, result.refused
    assert result.created and dossier.status == "finished" and refused.status == "rejected"
    kinds = list(Notification.objects.filter(dossier=dossier).values_list("kind", flat=True))
    assert sorted(kinds) == sorted(
        [
            NotificationKind.QUOTE_CONFIRMATION,
            NotificationKind.DECISION_APPROVED,
            NotificationKind.PAYMENT,
            NotificationKind.PAYMENT_REQUEST_REFUSED,
            NotificationKind.PAYMENT,
            NotificationKind.FINAL_REPORT_COSIGN,
            NotificationKind.RECOVERY,
            NotificationKind.FOLLOW_UP,
        ]
    )
    assert set(Notification.objects.filter(dossier=refused).values_list("kind", flat=True)) == {
        NotificationKind.QUOTE_CONFIRMATION,
        NotificationKind.DECISION_REJECTED,
    }
    sample = Notification.objects.get(kind=NotificationKind.CONTROL_SAMPLE)
    assert sample.to_address == "controleur@demo.invalid"
    assert set(Notification.objects.values_list("status", flat=True)) == {NotificationStatus.SENT}
    assert len(inbox.messages) == Notification.objects.count() == 11
    assert sorted(Letter.objects.filter(dossier=dossier).values_list("kind", flat=True)) == sorted(
        [LetterKind.DECISION_APPROVED, LetterKind.PAYMENT_NOTICE, LetterKind.PAYMENT_NOTICE, LetterKind.RECOVERY_NOTICE]
    )
    (refusal,) = Letter.objects.filter(dossier=refused)
    assert refusal.kind == LetterKind.DECISION_REJECTED
    for username in ("dienstverlener", "kmo"):
        client.force_login(get_user_model().objects.get(username=username))
        page = client.get(reverse("web:dossier_detail", args=[dossier.pk])).content.decode()
        for letter in Letter.objects.filter(dossier=dossier):
            assert reverse("letter_download", args=[letter.pk]) in page, username
            assert client.get(reverse("letter_download", args=[letter.pk])).status_code == 200
    again = load_lifecycle_demo()
    assert not again.created and again.lifecycle == dossier and Notification.objects.count() == 11
