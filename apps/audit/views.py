"""The auditor workspace: read-only views of every dataset, the trail, the chain and exports.

Every view is GET-only except the export request, which writes nothing but the export job and
its audit event.
"""

from pathlib import Path

from django.conf import settings
from django.contrib import messages
from django.db.models import F
from django.http import FileResponse, Http404, JsonResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods

from apps.audit import chain, forms, permissions, selectors, services, tasks
from apps.audit.exports import AUDIT_EVENTS
from apps.core.access import role_required
from apps.core.errors import DomainError
from apps.core.listing import list_context
from apps.core.roles import Role

AUDITORS = (Role.AUDITOR, Role.ADMINISTRATOR)


def _filtered(dataset, request):
    """The dataset's filter form bound to the query string, and the filters that validated."""
    form = dataset.filter_form(request.GET or None)
    cleaned: dict = {}
    if request.GET:
        try:
            cleaned = dataset.clean_filters(request.GET.dict())
        except DomainError:
            cleaned = {}
        form.is_valid()  # shows the field errors next to the inputs
    return form, cleaned


@role_required(*AUDITORS)
@require_GET
def event_list(request):
    filters, cleaned = _filtered(AUDIT_EVENTS, request)
    qs = AUDIT_EVENTS.filtered(cleaned) & selectors.event_list_for(request.user)
    context = list_context(
        request,
        qs.select_related("actor"),
        default_sort="-time",
        per_page=50,
        sort_fields={
            "time": "id",
            "action": "action",
            "actor": "actor_label",
            "object": "object_repr",
        },
    )
    context.update(
        {"filters": filters, "dataset": AUDIT_EVENTS, "export_form": forms.ExportRequestForm()}
    )
    return render(request, "audit/event_list.html", context)


@role_required(*AUDITORS)
@require_GET
def timeline(request, object_type: str, object_id: str):
    qs = selectors.object_timeline_for(request.user, object_type, object_id)
    latest = qs.order_by("-id").first()
    if latest is None:
        raise Http404
    context = list_context(
        request, qs, default_sort="time", per_page=50, sort_fields={"time": "id"}
    )
    context.update({"object_type": object_type, "object_id": object_id, "latest": latest})
    return render(request, "audit/timeline.html", context)


@role_required(*AUDITORS)
@require_GET
def dataset_index(request):
    return render(
        request, "audit/dataset_index.html", {"datasets": selectors.dataset_list_for(request.user)}
    )


@role_required(*AUDITORS)
@require_GET
def dataset_list(request, name: str):
    dataset = selectors.dataset_get_for(request.user, name)
    filters, cleaned = _filtered(dataset, request)
    columns = dataset.columns
    qs = dataset.filtered(cleaned).values(
        "pk", **{f"c{i}": F(c.lookup) for i, c in enumerate(columns)}
    )
    context = list_context(
        request, qs, default_sort=dataset.default_sort or "id", sort_fields=dataset.sort_fields()
    )
    # Codes, numbers and dates stay on one line ("TR-00000144", not "TR-" over "00000144").
    nowrap = [c.kind in {"code", "number", "date", "datetime"} for c in columns]
    context["rows"] = [
        (row["pk"], [(row[f"c{i}"], nowrap[i]) for i in range(len(columns))])
        for row in context["object_list"]
    ]
    context.update(
        {
            "dataset": dataset,
            "filters": filters,
            "object_type": dataset.get_model()._meta.label,
            "export_form": forms.ExportRequestForm(),
        }
    )
    return render(request, "audit/dataset_list.html", context)


@role_required(*AUDITORS)
@require_GET
def verify(request):
    """The checkpoints of the daily task; `?run=1` walks the chain now (reads only)."""
    result = chain.verify_chain() if request.GET.get("run") == "1" else None
    context = list_context(
        request,
        selectors.checkpoint_list_for(request.user),
        default_sort="-checked",
        sort_fields={"checked": "checked_at", "ok": "ok", "events": "events_checked"},
    )
    context["result"] = result
    return render(request, "audit/verify.html", context)


@role_required(*AUDITORS)
@require_http_methods(["GET", "POST"])
def export_list(request):
    if request.method == "POST":
        return _export_request(request)
    filters = forms.ExportListFilterForm(request.GET or None)
    qs = selectors.export_list_for(request.user)
    if filters.is_valid():
        if filters.cleaned_data["status"]:
            qs = qs.filter(status=filters.cleaned_data["status"])
        if filters.cleaned_data["dataset"]:
            qs = qs.filter(dataset=filters.cleaned_data["dataset"])
    context = list_context(
        request,
        qs,
        default_sort="-requested",
        sort_fields={
            "requested": "created_at",
            "dataset": "dataset",
            "status": "status",
            "rows": "row_count",
        },
    )
    context.update({"filters": filters, "export_form": forms.ExportRequestForm()})
    return render(request, "audit/export_list.html", context)


def _export_request(request):
    form = forms.ExportRequestForm(request.POST)
    if not form.is_valid():
        messages.error(request, _("Choose the records and a format to export."))
        return redirect("audit:export_list")
    try:
        job = services.export_request(
            actor=request.user,
            dataset=form.cleaned_data["dataset"],
            format=form.cleaned_data["format"],
            filters=request.POST.dict(),
        )
    except DomainError as exc:
        details = "; ".join(
            f"{name}: {' '.join(errors)}" for name, errors in exc.field_errors.items()
        )
        messages.error(request, f"{exc.message} {details}".strip())
        return redirect("audit:export_list")
    if services.export_runs_in_background(job):
        tasks.enqueue_export(job.pk)
    else:
        services.export_run(job_id=job.pk)
    return redirect("audit:export_detail", token=job.token)


@role_required(*AUDITORS)
@require_GET
def export_detail(request, token):
    job = selectors.export_get_for(request.user, token)
    return render(request, "audit/export_detail.html", {"job": job})


@role_required(*AUDITORS)
@require_GET
def export_progress(request, token):
    """The progress bar, polled by htmx every second until the job is done or failed."""
    job = selectors.export_get_for(request.user, token)
    return render(request, "audit/_export_progress.html", {"job": job})


@role_required(*AUDITORS)
@require_GET
def export_download(request, token):
    job = selectors.export_get_for(request.user, token)
    if not permissions.can_download(request.user, job) or job.status != job.Status.DONE:
        raise Http404
    if job.is_expired:
        return render(request, "audit/export_gone.html", {"job": job}, status=410)
    path = Path(settings.EXPORT_ROOT) / job.file_name
    if not path.is_file():
        return render(request, "audit/export_gone.html", {"job": job}, status=410)
    response = FileResponse(path.open("rb"), as_attachment=True, filename=job.download_name)
    response["X-Content-SHA256"] = job.sha256
    return response


@role_required(*AUDITORS)
@require_GET
def export_manifest(request, token):
    job = selectors.export_get_for(request.user, token)
    if job.status != job.Status.DONE:
        raise Http404
    response = JsonResponse(job.manifest(), json_dumps_params={"indent": 2})
    response["Content-Disposition"] = f'attachment; filename="{job.download_name}.manifest.json"'
    return response
