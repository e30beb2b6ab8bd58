"""The control and watch lists: administrators maintain them; officials and auditors read them."""

from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods

from apps.clients import forms, permissions, selectors, services
from apps.clients.services.lists import MAX_IMPORT_BYTES, ImportRejected
from apps.core.access import role_required
from apps.core.errors import DomainError
from apps.core.forms import add_domain_error
from apps.core.listing import list_context
from apps.core.roles import Role

READERS = (Role.REVIEWER, Role.APPROVER, Role.AUDITOR, Role.ADMINISTRATOR)


@role_required(*READERS)
def listentry_list(request):
    filters = forms.ListEntryFilterForm(request.GET or None)
    values = filters.cleaned_data if filters.is_valid() else {}
    qs = selectors.list_entry_list_for(
        request.user,
        search=values.get("q", "").strip(),
        kind=values.get("kind", ""),
        in_force=values.get("in_force", ""),
    )
    context = list_context(
        request,
        qs,
        default_sort="name",
        sort_fields={
            "name": "name",
            "kind": "kind",
            "country": "country",
            "listed": "listed_on",
            "delisted": "delisted_on",
            "hits": "hit_count",
        },
    )
    context.update({"filters": filters, "can_manage": permissions.can_manage_lists(request.user)})
    return render(request, "clients/listentry_list.html", context)


def _form_data(form) -> dict:
    data = dict(form.cleaned_data)
    data["aliases"] = data.get("aliases") or ""
    data["identifiers"] = data.get("identifiers") or ""
    return data


@role_required(Role.ADMINISTRATOR)
@require_http_methods(["GET", "POST"])
def listentry_create(request):
    form = forms.ListEntryForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            entry = services.list_entry_create(actor=request.user, data=_form_data(form))
        except DomainError as exc:
            add_domain_error(form, exc)
        else:
            messages.success(
                request,
                _("%(name)s added; every client is being screened against it.")
                % {"name": entry.name},
            )
            return redirect("clients:listentry_list")
    return render(request, "clients/listentry_form.html", {"form": form, "entry": None})


@role_required(*READERS)
@require_http_methods(["GET", "POST"])
def listentry_edit(request, pk: int):
    entry = selectors.list_entry_get_for(request.user, pk)
    can_manage = permissions.can_manage_lists(request.user)
    form = forms.ListEntryForm(request.POST or None, initial=forms.ListEntryForm.initial_for(entry))
    if request.method == "POST":
        if not can_manage:
            raise PermissionDenied
        if form.is_valid():
            try:
                services.list_entry_update(actor=request.user, entry=entry, data=_form_data(form))
            except DomainError as exc:
                add_domain_error(form, exc)
            else:
                messages.success(
                    request,
                    _("%(name)s saved; every client is being screened again.")
                    % {"name": entry.name},
                )
                return redirect("clients:listentry_list")
    hits = entry.hits.select_related("client", "client__organisation").order_by("-score")[:50]
    return render(
        request,
        "clients/listentry_form.html",
        {"form": form, "entry": entry, "can_manage": can_manage, "hits": hits},
    )


@role_required(Role.ADMINISTRATOR)
@require_http_methods(["GET", "POST"])
def listentry_import(request):
    """Two steps: upload shows every row's errors (or a preview); commit imports all or none."""
    form = forms.ListImportForm(
        request.POST or None, request.FILES or None, initial={"step": "preview"}
    )
    context: dict = {"form": form, "report": None}
    if request.method == "POST" and form.is_valid():
        upload = form.cleaned_data.get("file")
        if upload is not None:
            if upload.size > MAX_IMPORT_BYTES:
                form.add_error("file", _("The file is larger than 10 MB; split it."))
                return render(request, "clients/listentry_import.html", context)
            content, filename = upload.read(), upload.name
        else:
            content = form.cleaned_data.get("payload", "").encode()
            filename = form.cleaned_data.get("filename") or "upload.csv"
        if not content:
            form.add_error("file", _("Choose a CSV file to import."))
        elif form.cleaned_data["step"] == "commit":
            try:
                report = services.list_import_csv(
                    actor=request.user, content=content, filename=filename
                )
            except ImportRejected as exc:
                context["report"] = exc.report
                messages.error(request, exc.message)
            except DomainError as exc:
                messages.error(request, exc.message)
            else:
                messages.success(
                    request,
                    _("%(n)s entries imported from %(file)s; every client is being screened.")
                    % {"n": len(report.entry_ids), "file": filename},
                )
                return redirect("clients:listentry_list")
        else:
            report = services.list_import_validate(content, filename)
            context["report"] = report
            if report.ok:
                context["commit_form"] = forms.ListImportForm(
                    initial={
                        "payload": content.decode("utf-8-sig"),
                        "filename": filename,
                        "step": "commit",
                    }
                )
    return render(request, "clients/listentry_import.html", context)
