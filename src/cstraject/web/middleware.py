"""Puts the logged-in user's `Actor` on the request (`request.actor`, None
for anonymous users and users without a role), so views and templates share
one answer to "who acts, in which role, for which organisation"; and adds the
headers every response needs beyond Django's SecurityMiddleware and django-csp."""

from django.conf import settings
from django.core.exceptions import PermissionDenied
from django.utils.cache import add_never_cache_headers

from cstraject.accounts.actors import actor_for_user


def actor_from_request(request):
    user = getattr(request, "user", None)
    if user is None or not user.is_authenticated:
        return None
    try:
        return actor_for_user(user)
    except PermissionDenied:
        return None


class ActorMiddleware:
    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        request.actor = actor_from_request(request)
        return self.get_response(request)


class SecurityHeadersMiddleware:
    """Permissions-Policy on every response; `Cache-Control: no-store` on every response to a
    logged-in user (pages with personal and financial data must not stay in a shared cache)."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        response = self.get_response(request)
        response.setdefault("Permissions-Policy", settings.PERMISSIONS_POLICY)
        user = getattr(request, "user", None)
        if user is not None and user.is_authenticated:
            add_never_cache_headers(response)
        return response
