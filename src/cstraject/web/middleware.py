"""Puts the logged-in user's `Actor` on the request (`request.actor`, None
for anonymous users and users without a role), so views and templates share
one answer to "who acts, in which role, for which organisation"."""

from django.core.exceptions import PermissionDenied

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
