"""The CLI as a door: accounts and passwords, the same rules as the web, channel and OS user in the audit trail."""

import getpass
import io
import json
from io import StringIO

import pytest
from django.contrib.auth import get_user_model
from django.core.management import call_command
from django.core.management.base import CommandError

from cstraject.accounts.models import Role
from cstraject.audit.models import AuditEvent
from tests.factories import DossierFactory, user_with_role


def cli(*args, stdin=None) -> str:
    out = StringIO()
    kwargs = {"stdin": stdin} if stdin is not None else {}
    call_command(*args, stdout=out, **kwargs)
    return out.getvalue()


def test_password_only_through_stdin_or_prompt_and_validated(db):
    with pytest.raises(CommandError, match="unrecognized arguments: --password"):
        cli("users", "create", "piet", "--role", "policy", "--password", "geheim-en-lang-2026")
    with pytest.raises(CommandError, match="password: .*te kort|password: .*too short"):
        cli("users", "create", "piet", "--role", "policy", "--password-stdin", stdin=io.StringIO("123\n"))
    assert not AuditEvent.objects.exists()
    cli("users", "create", "piet", "--role", "policy")
    piet = get_user_model().objects.get(username="piet")
    assert not piet.has_usable_password()
    with pytest.raises(CommandError, match="password"):
        cli("users", "set-password", "piet", "--password-stdin", stdin=io.StringIO("password\n"))
    cli("users", "set-password", "piet", "--password-stdin", stdin=io.StringIO("Zeer-lang-en-uniek-2026\n"))
    piet.refresh_from_db()
    assert piet.check_password("Zeer-lang-en-uniek-2026")


def test_prompt_needs_a_terminal(db):
    cli("users", "create", "piet", "--role", "policy")
    with pytest.raises(CommandError, match="--password-stdin"):
        cli("users", "set-password", "piet", stdin=io.StringIO(""))


def test_deactivated_user_cannot_log_in_nor_be_used_with_as(db, client):
    user_with_role("bert", Role.CASE_HANDLER)
    cli("users", "deactivate", "bert")
    with pytest.raises(CommandError, match="gedeactiveerd"):
        cli("dossiers", "list", "--as", "bert")
    from tests.factories import TEST_PASSWORD

    response = client.post("/aanmelden/", {"username": "bert", "password": TEST_PASSWORD})
    assert response.status_code == 200 and "_auth_user_id" not in client.session
    listed = json.loads(cli("users", "list", "--json"))
    assert listed[0]["active"] is False


def test_account_changes_are_audited_with_channel_and_os_user(db):
    cli("users", "create", "piet", "--role", "policy")
    cli("users", "set-password", "piet", "--password-stdin", stdin=io.StringIO("Zeer-lang-en-uniek-2026\n"))
    cli("users", "deactivate", "piet")
    events = list(AuditEvent.objects.filter(action="account"))
    assert len(events) == 3
    assert {e.channel for e in events} == {"cli"} and {e.os_user for e in events} == {getpass.getuser()}
    assert all("Zeer-lang" not in json.dumps(e.data) + e.reason for e in events)


def test_lifecycle_commands_record_cli_channel_and_os_user(db):
    dossier = DossierFactory(status="submitted")
    user_with_role("bert", Role.CASE_HANDLER)
    cli("dossiers", "reject", dossier.reference, "--as", "bert", "--reason", "Geen kmo.")
    event = AuditEvent.objects.get(action="transition")
    assert (event.channel, event.os_user, event.actor_label) == ("cli", getpass.getuser(), "bert")


def test_web_events_say_web_and_no_os_user(db, client):
    dossier = DossierFactory(status="submitted")
    user_with_role("bert", Role.CASE_HANDLER)
    client.force_login(get_user_model().objects.get(username="bert"))
    version = dossier.updated_at.isoformat()
    response = client.post(
        f"/dossiers/{dossier.pk}/overgang/reject/",
        {"reject-transition": "reject", "reject-reason": "Geen kmo.", "reject-version": version},
    )
    assert response.status_code == 302
    event = AuditEvent.objects.get(action="transition")
    assert (event.channel, event.os_user) == ("web", "")


def test_the_attacks_of_issue_7_fail_on_the_cli(db):
    """`dossiers list --as beleid` and `recoveries create --as behandelaar` are refused as on the web."""
    dossier = DossierFactory(status="in_progress")
    user_with_role("beleid", Role.POLICY)
    user_with_role("behandelaar", Role.CASE_HANDLER)
    with pytest.raises(CommandError, match="Rol 'Beleidsmedewerker' mag dit niet: dossiers oplijsten"):
        cli("dossiers", "list", "--as", "beleid", "--json")
    with pytest.raises(CommandError, match="Rol 'Dossierbehandelaar' mag dit niet: terugvordering opmaken"):
        cli("recoveries", "create", dossier.reference, "--as", "behandelaar", "--amount", "1.00", "--reason", "x")


def test_permissions_table_is_printable(db):
    rows = json.loads(cli("users", "permissions", "--json"))
    assert {"action": "dossier.list", "label": "dossiers oplijsten"}.items() <= rows[0].items()


def test_a_user_can_be_created_with_the_language_of_their_messages_and_letters(db):
    from django.core.exceptions import ValidationError

    from cstraject.accounts.services import user_create

    dossier = DossierFactory()
    cli(
        "users", "create", "anne", "--role", "sme_contact", "--company", dossier.company.enterprise_number,
        "--email", "anne@kmo.example", "--language", "en",
    )  # fmt: skip
    assert get_user_model().objects.get(username="anne").profile.language == "en"
    with pytest.raises(CommandError, match="invalid choice: 'fr'"):
        cli("users", "create", "bert", "--role", "policy", "--language", "fr")
    with pytest.raises(ValidationError) as error:
        user_create(username="bert", role="policy", language="fr")
    assert "language" in error.value.message_dict
    assert not get_user_model().objects.filter(username="bert").exists()
