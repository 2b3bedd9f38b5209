"""Every page for every role: allowed, refused (403), or another tenant's object (404)."""

import pytest
from django.urls import reverse

PAGES = {
    "provider_dashboard": ("web:provider_dashboard", {"provider", "provider_b"}),
    "provider_new": ("web:provider_new", {"provider", "provider_b"}),
    "sme_dashboard": ("web:sme_dashboard", {"sme", "sme_b"}),
    "backoffice_queue": ("web:backoffice_queue", {"case_handler", "admin"}),
    "backoffice_payments": ("web:backoffice_payments", {"case_handler", "admin"}),
    "control_home": ("web:control_home", {"controller", "admin"}),
    "control_audit": ("web:control_audit", {"controller", "admin"}),
    "statistics": ("web:statistics", {"policy", "admin"}),
}
ROLES = ["provider", "provider_b", "sme", "sme_b", "case_handler", "controller", "policy", "admin"]


@pytest.mark.parametrize("page", PAGES)
@pytest.mark.parametrize("role", ROLES)
def test_page_allowed_only_for_its_roles(world, login, role, page):
    name, allowed = PAGES[page]
    response = login(world["users"][role]).get(reverse(name))
    assert response.status_code == (200 if role in allowed else 403), response.content[:300]


@pytest.mark.parametrize("page", PAGES)
def test_anonymous_is_sent_to_login(client, world, page):
    response = client.get(reverse(PAGES[page][0]))
    assert response.status_code == 302
    assert response["Location"].startswith(reverse("login"))


@pytest.mark.parametrize(
    "role, expected",
    [
        ("provider", "web:provider_dashboard"),
        ("sme", "web:sme_dashboard"),
        ("case_handler", "web:backoffice_queue"),
        ("controller", "web:control_home"),
        ("policy", "web:statistics"),
        ("admin", "admin:index"),
    ],
)
def test_home_sends_each_role_to_its_start_page(world, login, role, expected):
    response = login(world["users"][role]).get(reverse("web:home"))
    assert response.status_code == 302 and response["Location"] == reverse(expected)


@pytest.mark.parametrize(
    "role, status",
    [
        ("provider", 200),
        ("sme", 200),
        ("case_handler", 200),
        ("controller", 200),
        ("admin", 200),
        ("provider_b", 404),
        ("sme_b", 404),
        ("policy", 403),
    ],
)
def test_dossier_page_per_role_and_tenant(dossier_a, world, login, role, status):
    response = login(world["users"][role]).get(reverse("web:dossier_detail", args=[dossier_a.pk]))
    assert response.status_code == status
    if status != 200:
        # Nothing of the dossier leaks on a refusal.
        assert dossier_a.reference.encode() not in response.content
        assert world["company_a"].name.encode() not in response.content


def test_dashboards_show_only_own_tenant(dossier_a, dossier_b, world, login):
    client = login(world["users"]["provider"])
    body = client.get(reverse("web:provider_dashboard")).content
    assert dossier_a.reference.encode() in body and dossier_b.reference.encode() not in body
    client = login(world["users"]["sme_b"])
    body = client.get(reverse("web:sme_dashboard")).content
    assert dossier_b.reference.encode() in body and dossier_a.reference.encode() not in body


def test_audit_trail_and_eligibility_only_for_agency(dossier_a, world, login):
    provider_page = (
        login(world["users"]["provider"]).get(reverse("web:dossier_detail", args=[dossier_a.pk])).content.decode()
    )
    assert "Audittrail" not in provider_page and "Subsidiabiliteitstoets" not in provider_page
    handler_page = (
        login(world["users"]["case_handler"]).get(reverse("web:dossier_detail", args=[dossier_a.pk])).content.decode()
    )
    assert "Audittrail" in handler_page and "Subsidiabiliteitstoets" in handler_page


def test_other_tenant_cannot_post_actions(dossier_a, world, login):
    client = login(world["users"]["provider_b"])
    for name, args in (
        ("web:statement_create", [dossier_a.pk]),
        ("web:final_report_submit", [dossier_a.pk]),
        ("web:dossier_transition", [dossier_a.pk, "withdraw"]),
        ("web:provider_documents", [dossier_a.pk]),
    ):
        assert client.post(reverse(name, args=args), {}).status_code == 404
    client = login(world["users"]["sme_b"])
    assert client.post(reverse("web:sme_confirm", args=[dossier_a.pk]), {"confirm": "on"}).status_code == 404
    dossier_a.refresh_from_db()
    assert dossier_a.status == "submitted" and dossier_a.sme_confirmed_at is None


def test_wrong_role_cannot_decide(dossier_a, world, login):
    client = login(world["users"]["provider"])
    response = client.post(
        reverse("web:dossier_transition", args=[dossier_a.pk, "approve"]),
        {"approve-transition": "approve", "approve-version": dossier_a.updated_at.isoformat()},
    )
    assert response.status_code == 403
    dossier_a.refresh_from_db()
    assert dossier_a.status == "submitted"


def test_admin_site_only_for_administrator(world, login):
    assert login(world["users"]["admin"]).get("/admin/").status_code == 200
    response = login(world["users"]["case_handler"]).get("/admin/")
    assert response.status_code == 302 and "/admin/login/" in response["Location"]


def test_pages_have_lang_skip_link_and_language_switch(world, login):
    body = login(world["users"]["provider"]).get(reverse("web:provider_dashboard")).content.decode()
    assert '<html lang="nl">' in body
    assert 'class="skip-link" href="#main"' in body and 'id="main"' in body
    assert 'name="language"' in body
