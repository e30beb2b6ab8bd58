"""Document downloads, shared by producers (their company's cases) and the authority."""

from django.http import FileResponse, Http404
from django.views.decorators.http import require_GET

from apps.core.access import role_required
from apps.core.roles import Role
from apps.licensing import selectors_producer


@role_required(*Role)
@require_GET
def document_download(request, pk: int):
    """Always an attachment with the stored type and nosniff: an uploaded file is never rendered
    by the browser in the portal's origin, whatever it contains."""
    document = selectors_producer.document_get_for(request.user, pk)
    try:
        handle = document.file.open("rb")
    except FileNotFoundError:
        raise Http404 from None
    response = FileResponse(
        handle,
        as_attachment=True,
        filename=document.original_name,
        content_type=document.content_type,
    )
    response["X-Content-Type-Options"] = "nosniff"
    response["Cache-Control"] = "private, no-store"
    return response
