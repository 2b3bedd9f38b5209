"""The statistics page at 1280 px in Chromium: every chart label is inside its chart (never cut
off at the left edge), the NACE code of every sector row can be read, and the page itself does
not scroll sideways (wide tables scroll in their own box)."""

from datetime import date
from decimal import Decimal

import pytest

from cstraject.accounts.models import Role
from tests.factories import (
    TEST_PASSWORD,
    CallFactory,
    CompanyFactory,
    DossierFactory,
    NaceCodeFactory,
    ServiceProviderFactory,
    user_with_role,
)

pytestmark = pytest.mark.browser

# Long published NACE-BEL labels: the ones that were cut to "…" or off the chart's left edge.
LONG_SECTORS = {
    "28990": "Vervaardiging van andere machines, apparaten en werktuigen voor specifieke doeleinden, n.e.g.",
    "47410": "Detailhandel in computers, randapparatuur en software in gespecialiseerde winkels",
    "42220": "Bouw van civieltechnische werken voor elektriciteit en telecommunicatie",
}


@pytest.fixture
def scene(transactional_db):
    call = CallFactory(
        code="CS-2023", name="Cybersecurity verbetertrajecten 2023", opens_date=date(2023, 1, 1), closes_date=None
    )
    provider = ServiceProviderFactory(code="A", name="Dienstverlener A")
    for n, (code, label) in enumerate(LONG_SECTORS.items()):
        nace = NaceCodeFactory(code=code, label_nl=label)
        for year in (2023, 2024):
            DossierFactory(
                reference=f"CS-2023-{n}{year}",
                call=call,
                provider=provider,
                company=CompanyFactory(nace_code=nace),
                nace_code=nace,
                submitted_date=date(year, 2, 1),
                decided_date=date(year, 3, 1),
                subsidy_amount=Decimal("12345.67"),
            )
    user_with_role("policy", Role.POLICY)


def test_chart_labels_are_not_clipped_at_1280_px(scene, browser, live_server, artifacts):
    context = browser.new_context(locale="nl-BE", viewport={"width": 1280, "height": 900})
    page = context.new_page()
    page.goto(f"{live_server.url}/aanmelden/")
    page.locator("#id_username").fill("policy")
    page.locator("#id_password").fill(TEST_PASSWORD)
    page.locator("#id_password").press("Enter")
    page.wait_for_load_state()
    page.goto(f"{live_server.url}/statistieken/")
    page.wait_for_load_state()
    page.screenshot(path=str(artifacts / "statistics-1280.png"), full_page=True)

    labels = page.evaluate(
        """() => [...document.querySelectorAll('figure.chart svg')].flatMap(svg => {
            const box = svg.getBoundingClientRect();
            return [...svg.querySelectorAll('text.chart-label')].map(text => {
                const r = text.getBoundingClientRect();
                return {text: text.textContent, left: r.left - box.left, right: box.right - r.right,
                        width: r.width, chart: svg.querySelector('title').textContent};
            });
        })"""
    )
    assert labels, "no chart labels on the page"
    clipped = [label for label in labels if label["left"] < -0.5 or label["right"] < -0.5 or label["width"] == 0]
    assert not clipped, clipped[:5]
    # The sector charts name every NACE code in full (no "…"), and the whole label is there.
    # (textContent joins the wrapped lines without their space, so compare without spaces.)
    sector_labels = "".join(label["text"] for label in labels if "sector" in label["chart"]).replace(" ", "")
    for code, text in LONG_SECTORS.items():
        assert f"{code[:2]}.{code[2:]}{text}".replace(" ", "") in sector_labels
    assert "…" not in sector_labels
    # The page does not scroll sideways at 1280 px; wide tables scroll inside their own region.
    too_wide = page.evaluate(
        """() => [...document.querySelectorAll('body *')]
              .filter(e => e.scrollWidth > 1280 && getComputedStyle(e).overflowX === 'visible'
                      && !(e.parentElement && e.parentElement.closest('.table-scroll, pre.diagram')))
              .map(e => e.tagName + '.' + e.className)"""
    )
    assert page.evaluate("document.documentElement.scrollWidth") <= 1280, too_wide
    context.close()
