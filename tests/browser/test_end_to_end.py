"""End to end in headless Chromium: a provider files an application, a case
handler approves it, a statement and tranche 1 are paid, policy staff download
the workbook. Every main page gets a screenshot (test-artifacts/) and an
axe-core check (no serious or critical violations)."""

import io
import re
from datetime import date, timedelta
from decimal import Decimal
from unittest import mock

import openpyxl
import pytest
from django.utils import timezone

from cstraject.accounts.models import Role
from cstraject.dossiers.models import Dossier
from cstraject.payments.models import Payment
from cstraject.payments.quarters import quarter_of
from cstraject.providers.services import provider_offer_call
from tests.factories import (
    TEST_PASSWORD,
    AnnualAccountsFactory,
    CallFactory,
    CompanyFactory,
    ServiceProviderFactory,
    pdf_bytes,
    user_with_role,
)

from .conftest import axe_check

pytestmark = pytest.mark.browser

PDF = pdf_bytes()


@pytest.fixture
def scene(transactional_db):
    call = CallFactory(
        code="CS-2023",
        name="Cybersecurity verbetertrajecten 2023",
        opens_date=date(2023, 1, 1),
        closes_date=None,
        subsidy_rate=Decimal("0.5000"),
    )
    provider = ServiceProviderFactory(code="A", name="Dienstverlener A")
    provider_offer_call(provider=provider, call=call)
    company = CompanyFactory(name="Kmo Alfa BV", postal_code="9000", municipality="Gent")
    for year in range(2021, 2026):
        AnnualAccountsFactory(company=company, year=year)
    user_with_role("prov_a", Role.PROVIDER, provider=provider)
    user_with_role("handler", Role.CASE_HANDLER)
    user_with_role("policy", Role.POLICY)
    return {"call": call, "provider": provider, "company": company}


class Pages:
    def __init__(self, browser, live_server, artifacts):
        self.browser, self.base, self.artifacts = browser, live_server.url, artifacts
        self.violations = {}
        self.csp_errors = []

    def login(self, username):
        context = self.browser.new_context(accept_downloads=True, locale="nl-BE")
        page = context.new_page()
        # The Content-Security-Policy must not block anything our pages need.
        page.on(
            "console",
            lambda message: self.csp_errors.append(message.text) if "Content Security Policy" in message.text else None,
        )
        page.goto(f"{self.base}/aanmelden/")
        page.get_by_label("Gebruikersnaam").fill(username)
        page.get_by_label("Wachtwoord").fill(TEST_PASSWORD)
        page.get_by_role("button", name="Aanmelden").click()
        page.wait_for_load_state()
        return page

    def check(self, page, name):
        page.screenshot(path=str(self.artifacts / f"{name}.png"), full_page=True)
        bad = axe_check(page, name)
        if bad:
            self.violations[name] = bad


def _shifted_localdate(target: date):
    real = timezone.localdate

    def localdate(value=None, timezone=None):
        return target if value is None else real(value, timezone)

    return mock.patch("django.utils.timezone.localdate", localdate)


def test_application_to_payment_to_workbook(scene, browser, live_server, artifacts):
    pages = Pages(browser, live_server, artifacts)
    company = scene["company"]

    # The login page itself.
    context = browser.new_context()
    login_page = context.new_page()
    login_page.goto(f"{live_server.url}/aanmelden/")
    pages.check(login_page, "01-login")
    context.close()

    # 1. The provider files an application with the wizard.
    provider = pages.login("prov_a")
    pages.check(provider, "02-provider-dashboard")
    provider.get_by_role("link", name="Nieuwe aanvraag").first.click()
    provider.get_by_label("Ondernemingsnummer").fill(company.display_enterprise_number)
    provider.get_by_role("button", name="Opzoeken").click()
    assert provider.get_by_text("Oost-Vlaanderen").is_visible()
    pages.check(provider, "03-wizard-company")
    provider.get_by_role("link", name="Verder met deze onderneming").click()
    provider.locator('input[name="packages"][value="BASIS"]').check()
    provider.locator('input[name="amount_BASIS"]').fill("30000")
    provider.locator('input[name="man_days_BASIS"]').fill("22")
    assert "18.150,00" in provider.locator("#subsidy-preview").inner_text()  # the live preview
    pages.check(provider, "04-wizard-packages")
    provider.get_by_role("button", name="Opslaan en verder").click()
    dossier = Dossier.objects.get(company=company)
    assert dossier.status == "draft" and dossier.subsidy_amount == Decimal("18150.00")
    provider.locator('input[name="quote_file"]').set_input_files(
        {"name": "offerte.pdf", "mimeType": "application/pdf", "buffer": PDF}
    )
    provider.locator('input[name="declarations_file"]').set_input_files(
        {"name": "verklaringen.pdf", "mimeType": "application/pdf", "buffer": PDF}
    )
    for box in provider.locator('input[type="checkbox"][name^="declaration_"]').all():
        box.check()
    pages.check(provider, "05-wizard-documents")
    provider.get_by_role("button", name="Opslaan en verder").click()
    pages.check(provider, "06-wizard-submit")
    provider.get_by_label("Ik bevestig dat de gegevens juist zijn").check()
    provider.get_by_role("button", name="Aanvraag indienen").click()
    provider.wait_for_url(f"**/dossiers/{dossier.pk}/")
    dossier.refresh_from_db()
    assert dossier.status == "submitted"

    # 2. The case handler approves it from the work queue.
    handler = pages.login("handler")
    pages.check(handler, "07-backoffice-queue")
    handler.get_by_role("link", name=dossier.reference).click()
    pages.check(handler, "08-dossier-case-handler")
    handler.locator('form[action$="/overgang/approve/"] textarea').fill("Subsidiabel; jaarrekeningen nagekeken.")
    handler.get_by_role("button", name="Goedkeuren").click()
    handler.wait_for_load_state()
    dossier.refresh_from_db()
    assert dossier.status == "approved", handler.content()[:3000]

    # 3. The provider starts the work; a quarter later files the statement and asks tranche 1.
    provider.goto(f"{live_server.url}/dossiers/{dossier.pk}/")
    provider.get_by_role("button", name="Starten").click()
    provider.wait_for_load_state()
    dossier.refresh_from_db()
    assert dossier.status == "in_progress"
    quarter = quarter_of(timezone.localdate())
    next_quarter_day = quarter.end + timedelta(days=5)
    with _shifted_localdate(next_quarter_day):
        provider.goto(f"{live_server.url}/dossiers/{dossier.pk}/")
        provider.get_by_label("Kwartaal (verplicht)", exact=True).fill(str(quarter))
        provider.get_by_label("Geleverde mensdagen (cumulatief)").fill("14")
        provider.get_by_label("Geleverd bedrag excl. btw (cumulatief, EUR)").fill("19000")
        provider.get_by_role("button", name="Prestatiestaat indienen").click()
        provider.wait_for_load_state()
        pages.check(provider, "09-dossier-provider-statement")
        provider.get_by_role("button", name="Betaling aanvragen").click()
        provider.wait_for_load_state()
        assert "10.890,00" in provider.content()

        # 4. The case handler approves the payment.
        handler.goto(f"{live_server.url}/backoffice/betalingen/")
        pages.check(handler, "10-backoffice-payments")
        handler.get_by_role("link", name=re.compile("nakijken en beslissen")).first.click()
        handler.wait_for_load_state()
        pages.check(handler, "10b-payment-request-review")
        assert "10.890,00" in handler.content()
        handler.get_by_role("checkbox").check()
        handler.get_by_role("button", name=re.compile("^Goedkeuren en")).click()
        handler.wait_for_load_state()
    payment = Payment.objects.get(dossier=dossier)
    assert payment.tranche == 1 and payment.amount == Decimal("10890.00")

    # 5. Policy staff see the statistics and download the workbook.
    policy = pages.login("policy")
    policy.goto(f"{live_server.url}/statistieken/?year_from=2023&year_to={next_quarter_day.year}")
    pages.check(policy, "11-statistics")
    with policy.expect_download() as download_info:
        policy.get_by_role("link", name="Werkboek downloaden (Excel)").click()
    download = download_info.value
    target = artifacts / "antwoord-526-e2e.xlsx"
    download.save_as(str(target))
    book = openpyxl.load_workbook(io.BytesIO(target.read_bytes()))
    assert len(book.sheetnames) >= 2

    assert pages.violations == {}, pages.violations
    assert pages.csp_errors == [], pages.csp_errors
