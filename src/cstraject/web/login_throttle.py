"""The username django-axes records for a failed login (`AXES_USERNAME_CALLABLE`).

Axes stores the username as typed in a 255-character column; a longer name or
one with a NUL character (PostgreSQL refuses it) made a failed login a 500.
The name is cut to what a real username can be (the User model's max_length)
and stripped of NUL characters: no real account is lost, every over-long
attempt still counts against the same key."""

from django.contrib.auth import get_user_model


def axes_username(request, credentials=None) -> str | None:
    if credentials:
        username = credentials.get("username")
    else:
        data = getattr(request, "data", None) or getattr(request, "POST", {})
        username = data.get("username")
    if username is None:
        return None
    limit = get_user_model()._meta.get_field("username").max_length
    return str(username).replace("\x00", "")[:limit]
