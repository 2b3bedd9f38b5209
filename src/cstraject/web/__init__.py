"""The web application: server-rendered Django pages for every role.

- Who sees what is decided in `selectors` (reads) and the services (writes),
  never only in templates: a provider user sees its provider's dossiers, an
  SME contact its company's, the agency's case handlers and controllers all,
  policy staff only aggregated statistics. Another tenant's dossier is a 404.
- Views call the same services as the CLI (`cstraject.dossiers.services`,
  `cstraject.payments.services`, `cstraject.companies.services`,
  `cstraject.impact.services`) and put their ValidationErrors back on the
  form field they name, with an error summary at the top of the page.
- Every form that changes a dossier carries the dossier's `updated_at`
  (`version`); a stale or repeated form is refused inside the transaction
  that locks the row, so nothing is half-saved.
- Uploaded PDFs are checked (extension, %PDF- magic bytes, 10 MB), stored
  under MEDIA_ROOT (outside the web root, never served as static files) and
  served only through `document_download`, which checks access.
- Logins are throttled by django-axes for every login form, the admin's
  included: 5 failures per username and address, then 15 minutes' refusal.
- Security headers: CSP (django-csp, settings.CONTENT_SECURITY_POLICY),
  Permissions-Policy and `Cache-Control: no-store` for logged-in users
  (`middleware.SecurityHeadersMiddleware`).
- `serve` runs the app under gunicorn, static files by WhiteNoise.
- Languages: Dutch is the source language, English is `locale/en/LC_MESSAGES/django.po`,
  kept with Django's makemessages/compilemessages (docs/translations.md);
  `tests/core/test_translations.py` fails on an untranslated or fuzzy entry.
"""
