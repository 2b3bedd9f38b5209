"""Applications (providers, for their own provider: only providers file applications) or history
(administrators) from Excel, the same import as `cstraject import applications|history`; refused
rows on the page and in an error workbook that only the uploader's session can download."""

import io
import tempfile
import uuid
from functools import wraps
from pathlib import Path

from django import forms
from django.conf import settings
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import FileResponse, Http404
from django.shortcuts import render
from django.utils.translation import gettext_lazy as _
from django.views.decorators.http import require_GET, require_http_methods

from cstraject.accounts.permissions import Action, may, require
from cstraject.operations.excel import applications_import, applications_template, history_import, history_template

SESSION_KEY = "bulk_import_errors"
MAX_BYTES = 10 * 1024 * 1024
KINDS = {"applications": Action.APPLICATIONS_IMPORT, "history": Action.HISTORY_IMPORT}


KIND_LABELS = {"applications": _("aanvragen"), "history": _("bestaande dossiers (historiek)")}


class BulkForm(forms.Form):
    kind = forms.ChoiceField(label=_("Soort"))
    file = forms.FileField(label=_("Excel-bestand (.xlsx)"))

    def __init__(self, *args, kinds, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["kind"].choices = [(kind, KIND_LABELS[kind]) for kind in kinds]

    def clean_file(self):
        upload = self.cleaned_data["file"]
        if not upload.name.lower().endswith(".xlsx"):
            raise ValidationError(_("Alleen .xlsx-bestanden (het sjabloon)."))
        if upload.size > MAX_BYTES:
            raise ValidationError(_("Het bestand is groter dan 10 MB."))
        return upload


def _errors_folder() -> Path:
    folder = Path(settings.MEDIA_ROOT) / "import-errors"
    folder.mkdir(parents=True, exist_ok=True)
    return folder


def _kinds_or_403(request) -> list[str]:
    """The imports the user's role may use; none: 403 (login is checked first)."""
    actor = getattr(request, "actor", None)
    kinds = [kind for kind, action in KINDS.items() if actor is not None and may(actor, action)]
    if not kinds:
        raise PermissionDenied(_("Uw rol mag geen aanvragen of historiek inlezen."))
    return kinds


def login_then_kinds(view):
    @login_required
    @wraps(view)
    def wrapper(request, *args, **kwargs):
        return view(request, _kinds_or_403(request), *args, **kwargs)

    return wrapper


@require_http_methods(["GET", "POST"])
@login_then_kinds
def bulk_import(request, kinds):
    form = BulkForm(request.POST or None, request.FILES or None, kinds=kinds)
    context = {"form": form, "kinds": kinds}
    if request.method == "POST" and form.is_valid():
        kind = form.cleaned_data["kind"]
        require(request.actor, KINDS[kind])
        name = f"{uuid.uuid4().hex}.xlsx"
        errors_path = _errors_folder() / name
        with tempfile.NamedTemporaryFile(suffix=".xlsx") as handle:
            for chunk in form.cleaned_data["file"].chunks():
                handle.write(chunk)
            handle.flush()
            try:
                if kind == "applications":
                    result = applications_import(handle.name, actor=request.actor, errors_path=errors_path)
                    context.update(imported=result.imported, errors=result.errors, refused=result.refused_rows)
                else:
                    result = history_import(handle.name, actor=request.actor, errors_path=errors_path)
                    context.update(history=result, errors=result.errors)
            except ValidationError as error:
                form.add_error("file", " ".join(error.messages))
                return render(request, "web/bulk_import.html", context, status=400)
        if errors_path.exists():
            request.session[SESSION_KEY] = name
            context["errors_download"] = True
    return render(request, "web/bulk_import.html", context, status=400 if form.errors else 200)


@require_GET
@login_then_kinds
def bulk_errors(request, kinds):
    name = request.session.get(SESSION_KEY)
    path = _errors_folder() / name if name else None
    if path is None or not path.exists():
        raise Http404("Geen foutenwerkboek.")
    return FileResponse(path.open("rb"), as_attachment=True, filename="fouten.xlsx")


@require_GET
@login_then_kinds
def bulk_template(request, kinds, kind: str):
    if kind not in KINDS:
        raise Http404
    if kind not in kinds:
        raise PermissionDenied
    buffer = io.BytesIO()
    (applications_template if kind == "applications" else history_template)(buffer)
    buffer.seek(0)
    return FileResponse(buffer, as_attachment=True, filename=f"sjabloon-{kind}.xlsx")
