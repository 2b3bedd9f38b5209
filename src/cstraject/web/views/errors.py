"""Branded Dutch error pages (400, 403 including a CSRF failure, 404, 413, 500).

They extend the base template, with the request's language, and are safe when
the request has no user (an error before the authentication middleware). The
500 page falls back to plain HTML when even rendering fails (a database down)."""

import logging

from django.http import HttpResponseServerError
from django.shortcuts import render
from django.utils.translation import get_language
from django.utils.translation import gettext as _

logger = logging.getLogger(__name__)


def _page(request, code: int, **context):
    return render(request, "web/error.html", {"code": code, **context}, status=code)


def bad_request(request, exception=None):
    return _page(request, 400)


def forbidden(request, exception=None):
    return _page(request, 403, exception=exception)


def csrf_failure(request, reason=""):
    # Django's CSRF middleware has already logged it, in one line (django.security.csrf).
    return _page(request, 403, csrf=True)


def not_found(request, exception=None):
    return _page(request, 404)


def server_error(request):
    try:
        return _page(request, 500)
    except Exception:  # the page must come out even when the database or a template is broken
        logger.exception("The 500 page could not be rendered; plain fallback sent")
        language = get_language() or "nl"
        title = _("Er ging iets mis")
        text = _("Er liep iets mis aan onze kant. Probeer het later opnieuw.")
        return HttpResponseServerError(
            f'<!DOCTYPE html><html lang="{language}"><head><meta charset="utf-8"><title>{title}</title></head>'
            f"<body><h1>{title}</h1><p>{text}</p></body></html>",
            content_type="text/html; charset=utf-8",
        )


__all__ = ["bad_request", "csrf_failure", "forbidden", "not_found", "server_error"]
