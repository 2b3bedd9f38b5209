"""Structured logs: a JSON line per request and per committed audit event, never a password."""

import io
import json
import logging

import pytest
from django.db import transaction
from django.urls import reverse

from cstraject.accounts.models import Role
from cstraject.audit.models import AuditEvent
from cstraject.dossiers.models import DossierStatus
from cstraject.dossiers.services import dossier_start
from cstraject.operations.logs import JsonFormatter, TextFormatter
from tests.factories import TEST_PASSWORD, DossierFactory, actor, user_with_role

pytestmark = pytest.mark.django_db


@pytest.fixture
def json_lines():
    """The 'cstraject' loggers' output through the JSON formatter, as parsed lines."""
    stream = io.StringIO()
    handler = logging.StreamHandler(stream)
    handler.setFormatter(JsonFormatter())
    logger = logging.getLogger("cstraject")
    logger.addHandler(handler)
    try:
        yield lambda: [json.loads(line) for line in stream.getvalue().splitlines()]
    finally:
        logger.removeHandler(handler)


def test_a_request_is_one_json_line_with_the_dossier_reference(client, json_lines):
    dossier = DossierFactory(reference="CS-L-0001")
    user = user_with_role("handler_log", Role.CASE_HANDLER)
    client.force_login(user)

    response = client.get(reverse("web:dossier_detail", args=[dossier.pk]) + "?q=Jansens")

    assert response.status_code == 200
    (line,) = [line for line in json_lines() if line["logger"] == "cstraject.request"]
    assert line["event"] == "request"
    assert line["method"] == "GET"
    assert line["path"] == f"/dossiers/{dossier.pk}/"  # without the query string
    assert line["status"] == 200
    assert line["dossier"] == "CS-L-0001"
    assert line["user_id"] == user.pk
    assert line["role"] == "case_handler"
    assert isinstance(line["duration_ms"], float)
    assert "Jansens" not in json.dumps(json_lines())


def test_a_login_never_logs_the_password(client, json_lines):
    user_with_role("prov_log", Role.CASE_HANDLER)

    client.post(reverse("login"), {"username": "prov_log", "password": TEST_PASSWORD})
    client.post(reverse("login"), {"username": "prov_log", "password": "wrong-secret-42"})

    output = json.dumps(json_lines())
    assert json_lines(), "the login requests are logged"
    assert TEST_PASSWORD not in output and "wrong-secret-42" not in output


def test_an_audit_event_is_logged_once_committed(json_lines, django_capture_on_commit_callbacks):
    dossier = DossierFactory(reference="CS-L-0002", status=DossierStatus.APPROVED)

    with django_capture_on_commit_callbacks(execute=True):
        dossier_start(actor=actor(Role.ADMIN), dossier=dossier, reason="Start met gegevens van Jan Peeters")

    (line,) = [line for line in json_lines() if line["logger"] == "cstraject.events"]
    assert line["event"] == "audit"
    assert line["action"] == "transition"
    assert line["dossier"] == "CS-L-0002"
    assert (line["from_status"], line["to_status"]) == ("approved", "in_progress")
    assert line["role"] == "admin"
    assert "Peeters" not in json.dumps(line)  # free-text reasons stay in the audit trail


def test_a_rolled_back_change_logs_no_event(json_lines, django_capture_on_commit_callbacks):
    dossier = DossierFactory(reference="CS-L-0003", status=DossierStatus.APPROVED)

    with django_capture_on_commit_callbacks(execute=True), pytest.raises(RuntimeError), transaction.atomic():
        dossier_start(actor=actor(Role.ADMIN), dossier=dossier)
        assert AuditEvent.objects.filter(dossier=dossier).exists()
        raise RuntimeError("the surrounding change fails")

    assert [line for line in json_lines() if line["logger"] == "cstraject.events"] == []


def test_text_format_carries_the_same_fields():
    record = logging.LogRecord("cstraject.events", logging.INFO, __file__, 1, "transition", None, None)
    record.dossier = "CS-L-0004"
    record.action = "transition"

    line = TextFormatter("%(levelname)s %(name)s %(message)s").format(record)

    assert line == "INFO cstraject.events transition dossier=CS-L-0004 action=transition"


def test_log_format_comes_from_the_environment(tmp_path):
    import subprocess
    import sys

    script = "from django.conf import settings; print(settings.LOGGING['handlers']['console']['formatter'])"
    env = {"CSTRAJECT_LOG_FORMAT": "json", "DJANGO_SETTINGS_MODULE": "cstraject.settings", "PATH": ""}
    out = subprocess.run([sys.executable, "-c", script], env=env, capture_output=True, text=True, cwd=tmp_path)
    assert out.stdout.strip() == "json", out.stderr


def test_serve_with_json_logs_writes_one_json_line_per_request(tmp_path):
    """The real server: every line its requests produce on stderr is JSON (no gunicorn text access log)."""
    import os
    import subprocess
    import sys
    import time
    import urllib.request

    from .smtp import free_port

    port = free_port()
    env = {
        **os.environ,
        "DATABASE_URL": f"sqlite:///{tmp_path / 'serve.sqlite3'}",
        "CSTRAJECT_LOG_FORMAT": "json",
        "CSTRAJECT_MEDIA_ROOT": str(tmp_path / "documents"),
    }
    subprocess.run([sys.executable, "-m", "cstraject", "migrate", "-v", "0"], env=env, check=True, cwd=tmp_path)
    process = subprocess.Popen(
        [sys.executable, "-m", "cstraject", "serve", "--port", str(port)],
        env=env,
        cwd=tmp_path,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.PIPE,
    )
    try:
        health = None
        for _ in range(100):
            try:
                with urllib.request.urlopen(f"http://127.0.0.1:{port}/health/", timeout=2) as response:
                    health = json.loads(response.read())
                    break
            except OSError:
                time.sleep(0.2)
        assert health == {"status": "ok", "checks": {"database": "ok", "migrations": "ok", "storage": "ok"}}
    finally:
        process.terminate()
        stderr = process.communicate(timeout=20)[1].decode()
    request_lines = [line for line in stderr.splitlines() if '"cstraject.request"' in line]
    assert request_lines, stderr
    assert [json.loads(line)["path"] for line in request_lines][-1] == "/health/"
    assert "GET /health/ HTTP" not in stderr  # gunicorn's text access log is off
