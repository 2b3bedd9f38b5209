"""The demo accounts and the `serve` command (gunicorn + WhiteNoise)."""

import os
import socket
import subprocess
import sys
import time
import urllib.request

import pytest
from django.contrib.auth import authenticate

from cstraject.accounts.actors import actor_for_user
from cstraject.accounts.models import Role
from cstraject.web.demo_users import DEMO_PASSWORD, create_demo_users
from tests.factories import DossierFactory, ServiceProviderFactory


def test_create_demo_users_one_per_role_and_idempotent(db):
    provider = ServiceProviderFactory(code="A", name="Dienstverlener A")
    dossier = DossierFactory(provider=provider)
    first = create_demo_users()
    second = create_demo_users()
    assert [row[0] for row in first] == [row[0] for row in second]
    roles = {row[2] for row in first}
    assert roles == {Role.PROVIDER, Role.SME_CONTACT, Role.CASE_HANDLER, Role.CONTROLLER, Role.POLICY, Role.ADMIN}
    for username, password, role, _description in second:
        user = authenticate(username=username, password=password)
        assert user is not None and password == DEMO_PASSWORD
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
