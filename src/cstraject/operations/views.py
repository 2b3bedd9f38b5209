from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import FileResponse, Http404
from django.views.decorators.http import require_GET

from .selectors import letter_get

DOCX = "application/vnd.openxmlformats-officedocument.wordprocessingml.document"


@require_GET
@login_required
def letter_download(request, pk):
    if request.actor is None:
        raise PermissionDenied
    letter = letter_get(actor=request.actor, pk=pk)
    try:
        handle = letter.file.open("rb")
    except FileNotFoundError:
        raise Http404("Bestand niet gevonden.") from None
    response = FileResponse(handle, content_type=DOCX, as_attachment=True, filename=f"{letter.title}.docx")
    response["Cache-Control"] = "private, no-store"
    return response
