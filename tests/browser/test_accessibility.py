"""axe-core on the pages the end-to-end scenario does not reach, in Dutch and
English, including a form with errors; and keyboard use of the skip link."""

from datetime import date
from decimal import Decimal

import pytest

from cstraject.accounts.models import Role
from tests.factories import (
    TEST_PASSWORD,
    CallFactory,
    CompanyFactory,
    DossierFactory,
    ServiceProviderFactory,
    user_with_role,
)

from .conftest import axe_check

pytestmark = pytest.mark.browser


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
    company = CompanyFactory(name="Kmo Alfa BV")
    dossier = DossierFactory(
        call=call, provider=provider, company=company, status="in_progress", started_date=date(2024, 1, 5)
    )
    user_with_role("sme_a", Role.SME_CONTACT, company=company)
    user_with_role("controller", Role.CONTROLLER)
    user_with_role("prov_a", Role.PROVIDER, provider=provider)
    return {"dossier": dossier}


def _login(browser, base, username, locale="nl-BE"):
    context = browser.new_context(locale=locale)
    page = context.new_page()
    page.goto(f"{base}/aanmelden/")
    page.locator("#id_username").fill(username)
    page.locator("#id_password").fill(TEST_PASSWORD)
    page.locator("#id_password").press("Enter")
    page.wait_for_load_state()
    return page


def test_pages_have_no_serious_violations(scene, browser, live_server, artifacts):
    base = live_server.url
    dossier = scene["dossier"]
    violations = {}

    def check(page, name):
        page.screenshot(path=str(artifacts / f"a11y-{name}.png"), full_page=True)
        bad = axe_check(page, name)
        if bad:
            violations[name] = bad

    sme = _login(browser, base, "sme_a")
    check(sme, "sme-dashboard")
    sme.goto(f"{base}/dossiers/{dossier.pk}/")
    check(sme, "sme-dossier")

    controller = _login(browser, base, "controller")
    check(controller, "control-recoveries")
    controller.goto(f"{base}/controle/audittrail/")
    check(controller, "control-audit")
    controller.goto(f"{base}/dossiers/{dossier.pk}/")
    check(controller, "controller-dossier")

    provider = _login(browser, base, "prov_a")
    provider.goto(f"{base}/dienstverlener/aanvraag/")
    provider.locator("#id_enterprise_number").fill("0123.456.780")
    provider.locator("#id_enterprise_number").press("Enter")
    provider.wait_for_load_state()
    # The error summary has focus and links to the field.
    assert provider.evaluate("document.activeElement.id") == "error-summary"
    provider.locator("#error-summary a").first.click()
    assert provider.evaluate("document.activeElement.id") == "id_enterprise_number"
    check(provider, "wizard-errors")

    # English.
    provider.locator("#language-select").select_option("en")
    provider.get_by_role("button", name="Wijzigen").click()
    provider.wait_for_load_state()
    assert provider.locator("html").get_attribute("lang") == "en"
    provider.goto(f"{base}/dienstverlener/")
    assert provider.get_by_role("link", name="New application").first.is_visible()
    check(provider, "provider-dashboard-en")

    assert violations == {}, violations


def test_skip_link_is_first_and_moves_focus(scene, browser, live_server):
    page = _login(browser, live_server.url, "prov_a")
    page.keyboard.press("Tab")
    assert page.evaluate("document.activeElement.className") == "skip-link"
    assert page.locator(".skip-link").is_visible()  # visible when focused
    page.keyboard.press("Enter")
    assert page.evaluate("document.activeElement.id") == "main"
