"""Decision letters, payment notices and recovery letters: DOCX, stored with the dossier with
their hash, immutable, downloadable by who may see the dossier's documents."""

import hashlib
import io
from datetime import date, timedelta
from decimal import Decimal
from pathlib import Path

import pytest
from django.contrib.auth.models import User
from django.urls import reverse
from django.utils import timezone
from docx import Document

from cstraject.accounts.models import Role
from cstraject.audit.models import AuditAction
from cstraject.audit.services import audit_event_record
from cstraject.dossiers.declarations import DECLARATIONS
from cstraject.dossiers.models import DossierStatus
from cstraject.dossiers.services import dossier_approve, dossier_reject
from cstraject.operations.models import ImmutableLetterError, Letter, LetterKind
from cstraject.payments.services import payment_import, recovery_create
from tests.factories import (
    CallFactory,
    DossierFactory,
    actor,
    eligible_company,
    offering_provider,
    user_with_role,
)

pytestmark = pytest.mark.django_db


def _text(letter: Letter) -> str:
    document = Document(io.BytesIO(Path(letter.file.path).read_bytes()))
    parts = [p.text for p in document.paragraphs]
    for table in document.tables:
        parts += [" | ".join(cell.text for cell in row.cells) for row in table.rows]
    return "\n".join(parts)


@pytest.fixture
def handler():
    return actor(Role.CASE_HANDLER, user=user_with_role("handler_l", Role.CASE_HANDLER))


def test_a_refusal_issues_a_decision_letter_with_criteria_motivation_and_appeal(handler):
    dossier = DossierFactory(reference="CS-BR-0001", status=DossierStatus.SUBMITTED)

    dossier_reject(actor=handler, dossier=dossier, reason="De onderneming is geen kmo.")

    (letter,) = Letter.objects.filter(dossier=dossier)
    assert letter.kind == LetterKind.DECISION_REJECTED
    assert letter.file.name.endswith(".docx")
    content = Path(letter.file.path).read_bytes()
    assert letter.sha256 == hashlib.sha256(content).hexdigest() and letter.size_bytes == len(content)
    text = _text(letter)
    assert "aanvraag CS-BR-0001 geweigerd" in text
    assert "De onderneming is geen kmo." in text
    assert "Beroep" in text and "beroep instellen" in text
    assert dossier.company.name in text and dossier.company.enterprise_number in text
    assert letter.audit_event.to_status == "rejected"


def test_an_approval_letter_states_the_grant_the_rules_and_each_criterion(handler):
    call = CallFactory()
    dossier = DossierFactory(
        reference="CS-BR-0002",
        status=DossierStatus.SUBMITTED,
        call=call,
        company=eligible_company(),
        provider=offering_provider(call),
        declarations=dict.fromkeys(DECLARATIONS, True),
    )

    dossier_approve(actor=handler, dossier=dossier)

    letter = Letter.objects.get(dossier=dossier)
    assert letter.kind == LetterKind.DECISION_APPROVED
    text = _text(letter)
    assert "steun toegekend voor dossier CS-BR-0002" in text
    assert "Toegekende steun | € 16.335,00" in text.replace("\xa0", " ")
    assert "Steunpercentage | 45,00 % van de offerte inclusief btw" in text
    assert "60 % wanneer 60 % van de offerte geleverd is" in text
    criteria = list(dossier.eligibility_results.filter(stage="decision"))
    # Each criterion by its label ("kmo-status"), never its code name ("sme").
    assert criteria and all(f"{result.criterion_label} | " in text for result in criteria)
    assert "sme | " not in text and "quote_range" not in text
    assert "Beroep" in text


def test_payment_and_recovery_letters_carry_the_amounts(handler):
    dossier = DossierFactory(reference="CS-BR-0003", status=DossierStatus.IN_PROGRESS)
    admin = actor(Role.ADMIN)

    payment_import(actor=admin, dossier=dossier, tranche=1, amount=Decimal("9801.00"), payment_date=date(2026, 1, 5))
    recovery_create(actor=admin, dossier=dossier, amount="1000.00", reason="Te veel betaald voor schijf 1.")

    payment, recovery = Letter.objects.filter(dossier=dossier).order_by("id")
    assert (payment.kind, recovery.kind) == (LetterKind.PAYMENT_NOTICE, LetterKind.RECOVERY_NOTICE)
    text = _text(payment)
    assert "schijf 1 van dossier CS-BR-0003" in text
    assert "Bedrag | € 9.801,00" in text.replace("\xa0", " ")
    assert "Nog niet betaald | € 6.534,00" in text.replace("\xa0", " ")
    text = _text(recovery)
    assert "Terug te betalen bedrag | € 1.000,00" in text.replace("\xa0", " ")
    assert "Te veel betaald voor schijf 1." in text


def test_a_letter_is_immutable(handler):
    dossier = DossierFactory(reference="CS-BR-0004", status=DossierStatus.SUBMITTED)
    dossier_reject(actor=handler, dossier=dossier, reason="x")
    letter = Letter.objects.get(dossier=dossier)

    letter.title = "changed"
    with pytest.raises(ImmutableLetterError):
        letter.save()
    with pytest.raises(ImmutableLetterError):
        letter.delete()
    with pytest.raises(ImmutableLetterError):
        Letter.objects.filter(pk=letter.pk).update(title="changed")
    with pytest.raises(ImmutableLetterError):
        Letter.objects.filter(pk=letter.pk).delete()


def test_history_and_system_events_issue_no_letter():
    dossier = DossierFactory(reference="CS-BR-0005", status=DossierStatus.IN_PROGRESS)
    payment_import(
        actor=actor(Role.SYSTEM), dossier=dossier, tranche=1, amount=Decimal("9801.00"), payment_date=date(2021, 9, 1)
    )
    audit_event_record(
        actor=actor(Role.CASE_HANDLER),
        action=AuditAction.TRANSITION,
        dossier=dossier,
        from_status="submitted",
        to_status="approved",
        occurred_at=timezone.now() - timedelta(days=400),
    )
    assert not Letter.objects.exists()


def test_provider_and_sme_download_their_letter_others_do_not(handler, client):
    dossier = DossierFactory(reference="CS-BR-0006", status=DossierStatus.SUBMITTED)
    other = DossierFactory(reference="CS-BR-0007")
    user_with_role("prov_l", Role.PROVIDER, provider=dossier.provider)
    user_with_role("sme_l", Role.SME_CONTACT, company=dossier.company)
    user_with_role("prov_other_l", Role.PROVIDER, provider=other.provider)
    dossier_reject(actor=handler, dossier=dossier, reason="x")
    letter = Letter.objects.get(dossier=dossier)
    url = reverse("letter_download", args=[letter.pk])

    assert client.get(url).status_code == 302  # to the login page
    for username in ("prov_l", "sme_l", "handler_l"):
        client.force_login(User.objects.get(username=username))
        response = client.get(url)
        assert response.status_code == 200, username
        assert response["Content-Type"].startswith("application/vnd.openxmlformats")
        assert hashlib.sha256(b"".join(response.streaming_content)).hexdigest() == letter.sha256
        page = client.get(reverse("web:dossier_detail", args=[dossier.pk])).content.decode()
        assert url in page
    client.force_login(User.objects.get(username="prov_other_l"))
    assert client.get(url).status_code == 404


def test_a_letter_is_in_the_language_of_its_addressee(handler, settings):
    """The SME contact's preference decides; without one the provider user's; without any, Dutch."""
    english = DossierFactory(reference="CS-BR-0010", status=DossierStatus.SUBMITTED)
    sme = user_with_role("sme_en", Role.SME_CONTACT, company=english.company)
    sme.profile.language = "en"
    sme.profile.save()
    provider_only = DossierFactory(reference="CS-BR-0011", status=DossierStatus.SUBMITTED)
    provider_user = user_with_role("prov_en", Role.PROVIDER, provider=provider_only.provider)
    provider_user.profile.language = "en"
    provider_user.profile.save()
    user_with_role("sme_nl", Role.SME_CONTACT, company=provider_only.company)  # no preference stated
    dutch = DossierFactory(reference="CS-BR-0012", status=DossierStatus.SUBMITTED)

    for dossier in (english, provider_only, dutch):
        dossier_reject(actor=handler, dossier=dossier, reason="De onderneming is geen kmo.")

    letter = Letter.objects.get(dossier=english)
    assert (letter.language, letter.title) == ("en", "Decision letter (refusal) CS-BR-0010")
    text = _text(letter)
    assert "Decision: application CS-BR-0010 refused" in text and "Enterprise number" in text
    assert "Appeal" in text and "lodge a reasoned appeal" in text and "Kind regards" in text
    assert "De onderneming is geen kmo." in text  # the motivation as the case handler wrote it
    assert "Beroep" not in text and "Ondernemingsnummer" not in text
    assert Letter.objects.get(dossier=provider_only).language == "en"
    assert (Letter.objects.get(dossier=dutch).language, "Beroep" in _text(Letter.objects.get(dossier=dutch))) == (
        "nl",
        True,
    )


def test_english_amounts_and_the_configured_appeal_clause(handler, settings):
    settings.CSTRAJECT_LETTER_APPEAL_TEXT = "Beroep: binnen 30 dagen bij de raad (tekst van het agentschap)."
    call = CallFactory()
    dossier = DossierFactory(
        reference="CS-BR-0013",
        status=DossierStatus.SUBMITTED,
        call=call,
        company=eligible_company(),
        provider=offering_provider(call),
        declarations=dict.fromkeys(DECLARATIONS, True),
    )
    sme = user_with_role("sme_en2", Role.SME_CONTACT, company=dossier.company)
    sme.profile.language = "en"
    sme.profile.save()
    dossier_approve(actor=handler, dossier=dossier)
    text = _text(Letter.objects.get(dossier=dossier))
    assert "Support granted | € 16,335.00" in text.replace("\xa0", " ")
    assert "Support rate | 45.00 % of the quote including VAT" in text
    # No English wording configured: the agency's Dutch clause, never a made-up translation of it.
    assert "Beroep: binnen 30 dagen bij de raad (tekst van het agentschap)." in text

    settings.CSTRAJECT_LETTER_APPEAL_TEXT_EN = "Appeal: within 30 days to the council (agency's text)."
    payment_import(
        actor=actor(Role.ADMIN), dossier=dossier, tranche=1, amount=Decimal("9801.00"), payment_date=date(2026, 1, 5)
    )
    recovery_create(actor=actor(Role.ADMIN), dossier=dossier, amount="1000.00", reason="Te veel betaald.")
    recovery = Letter.objects.get(dossier=dossier, kind=LetterKind.RECOVERY_NOTICE)
    assert "Appeal: within 30 days to the council (agency's text)." in _text(recovery)
    assert "Amount to be repaid | € 1,000.00" in _text(recovery).replace("\xa0", " ")
