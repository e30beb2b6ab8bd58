"""The producer's pages: reports (list, form, cancel), uploads, balances, monthly returns."""

import datetime as dt

from django.conf import settings
from django.contrib import messages
from django.http import Http404, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from apps.core.access import role_required
from apps.core.errors import DomainError
from apps.core.listing import list_context
from apps.core.roles import PRODUCER_ROLES
from apps.transactions import forms, importing, selectors, services
from apps.transactions.models import ImportBatch, TransactionReport


def place_errors(form, exc: DomainError, extra_form=None) -> None:
    """Each refusal on its field; line refusals and the rest above the form."""
    placed = False
    for name, problems in exc.field_errors.items():
        for message in problems:
            if name in form.fields:
                form.add_error(name, message)
            else:
                form.add_error(None, message)
            placed = True
    if not placed:
        form.add_error(None, exc.message)


def _warn_if_screened(request, report: TransactionReport) -> None:
    if report.screening_flag:
        messages.warning(request, _("A client resembles a listed party: officials will review it."))


@role_required(*PRODUCER_ROLES)
def report_list(request):
    filters = forms.ReportFilterForm(request.GET or None)
    values = filters.cleaned_data if filters.is_valid() else {}
    qs = selectors.report_list_for(
        request.user,
        search=(values.get("q") or "").strip(),
        licence=values.get("licence") or "",
        status=values.get("status") or "",
        destination=values.get("destination") or "",
        date_from=values.get("date_from"),
        date_to=values.get("date_to"),
        batch=int(request.GET["batch"]) if request.GET.get("batch", "").isdigit() else None,
    )
    context = list_context(
        request,
        qs,
        default_sort="-loading",
        sort_fields={
            "loading": "loading_date",
            "number": "id",
            "licence": "licence__number",
            "destination": "destination_country",
            "kg": "total_kg",
            "filed": "filed_at",
        },
    )
    context["filters"] = filters
    return render(request, "transactions/report_list.html", context)


@role_required(*PRODUCER_ROLES)
@require_http_methods(["GET", "POST"])
def report_create(request):
    form = forms.ReportForm(request.POST or None, user=request.user)
    lines = forms.LineFormSet(request.POST or None, prefix="lines")
    if request.method == "POST" and form.is_valid() and lines.is_valid():
        try:
            report = services.transaction_report(
                actor=request.user, data=forms.to_input(form, lines)
            )
        except DomainError as exc:
            place_errors(form, exc)
        else:
            messages.success(
                request,
                _("Report %(n)s accepted: %(kg)s kg drawn from the licence.")
                % {"n": report.number, "kg": report.total_kg},
            )
            _warn_if_screened(request, report)
            return redirect("transactions:report_detail", pk=report.pk)
    return render(request, "transactions/report_form.html", {"form": form, "lines": lines})


@role_required(*PRODUCER_ROLES)
@require_http_methods(["GET", "POST"])
def report_correct(request, pk: int):
    """Replace a report: the form comes prefilled from it; filing reverses it and files the
    corrected report in one transaction (never an edit in place)."""
    report = selectors.report_get_for(request.user, pk)
    if report.status != TransactionReport.Status.ACCEPTED:
        messages.error(
            request,
            _("Report %(n)s was cancelled: only an accepted report can be corrected.")
            % {"n": report.number},
        )
        return redirect("transactions:report_detail", pk=report.pk)
    form = forms.CorrectionForm(request.POST or None, user=request.user, report=report)
    lines = forms.CorrectionLineFormSet(
        request.POST or None, prefix="lines", initial=forms.lines_from(report)
    )
    if request.method == "POST" and form.is_valid() and lines.is_valid():
        try:
            new = services.transaction_correct(
                actor=request.user,
                report=report,
                data=forms.to_input(form, lines),
                reason=form.cleaned_data["reason"],
            )
        except DomainError as exc:
            place_errors(form, exc)
        else:
            messages.success(
                request,
                _("Report %(new)s replaces %(old)s, which is cancelled with a reversing entry.")
                % {"new": new.number, "old": report.number},
            )
            for row in selectors.correction_effect(new):
                messages.info(
                    request,
                    _("Licence %(licence)s, %(item)s: %(left)s %(unit)s left.")
                    % {
                        "licence": row["line"].licence.number,
                        "item": row["line"].catalogue_entry.reference,
                        "left": row["left"],
                        "unit": row["line"].unit,
                    },
                )
            _warn_if_screened(request, new)
            return redirect("transactions:report_detail", pk=new.pk)
    return render(
        request,
        "transactions/report_correct.html",
        {
            "report": report,
            "form": form,
            "lines": lines,
            "effect": selectors.correction_effect(report),
            "restores": report.licence is not None and selectors.licence_restorable(report.licence),
        },
    )


@role_required(*PRODUCER_ROLES)
@require_POST
def report_cancel(request, pk: int):
    report = selectors.report_get_for(request.user, pk)
    form = forms.CancelForm(request.POST)
    if not form.is_valid():
        messages.error(request, _("Give the reason for the cancellation."))
    else:
        try:
            services.transaction_cancel(
                actor=request.user, report=report, reason=form.cleaned_data["reason"]
            )
        except DomainError as exc:
            messages.error(request, exc.message)
        else:
            messages.success(
                request,
                _("Report %(n)s cancelled; its quantities are back.") % {"n": report.number},
            )
    return redirect("transactions:report_detail", pk=report.pk)


@role_required(*PRODUCER_ROLES)
@require_http_methods(["GET", "POST"])
def upload(request):
    form = forms.UploadForm(request.POST or None, request.FILES or None)
    if request.method == "POST" and form.is_valid():
        upload_file = form.cleaned_data["file"]
        try:
            batch = services.import_upload(
                actor=request.user, content=upload_file.read(), filename=upload_file.name
            )
            batch = services.import_start(actor=request.user, batch=batch)
        except DomainError as exc:
            place_errors(form, exc)
        else:
            return redirect("transactions:upload_detail", pk=batch.pk)
    filters = forms.BatchFilterForm(request.GET or None)
    values = filters.cleaned_data if filters.is_valid() else {}
    context = list_context(
        request,
        selectors.batch_list_for(request.user, status=values.get("status") or ""),
        default_sort="-uploaded",
        sort_fields={
            "uploaded": "created_at",
            "file": "filename",
            "rows": "row_count",
            "status": "status",
        },
    )
    context.update(
        {"form": form, "filters": filters, "sync_max": settings.TRANSACTIONS_IMPORT_SYNC_MAX_ROWS}
    )
    return render(request, "transactions/upload.html", context)


@role_required(*PRODUCER_ROLES)
def upload_detail(request, pk: int):
    batch = selectors.batch_get_for(request.user, pk)
    return render(request, "transactions/upload_detail.html", {"batch": batch})


@role_required(*PRODUCER_ROLES)
@require_GET
def upload_status(request, pk: int):
    """The progress bar's fragment, polled by htmx while the task runs."""
    batch = selectors.batch_get_for(request.user, pk)
    response = render(request, "transactions/_upload_status.html", {"batch": batch})
    if batch.status not in (ImportBatch.Status.VALIDATING, ImportBatch.Status.COMMITTING):
        # Finished: have the page reload to show the preview or the result.
        response["HX-Refresh"] = "true"
    return response


@role_required(*PRODUCER_ROLES)
@require_POST
def upload_commit(request, pk: int):
    batch = selectors.batch_get_for(request.user, pk)
    try:
        batch = services.import_commit(actor=request.user, batch=batch)
    except DomainError as exc:
        messages.error(request, exc.message)
    else:
        if batch.status == ImportBatch.Status.COMMITTED:
            messages.success(
                request,
                _("Import #%(n)s done: %(rows)s reports filed.")
                % {"n": batch.pk, "rows": batch.row_count},
            )
    return redirect("transactions:upload_detail", pk=batch.pk)


@role_required(*PRODUCER_ROLES)
@require_POST
def upload_discard(request, pk: int):
    batch = selectors.batch_get_for(request.user, pk)
    try:
        services.import_discard(actor=request.user, batch=batch)
    except DomainError as exc:
        messages.error(request, exc.message)
    else:
        messages.info(request, _("Import #%(n)s discarded.") % {"n": batch.pk})
    return redirect("transactions:upload")


@role_required(*PRODUCER_ROLES)
@require_GET
def upload_template(request, fmt: str):
    if fmt == "csv":
        content, kind = importing.template_csv(), "text/csv"
    elif fmt == "xlsx":
        content = importing.template_xlsx()
        kind = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
    else:
        raise Http404
    response = HttpResponse(content, content_type=kind)
    response["Content-Disposition"] = f'attachment; filename="transaction-reports-template.{fmt}"'
    return response


@role_required(*PRODUCER_ROLES)
def balances(request):
    search = request.GET.get("q", "").strip()
    status = request.GET.get("status", "")
    qs = selectors.balance_list_for(request.user, status=status, search=search)
    context = list_context(
        request,
        qs,
        default_sort="licence",
        sort_fields={
            "licence": "licence__number",
            "granted": "quantity_granted",
            "balance": "balance",
            "used": "used",
            "status": "licence__status",
        },
    )
    context.update({"q": search, "status": status})
    return render(request, "transactions/balances.html", context)


@role_required(*PRODUCER_ROLES)
@require_http_methods(["GET", "POST"])
def returns(request):
    if request.method == "POST":
        try:
            month = dt.date.fromisoformat(request.POST.get("month", "") + "-01")
            confirmed = services.monthly_return_confirm(actor=request.user, month=month)
        except ValueError:
            messages.error(request, _("Choose a month."))
        except DomainError as exc:
            messages.error(request, exc.message)
        else:
            messages.success(
                request,
                _("Return for %(m)s confirmed.") % {"m": confirmed.month.strftime("%Y-%m")},
            )
        return redirect("transactions:returns")
    return render(
        request, "transactions/returns.html", {"rows": selectors.returns_for(request.user)}
    )
