"""E-mail notifications against a real SMTP server (aiosmtpd): recorded in the transaction of
the change, sent after the commit, retried after a failure that never undoes the change."""

import email
from datetime import date, timedelta
from decimal import Decimal
from email.header import decode_header, make_header

import pytest
from django.contrib.auth.models import User
from django.core.management import call_command
from django.urls import reverse
from django.utils import timezone

from cstraject.accounts.models import Role
from cstraject.audit.models import AuditAction
from cstraject.audit.services import audit_event_record
from cstraject.dossiers.models import DossierStatus
from cstraject.dossiers.services import dossier_reject
from cstraject.operations.models import Notification, NotificationKind, NotificationStatus
from cstraject.operations.notifications import render
from cstraject.payments.services import payment_import, recovery_create
from tests.factories import CallFactory, DossierFactory, actor, user_with_role

from .smtp import free_port, smtp_server

pytestmark = pytest.mark.django_db

ALL_KINDS = list(NotificationKind.values)


@pytest.fixture
def people():
    dossier = DossierFactory(reference="CS-N-0001", status=DossierStatus.SUBMITTED)
    other = DossierFactory(reference="CS-N-0002", status=DossierStatus.SUBMITTED)
    provider_user = user_with_role("prov_n", Role.PROVIDER, provider=dossier.provider)
    provider_user.email = "dienstverlener@example.be"
    provider_user.save()
    colleague = user_with_role("prov_n2", Role.PROVIDER, provider=dossier.provider)
    colleague.email = "collega@example.be"
    colleague.save()
    sme = user_with_role("sme_n", Role.SME_CONTACT, company=dossier.company)
    sme.email = "kmo@example.be"
    sme.save()
    other_provider = user_with_role("prov_other", Role.PROVIDER, provider=other.provider)
    other_provider.email = "ander@example.be"
    other_provider.save()
    handler = user_with_role("handler_n", Role.CASE_HANDLER)
    return {"dossier": dossier, "handler": handler, "provider_user": provider_user}


def _body(raw: str) -> tuple[str, str]:
    message = email.message_from_string(raw)
    subject = str(make_header(decode_header(message["Subject"])))
    return subject, message.get_payload(decode=True).decode()


def test_a_decision_mails_each_provider_user_separately_after_the_commit(
    people, settings, django_capture_on_commit_callbacks
):
    with smtp_server(settings) as inbox:
        with django_capture_on_commit_callbacks(execute=True) as callbacks:
            dossier_reject(
                actor=actor(Role.CASE_HANDLER, user=people["handler"]), dossier=people["dossier"], reason="Geen kmo."
            )
            assert Notification.objects.filter(status=NotificationStatus.PENDING).count() == 2
            assert inbox.messages == []  # nothing leaves before the commit
        assert len(callbacks) >= 1

    assert sorted(rcpt for rcpt, _ in inbox.messages) == [["collega@example.be"], ["dienstverlener@example.be"]]
    subject, body = _body(inbox.messages[0][1])
    assert subject == "Dossier CS-N-0001: aanvraag geweigerd"
    assert f"http://127.0.0.1:8000{reverse('web:dossier_detail', args=[people['dossier'].pk])}" in body
    assert "beroep" in body
    addresses = {"dienstverlener@example.be", "collega@example.be", "kmo@example.be", "ander@example.be"}
    for (rcpt,), raw in inbox.messages:
        assert [a for a in addresses - {rcpt} if a in raw] == []  # nobody else's address
        assert "Geen kmo." not in raw and "handler_n" not in raw  # no free-text reason, no staff names
    notifications = Notification.objects.order_by("to_address")
    assert [(n.kind, n.status, n.attempts) for n in notifications] == [
        (NotificationKind.DECISION_REJECTED, NotificationStatus.SENT, 1)
    ] * 2
    assert all(n.sent_at is not None and n.audit_event.action == AuditAction.TRANSITION for n in notifications)


def test_a_refusing_server_fails_the_message_not_the_decision(people, settings, django_capture_on_commit_callbacks):
    with smtp_server(settings, refuse=True) as inbox, django_capture_on_commit_callbacks(execute=True):
        dossier_reject(
            actor=actor(Role.CASE_HANDLER, user=people["handler"]), dossier=people["dossier"], reason="Geen kmo."
        )

    people["dossier"].refresh_from_db()
    assert people["dossier"].status == DossierStatus.REJECTED
    assert inbox.messages == []
    failed = Notification.objects.get(to_address="dienstverlener@example.be")
    assert failed.status == NotificationStatus.FAILED
    assert failed.attempts == 1
    assert "550" in failed.last_error
    assert failed.next_attempt_at > timezone.now()


def test_a_server_that_is_down_is_retried_by_the_scheduler_command(
    people, settings, django_capture_on_commit_callbacks
):
    port = free_port()
    settings.EMAIL_BACKEND = "django.core.mail.backends.smtp.EmailBackend"
    settings.EMAIL_HOST, settings.EMAIL_PORT, settings.EMAIL_TIMEOUT = "127.0.0.1", port, 2
    with django_capture_on_commit_callbacks(execute=True):
        dossier_reject(actor=actor(Role.CASE_HANDLER, user=people["handler"]), dossier=people["dossier"], reason="x")
    people["dossier"].refresh_from_db()
    assert people["dossier"].status == DossierStatus.REJECTED
    assert set(Notification.objects.values_list("status", "attempts")) == {(NotificationStatus.FAILED, 1)}
    assert "ConnectionRefusedError" in Notification.objects.first().last_error

    call_command("notifications", "send")  # not yet due: the back-off holds
    assert set(Notification.objects.values_list("attempts", flat=True)) == {1}

    with smtp_server(settings, port=port) as inbox:
        call_command("notifications", "send", "--all-failed")

    assert len(inbox.messages) == 2
    assert set(Notification.objects.values_list("status", "attempts", "last_error")) == {
        (NotificationStatus.SENT, 2, "")
    }


def test_the_agency_sees_the_messages_on_the_dossier_page_the_provider_does_not(
    people, settings, client, django_capture_on_commit_callbacks
):
    with smtp_server(settings, refuse=True), django_capture_on_commit_callbacks(execute=True):
        dossier_reject(actor=actor(Role.CASE_HANDLER, user=people["handler"]), dossier=people["dossier"], reason="x")
    url = reverse("web:dossier_detail", args=[people["dossier"].pk])

    client.force_login(User.objects.get(username="handler_n"))
    page = client.get(url).content.decode()
    assert 'id="notifications-title"' in page
    assert "dienstverlener@example.be" in page and "550" in page

    client.force_login(User.objects.get(username="prov_n"))
    page = client.get(url).content.decode()
    assert "notifications-title" not in page and "collega@example.be" not in page


def test_payment_and_recovery_mail_the_provider_with_the_amount(people, settings, django_capture_on_commit_callbacks):
    dossier = people["dossier"]
    dossier.status = DossierStatus.IN_PROGRESS
    dossier.save()
    handler = actor(Role.ADMIN)
    with smtp_server(settings) as inbox, django_capture_on_commit_callbacks(execute=True):
        payment_import(
            actor=handler, dossier=dossier, tranche=1, amount=Decimal("9801.00"), payment_date=date(2026, 1, 5)
        )
        recovery_create(actor=handler, dossier=dossier, amount="1000.00", reason="Te veel betaald.")

    subjects = sorted(_body(raw)[0] for _, raw in inbox.messages)
    assert subjects == ["Dossier CS-N-0001: betaling van schijf 1"] * 2 + ["Dossier CS-N-0001: terugvordering"] * 2
    bodies = " ".join(_body(raw)[1] for _, raw in inbox.messages)
    assert "EUR 9.801,00" in bodies and "EUR 1.000,00" in bodies


def test_the_system_replaying_history_notifies_nobody(people, django_capture_on_commit_callbacks):
    dossier = people["dossier"]
    with django_capture_on_commit_callbacks(execute=True):
        payment_import(
            actor=actor(Role.SYSTEM),
            dossier=dossier,
            tranche=1,
            amount=Decimal("9801.00"),
            payment_date=date(2021, 9, 1),
        )
        audit_event_record(
            actor=actor(Role.CASE_HANDLER, user=people["handler"]),
            action=AuditAction.TRANSITION,
            dossier=dossier,
            from_status="submitted",
            to_status="approved",
            occurred_at=timezone.now() - timedelta(days=400),
        )
    assert not Notification.objects.exists()


def test_the_follow_up_survey_goes_to_the_sme_contact_even_when_the_system_sends_it(
    people, settings, django_capture_on_commit_callbacks
):
    with smtp_server(settings) as inbox, django_capture_on_commit_callbacks(execute=True):
        audit_event_record(
            actor=actor(Role.SYSTEM),
            action=AuditAction.DOCUMENT,
            dossier=people["dossier"],
            data={"follow_up": 1, "deadline": "2026-12-27"},
        )
    ((rcpt, raw),) = inbox.messages
    assert rcpt == ["kmo@example.be"]
    subject, body = _body(raw)
    assert "CS-N-0001" in subject and "2026-12-27" in body
    assert reverse("web:follow_up", args=[people["dossier"].pk]) in body


@pytest.mark.parametrize("language", ["nl", "en"])
@pytest.mark.parametrize("kind", ALL_KINDS)
def test_every_kind_has_a_dutch_and_an_english_text_with_the_link(kind, language):
    context = {
        "reference": "CS-2023-0007",
        "link": "https://cstraject.example.be/dossiers/7/",
        "amount": "EUR 1.000,00",
        "subsidy": "EUR 16.335,00",
        "tranche": 1,
        "deadline": "2026-12-27",
    }
    context.update(selection=12, count=10, seed=2026)
    subject, body = render(kind, language, context)
    assert ("12" if kind == NotificationKind.CONTROL_SAMPLE else "CS-2023-0007") in subject and "\n" not in subject
    assert "https://cstraject.example.be/dossiers/7/" in body
    assert "{" not in body and "&" not in body
    assert ("automatisch bericht" in body) == (language == "nl")


@pytest.fixture
def database_tasks(settings):
    """django-tasks' database backend, as in production."""
    settings.TASKS = {"default": {"BACKEND": "django_tasks_db.DatabaseBackend"}}  # django-tasks resets on change


@pytest.mark.django_db(transaction=True)  # the worker closes its connection between tasks
def test_with_the_database_backend_the_worker_sends_and_defers_a_retry(people, settings, database_tasks):
    from django_tasks_db.models import DBTaskResult

    # No test transaction: the change commits at once and on_commit runs for real.
    dossier_reject(actor=actor(Role.CASE_HANDLER, user=people["handler"]), dossier=people["dossier"], reason="x")
    assert DBTaskResult.objects.count() == 2  # queued, not sent: no worker ran yet
    assert set(Notification.objects.values_list("status", flat=True)) == {NotificationStatus.PENDING}

    with smtp_server(settings, refuse=True):
        call_command("db_worker", "--batch", "--no-startup-delay", verbosity=0)
    assert set(Notification.objects.values_list("status", "attempts")) == {(NotificationStatus.FAILED, 1)}
    retries = DBTaskResult.objects.filter(status="READY")
    assert retries.count() == 2 and all(r.run_after is not None and r.run_after > timezone.now() for r in retries)


def test_a_submitted_quote_and_a_signed_final_report_ask_the_sme_contact(
    people, settings, django_capture_on_commit_callbacks
):
    from cstraject.dossiers.declarations import DECLARATIONS
    from cstraject.dossiers.services import dossier_submit
    from cstraject.impact.services import final_report_submit
    from tests.impact.helpers import provider_actor, valid_report, with_framework

    dossier = people["dossier"]
    open_call = CallFactory(code="CS-2026", opens_date=date(2026, 1, 1), closes_date=None)
    draft = DossierFactory(
        reference="CS-N-0003",
        call=open_call,
        status=DossierStatus.DRAFT,
        company=dossier.company,
        provider=dossier.provider,
        submitted_date=None,
        decided_date=None,
        declarations=dict.fromkeys(DECLARATIONS, True),
    )
    running = DossierFactory(
        reference="CS-N-0004",
        status=DossierStatus.IN_PROGRESS,
        company=dossier.company,
        provider=dossier.provider,
        started_date=date(2021, 4, 1),
    )
    with_framework(running.call)
    with smtp_server(settings) as inbox, django_capture_on_commit_callbacks(execute=True):
        dossier_submit(actor=provider_actor(draft, people["provider_user"].pk), dossier=draft)
        final_report_submit(
            actor=provider_actor(running, people["provider_user"].pk), dossier=running, **valid_report()
        )

    received = sorted((rcpt, _body(raw)[0], _body(raw)[1]) for (rcpt,), raw in inbox.messages)
    assert [(r, s) for r, s, _ in received] == [
        ("kmo@example.be", "Dossier CS-N-0003: bevestig de offerte en de verklaringen op eer"),
        ("kmo@example.be", "Dossier CS-N-0004: eindverslag wacht op uw medeondertekening"),
    ]
    assert reverse("web:final_report_cosign", args=[running.pk]) in received[1][2]
    assert "An Peeters" not in received[1][2]  # the signatory's name stays in the application


def test_a_drawn_control_sample_mails_each_controller_and_nobody_else(
    people, settings, django_capture_on_commit_callbacks
):
    from cstraject.accounts.actors import system_actor
    from cstraject.accounts.permissions import RULES, Action
    from cstraject.controls.screening.run import screening_run
    from cstraject.controls.selection import control_select

    controllers = []
    for name in ("controleur_a", "controleur_b"):
        user = user_with_role(name, Role.CONTROLLER)
        user.email = f"{name}@vlaio.example"
        user.save()
        controllers.append(user)
    for name, role in (("beheerder_n", Role.ADMIN), ("beleid_n", Role.POLICY)):
        user = user_with_role(name, role)
        user.email = f"{name}@vlaio.example"
        user.save()
    assert set(RULES[Action.CONTROL_SAMPLE_NOTICE]) == {Role.CONTROLLER}
    screening_run(actor=system_actor(), today=date(2025, 6, 30))

    with smtp_server(settings) as inbox, django_capture_on_commit_callbacks(execute=True):
        selection = control_select(
            actor=actor(Role.CONTROLLER, user=controllers[0]), risk_size=1, random_size=1, seed=5
        )

    assert sorted(rcpt for rcpt, _ in inbox.messages) == [
        ["controleur_a@vlaio.example"],
        ["controleur_b@vlaio.example"],
    ]
    subject, body = _body(inbox.messages[0][1])
    assert subject == f"Controlesteekproef {selection.pk} is getrokken"
    assert f"http://127.0.0.1:8000{reverse('web:risk_queue')}" in body
    assert f"--selection {selection.pk}" in body and "seed 5" in body
    for (rcpt,), raw in inbox.messages:  # no dossier, no company, no other person in the message
        other = ({"controleur_a@vlaio.example", "controleur_b@vlaio.example"} - {rcpt}).pop()
        assert "CS-N-0001" not in raw and "@example.be" not in raw and other not in raw
    notifications = Notification.objects.filter(kind=NotificationKind.CONTROL_SAMPLE)
    assert notifications.count() == 2 and all(
        n.dossier is None and n.status == NotificationStatus.SENT for n in notifications
    )
