"""Bad input never gives a 500: branded Dutch error pages, pages out of range, 403 logged in one line."""

import logging

import pytest
from django.conf import settings as django_settings
from django.test import Client, RequestFactory
from django.urls import reverse

from cstraject.web.views.errors import server_error

BRAND = "Cybersecurity verbetertrajecten"


def test_404_is_branded_dutch_and_follows_the_language(client):
    response = client.get("/bestaat-niet/")
    body = response.content.decode()
    assert response.status_code == 404 and '<html lang="nl">' in body and BRAND in body and "Niet gevonden" in body
    client.cookies[django_settings.LANGUAGE_COOKIE_NAME] = "en"
    assert '<html lang="en">' in client.get("/bestaat-niet/").content.decode()


def test_400_on_a_bad_host_header_before_any_user_is_known(db, client):
    response = client.get("/", HTTP_HOST="aanvaller.example")
    body = response.content.decode()
    assert response.status_code == 400 and "Ongeldige aanvraag" in body and BRAND in body


def test_403_page_and_a_one_line_log(world, login, dossier_a, caplog):
    client = login(world["users"]["policy"])
    with caplog.at_level(logging.WARNING, logger="django.request"):
        response = client.get(reverse("web:dossier_detail", args=[dossier_a.pk]))
    assert response.status_code == 403 and "Geen toegang" in response.content.decode()
    records = [r for r in caplog.records if r.name == "django.request" and r.status_code == 403]
    assert records and all(r.exc_info is None for r in records)
    formatted = logging.Formatter().format(records[0])
    assert "\n" not in formatted and "Forbidden" in formatted and "policy" in formatted


def test_csrf_failure_gets_the_branded_page(world):
    client = Client(enforce_csrf_checks=True)
    client.force_login(world["users"]["provider"])
    response = client.post(reverse("web:provider_new"), {"enterprise_number": "0403.170.701"})
    body = response.content.decode()
    assert response.status_code == 403 and "Formulier verlopen" in body and '<html lang="nl">' in body


def test_500_page_without_user_and_when_rendering_fails(db):
    request = RequestFactory().get("/")
    response = server_error(request)
    body = response.content.decode()
    assert response.status_code == 500 and "Er ging iets mis" in body and BRAND in body and 'lang="nl"' in body

    class DatabaseDown:
        @property
        def is_authenticated(self):
            raise RuntimeError("database down")

    request.user = DatabaseDown()
    response = server_error(request)
    assert response.status_code == 500 and "Er ging iets mis" in response.content.decode()


@pytest.mark.parametrize(
    "name, query",
    [
        ("web:backoffice_queue", "?page=99999999999999999999999999"),
        ("web:backoffice_queue", "?page=500"),
        ("web:backoffice_payments", "?page=100001"),
        ("web:control_audit", "?page=1" + "0" * 5000),
    ],
)
def test_pages_out_of_range_are_404(world, login, name, query):
    client = login(world["users"]["admin"])
    assert client.get(reverse(name) + query).status_code == 404


@pytest.mark.parametrize("query", ["?page=abc", "?page=-3", "?page=", "?page=%00", "?reference=%00&action=x"])
def test_odd_page_values_show_the_first_page(world, login, query):
    client = login(world["users"]["admin"])
    assert client.get(reverse("web:control_audit") + query).status_code == 200


@pytest.mark.parametrize("pk", [0, 2**63, 10**30])
def test_ids_out_of_range_in_the_path_are_no_error(world, login, pk):
    from django.urls import get_resolver

    names = [
        name
        for name, patterns in get_resolver("cstraject.web.urls").reverse_dict.items()
        if isinstance(name, str) and "pk" in patterns[0][0][1]
    ]
    assert len(names) > 10
    client = login(world["users"]["admin"])
    for name in names:
        kwargs = {"pk": pk, "name": "approve"} if name == "dossier_transition" else {"pk": pk}
        url = reverse(f"web:{name}", kwargs=kwargs)
        assert client.get(url).status_code in (403, 404, 405), url
        assert client.post(url, {}).status_code in (403, 404, 405), url


@pytest.mark.parametrize("username", ["x" * 5000, "nul\x00teken", "Ünïcødé " * 50])
def test_a_failed_login_with_any_username_is_no_error(db, client, username):
    from axes.models import AccessAttempt

    response = client.post(reverse("login"), {"username": username, "password": "fout"})
    assert response.status_code in (200, 400, 403, 429)
    attempts = list(AccessAttempt.objects.all())
    assert all(len(a.username) <= 150 and "\x00" not in a.username for a in attempts)
    if "\x00" not in username:  # a NUL is refused by the form before any authentication
        assert len(attempts) == 1
