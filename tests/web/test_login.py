"""Login, logout, throttling, CSRF and cookie settings."""

from django.conf import settings
from django.test import Client
from django.urls import reverse

from .conftest import PASSWORD


def test_login_and_logout(world, client):
    response = client.post(reverse("login"), {"username": "prov_a", "password": PASSWORD})
    assert response.status_code == 302
    assert client.get(reverse("web:home"))["Location"] == reverse("web:provider_dashboard")
    assert client.post(reverse("logout")).status_code == 302
    assert client.get(reverse("web:provider_dashboard")).status_code == 302


def test_wrong_password_shows_error_summary(world, client):
    response = client.post(reverse("login"), {"username": "prov_a", "password": "fout"})
    body = response.content.decode()
    assert response.status_code == 200 and "error-summary" in body and "onjuist" in body


def test_login_is_throttled_after_five_failures(world, client):
    for _ in range(5):
        client.post(reverse("login"), {"username": "prov_a", "password": "fout"})
    response = client.post(reverse("login"), {"username": "prov_a", "password": PASSWORD})
    assert "Te veel mislukte aanmeldpogingen" in response.content.decode()
    assert "_auth_user_id" not in client.session
    # Another user from the same address is not locked out.
    other = client.post(reverse("login"), {"username": "handler", "password": PASSWORD})
    assert other.status_code == 302


def test_successful_login_resets_the_count(world, client):
    for _ in range(4):
        client.post(reverse("login"), {"username": "prov_a", "password": "fout"})
    assert client.post(reverse("login"), {"username": "prov_a", "password": PASSWORD}).status_code == 302
    client.post(reverse("logout"))
    for _ in range(4):
        client.post(reverse("login"), {"username": "prov_a", "password": "fout"})
    assert client.post(reverse("login"), {"username": "prov_a", "password": PASSWORD}).status_code == 302


def test_csrf_is_enforced(world):
    client = Client(enforce_csrf_checks=True)
    assert client.post(reverse("login"), {"username": "prov_a", "password": PASSWORD}).status_code == 403


def test_cookie_and_header_settings():
    assert settings.SESSION_COOKIE_HTTPONLY and settings.SESSION_COOKIE_SAMESITE == "Lax"
    assert settings.X_FRAME_OPTIONS == "DENY"
    assert "django.middleware.csrf.CsrfViewMiddleware" in settings.MIDDLEWARE


def test_language_switch_to_english(world, client):
    client.force_login(world["users"]["provider"])
    response = client.post(reverse("set_language"), {"language": "en", "next": reverse("web:provider_dashboard")})
    assert response.status_code == 302
    body = client.get(reverse("web:provider_dashboard")).content.decode()
    assert '<html lang="en">' in body and "New application" in body
