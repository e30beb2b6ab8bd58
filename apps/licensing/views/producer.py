"""What producers see and do about licensing: their applications from draft to decision, the
answers they owe, their licences. Thin views: scoped selector (404) -> service -> render; every
refusal of a service is shown on the form or as a message, and changes nothing."""

from django.conf import settings
from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.http import Http404, HttpResponseRedirect
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_http_methods, require_POST

from apps.clients.models import PartyRole
from apps.core.access import role_required
from apps.core.errors import ConflictError, DomainError, PermissionDeniedError
from apps.core.forms import add_domain_error
from apps.core.listing import COUNT_CAP, list_context
from apps.core.roles import PRODUCER_ROLES
from apps.licensing import clock, forms, permissions, selectors, services, workflow
from apps.licensing import selectors_producer as producer_selectors
from apps.licensing.models import (
    REQUIRED_DOCUMENTS,
    Application,
    DocumentKind,
    LicenceType,
)
from apps.licensing.services.applications import LINE_FIELDS, REQUIRED_PARTY_ROLES
from apps.licensing.workflow import ApplicationStatus
from apps.workcalendar.selectors import work_calendar

producer_only = role_required(*PRODUCER_ROLES)
AMENDMENT_LABELS = {
    "port_of_exit": gettext_lazy("Port of exit"),
    "transport_mode": gettext_lazy("Transport mode"),
    "valid_until": gettext_lazy("End of validity"),
}


# ---- applications: list and create -------------------------------------------------------------


@producer_only
def application_list(request):
    filters = forms.ApplicationFilterForm(request.GET or None)
    values = filters.cleaned_data if filters.is_valid() else {}
    qs = producer_selectors.application_list_for_producer(
        request.user,
        search=values.get("q", "").strip(),
        status=values.get("status", ""),
        licence_type=values.get("licence_type", ""),
        destination=values.get("destination", ""),
    )
    context = list_context(
        request,
        qs,
        default_sort="-updated",
        count_cap=COUNT_CAP,
        sort_fields={
            "reference": "pk",
            "status": "status",
            "type": "licence_type",
            "destination": "destination_country",
            "submitted": "submitted_at",
            "updated": "updated_at",
        },
    )
    context["filters"] = filters
    context["filtered"] = any(values.values())
    context["today"] = timezone.localdate()
    return render(request, "licensing/producer/application_list.html", context)


@producer_only
@require_http_methods(["GET", "POST"])
def application_create(request):
    form = forms.HeaderForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            app = services.application_create(actor=request.user, data=form.service_data())
        except PermissionDeniedError:
            raise PermissionDenied from None
        except DomainError as exc:
            add_domain_error(form, exc)
        else:
            messages.success(
                request,
                _(
                    "Draft %(ref)s created. Add its lines, parties and documents; it is saved as "
                    "you go, and you can come back to it any time."
                )
                % {"ref": app.reference},
            )
            return redirect("licensing:application_detail", pk=app.pk)
    return render(request, "licensing/producer/header_form.html", {"form": form, "app": None})


# ---- one application ---------------------------------------------------------------------------


def _problem_sections(problems: list[str]) -> list[dict]:
    """Each missing piece with the section of the page where it is fixed. The messages come from
    services.completeness_problems; we rebuild its party and document messages to sort them."""
    party_messages = {
        _("Name the %(role)s.") % {"role": PartyRole(role).label.lower()}
        for role in REQUIRED_PARTY_ROLES
    }
    document_messages = {
        _("Attach the %(doc)s.") % {"doc": DocumentKind(kind).label.lower()}
        for kind in [*REQUIRED_DOCUMENTS, DocumentKind.COMPLIANCE_PROGRAMME]
    }
    line_prefixes = (_("Line %(n)d:") % {"n": 0}).split("0")[0], _("Add at least one line item.")
    rows = []
    for problem in problems:
        if problem in party_messages:
            section = "parties"
        elif problem in document_messages:
            section = "documents"
        elif problem.startswith(line_prefixes):
            section = "lines"
        else:
            section = "header"
        rows.append({"message": problem, "section": section})
    return rows


def _detail_context(request, app: Application, **extra) -> dict:
    kinds = permissions.application_actor_kinds(request.user, app)
    actions = {
        t.action for t in workflow.available(workflow.APPLICATION_TRANSITIONS, app.status, kinds)
    }
    is_draft = app.status == ApplicationStatus.DRAFT
    problems = services.completeness_problems(app) if is_draft else []
    parties = dict.fromkeys(PartyRole.values)
    for party in app.parties.all():
        parties[party.role] = party.client
    open_rfi = selectors.open_rfi_for(app)
    calendar = work_calendar()
    today = timezone.localdate()
    licence = getattr(app, "licence", None) if app.status == ApplicationStatus.APPROVED else None
    context = {
        "app": app,
        "is_draft": is_draft and permissions.can_edit_draft(request.user, app),
        "can_submit": "submit" in actions,
        "can_withdraw": "withdraw" in actions,
        "can_answer": "answer_information" in actions and open_rfi is not None,
        "lines": list(app.lines.all()),
        "party_rows": [
            (PartyRole(role).label, client, role in REQUIRED_PARTY_ROLES)
            for role, client in parties.items()
        ],
        "documents": list(app.documents.all()),
        "required_documents": _required_documents(app),
        "problems": _problem_sections(problems),
        "history": producer_selectors.producer_history(app),
        "requests": list(app.information_requests.all()),
        "open_rfi": open_rfi,
        "rfi_days_left": calendar.working_days_between(today, open_rfi.due_on)
        if open_rfi
        else None,
        "reading": clock.reading_for(app, calendar=calendar, as_of=today),
        "licence": licence,
        "document_form": forms.DocumentForm(),
        "withdraw_form": forms.ReasonForm(),
        "today": today,
    }
    context.update(extra)
    return context


def _required_documents(app: Application) -> list[dict]:
    kinds = {d.kind for d in app.documents.all()}
    wanted = list(REQUIRED_DOCUMENTS)
    if app.licence_type == LicenceType.GENERAL:
        wanted.append(DocumentKind.COMPLIANCE_PROGRAMME)
    return [{"label": DocumentKind(k).label, "present": k in kinds} for k in wanted]


def _render_detail(request, app: Application, status: int = 200, **extra):
    return render(
        request,
        "licensing/producer/application_detail.html",
        _detail_context(request, app, **extra),
        status=status,
    )


def _back_to(app: Application, anchor: str = "") -> HttpResponseRedirect:
    url = reverse("licensing:application_detail", args=[app.pk])
    return redirect(f"{url}#{anchor}" if anchor else url)


def _refused(request, app: Application, exc: DomainError, anchor: str = ""):
    """A refusal that a redirect explains: a forged or stale action (403 / 409) or a rule."""
    if isinstance(exc, PermissionDeniedError):
        raise PermissionDenied from None
    messages.error(request, exc.message)
    return _back_to(app, anchor)


@producer_only
def application_detail(request, pk: int):
    app = producer_selectors.application_for_producer(request.user, pk)
    return _render_detail(request, app)


def _draft_or_redirect(request, pk: int):
    """The application when it is a draft of the user's company; else a redirect saying why."""
    app = producer_selectors.application_for_producer(request.user, pk)
    if not permissions.can_edit_draft(request.user, app):
        messages.error(
            request,
            _("Only a draft can be changed; %(ref)s is %(status)s.")
            % {"ref": app.reference, "status": app.get_status_display().lower()},
        )
        return app, _back_to(app)
    return app, None


@producer_only
@require_http_methods(["GET", "POST"])
def application_header(request, pk: int):
    app, refused = _draft_or_redirect(request, pk)
    if refused:
        return refused
    form = forms.HeaderForm(request.POST or None, initial=forms.HeaderForm.initial_for(app))
    if request.method == "POST" and form.is_valid():
        try:
            services.application_update(
                actor=request.user, application=app, data=form.service_data()
            )
        except ConflictError as exc:
            return _refused(request, app, exc)
        except DomainError as exc:
            if isinstance(exc, PermissionDeniedError):
                raise PermissionDenied from None
            add_domain_error(form, exc)
        else:
            messages.success(request, _("Header saved."))
            return _back_to(app, "header")
    return render(request, "licensing/producer/header_form.html", {"form": form, "app": app})


def _line_dicts(app: Application) -> list[dict]:
    return [
        {**{k: getattr(line, k) for k in LINE_FIELDS}, "catalogue_entry": line.catalogue_entry}
        for line in app.lines.all()
    ]


def _save_lines(request, app, form, lines: list[dict], position: int):
    """Replace the lines through the service; its per-line messages land on this line's fields."""
    field_map = {f"lines.{position}.{name}": name for name in LINE_FIELDS}
    try:
        services.application_update(actor=request.user, application=app, data={}, lines=lines)
    except PermissionDeniedError:
        raise PermissionDenied from None
    except DomainError as exc:
        add_domain_error(form, exc, field_map)
        return False
    return True


@producer_only
@require_http_methods(["GET", "POST"])
def line_add(request, pk: int):
    app, refused = _draft_or_redirect(request, pk)
    if refused:
        return refused
    form = forms.LineForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        lines = [*_line_dicts(app), dict(form.cleaned_data)]
        if _save_lines(request, app, form, lines, len(lines)):
            messages.success(request, _("Line %(n)d added.") % {"n": len(lines)})
            return _back_to(app, "lines")
    return render(
        request, "licensing/producer/line_form.html", {"form": form, "app": app, "position": None}
    )


@producer_only
@require_http_methods(["GET", "POST"])
def line_edit(request, pk: int, position: int):
    app, refused = _draft_or_redirect(request, pk)
    if refused:
        return refused
    lines = _line_dicts(app)
    if not 1 <= position <= len(lines):
        messages.error(request, _("This application has no line %(n)d.") % {"n": position})
        return _back_to(app, "lines")
    line = next(x for x in app.lines.all() if x.position == position)
    form = forms.LineForm(request.POST or None, initial=forms.LineForm.initial_for(line))
    if request.method == "POST" and form.is_valid():
        lines[position - 1] = dict(form.cleaned_data)
        if _save_lines(request, app, form, lines, position):
            messages.success(request, _("Line %(n)d saved.") % {"n": position})
            return _back_to(app, "lines")
    return render(
        request,
        "licensing/producer/line_form.html",
        {"form": form, "app": app, "position": position},
    )


@producer_only
@require_POST
def line_remove(request, pk: int, position: int):
    app, refused = _draft_or_redirect(request, pk)
    if refused:
        return refused
    lines = _line_dicts(app)
    if not 1 <= position <= len(lines):
        messages.error(request, _("This application has no line %(n)d.") % {"n": position})
        return _back_to(app, "lines")
    del lines[position - 1]
    try:
        services.application_update(actor=request.user, application=app, data={}, lines=lines)
    except DomainError as exc:
        return _refused(request, app, exc, "lines")
    messages.success(
        request, _("Line %(n)d removed; the lines after it moved up.") % {"n": position}
    )
    return _back_to(app, "lines")


@producer_only
@require_http_methods(["GET", "POST"])
def application_parties(request, pk: int):
    app, refused = _draft_or_redirect(request, pk)
    if refused:
        return refused
    form = forms.PartiesForm(
        request.POST or None, user=request.user, initial=forms.PartiesForm.initial_for(app)
    )
    if request.method == "POST" and form.is_valid():
        try:
            services.application_set_parties(
                actor=request.user, application=app, parties=form.service_parties()
            )
        except PermissionDeniedError:
            raise PermissionDenied from None
        except DomainError as exc:
            add_domain_error(form, exc)
        else:
            messages.success(request, _("Parties saved."))
            return _back_to(app, "parties")
    return render(request, "licensing/producer/parties_form.html", {"form": form, "app": app})


@producer_only
@require_POST
def document_upload(request, pk: int):
    app = producer_selectors.application_for_producer(request.user, pk)
    form = forms.DocumentForm(request.POST, request.FILES)
    if form.is_valid():
        try:
            services.document_add(
                actor=request.user,
                application=app,
                kind=form.cleaned_data["kind"],
                upload=form.cleaned_data["file"],
            )
        except PermissionDeniedError:
            raise PermissionDenied from None
        except DomainError as exc:
            add_domain_error(form, exc)
        else:
            messages.success(
                request,
                _("%(name)s uploaded.") % {"name": form.cleaned_data["file"].name},
            )
            return _back_to(app, "documents")
    app = producer_selectors.application_for_producer(request.user, pk)
    return _render_detail(request, app, document_form=form)


@producer_only
@require_POST
def document_remove(request, pk: int, document_pk: int):
    app = producer_selectors.application_for_producer(request.user, pk)
    document = next((d for d in app.documents.all() if d.pk == document_pk), None)
    if document is None:
        raise Http404
    try:
        services.document_remove(actor=request.user, document=document)
    except DomainError as exc:
        return _refused(request, app, exc, "documents")
    messages.success(request, _("%(name)s removed.") % {"name": document.original_name})
    return _back_to(app, "documents")


@producer_only
@require_POST
def application_submit(request, pk: int):
    app = producer_selectors.application_for_producer(request.user, pk)
    try:
        services.application_submit(actor=request.user, application=app)
    except ConflictError as exc:
        return _refused(request, app, exc)
    except PermissionDeniedError:
        raise PermissionDenied from None
    except DomainError as exc:
        app = producer_selectors.application_for_producer(request.user, pk)
        return _render_detail(
            request,
            app,
            submit_error=exc.message,
            submit_problems=exc.field_errors.get("__all__", []),
        )
    messages.success(
        request,
        _("%(ref)s submitted. The review clock started today; we will tell you of every step.")
        % {"ref": app.reference},
    )
    return _back_to(app)


@producer_only
@require_POST
def application_withdraw(request, pk: int):
    app = producer_selectors.application_for_producer(request.user, pk)
    form = forms.ReasonForm(request.POST)
    if form.is_valid():
        try:
            services.application_withdraw(
                actor=request.user, application=app, reason=form.cleaned_data["reason"]
            )
        except (ConflictError, PermissionDeniedError) as exc:
            return _refused(request, app, exc)
        except DomainError as exc:
            add_domain_error(form, exc)
        else:
            messages.success(request, _("%(ref)s withdrawn.") % {"ref": app.reference})
            return _back_to(app)
    return _render_detail(request, app, withdraw_form=form, show_withdraw=True)


@producer_only
@require_POST
def application_copy(request, pk: int):
    app = producer_selectors.application_for_producer(request.user, pk)
    try:
        copy = services.application_copy(actor=request.user, application=app)
    except DomainError as exc:
        return _refused(request, app, exc)
    messages.success(
        request,
        _("%(new)s is a copy of %(old)s: header, lines and parties. Attach the documents again.")
        % {"new": copy.reference, "old": app.reference},
    )
    return redirect("licensing:application_detail", pk=copy.pk)


@producer_only
@require_http_methods(["GET", "POST"])
def rfi_answer(request, pk: int):
    app = producer_selectors.application_for_producer(request.user, pk)
    rfi = selectors.open_rfi_for(app)
    if rfi is None or app.status != ApplicationStatus.INFORMATION_REQUESTED:
        messages.info(request, _("There is no open request for information on this application."))
        return _back_to(app)
    form = forms.RfiAnswerForm(request.POST or None, request.FILES or None)
    if request.method == "POST" and form.is_valid():
        try:
            services.rfi_answer(  # the answer and its attachments, all or nothing
                actor=request.user,
                application=app,
                answer=form.cleaned_data["answer"],
                attachments=form.cleaned_data["attachments"],
            )
        except ConflictError as exc:
            return _refused(request, app, exc)
        except PermissionDeniedError:
            raise PermissionDenied from None
        except DomainError as exc:
            add_domain_error(form, exc, {"file": "attachments"})
        else:
            messages.success(request, _("Answer sent; the review clock runs again from today."))
            return _back_to(app)
    calendar = work_calendar()
    return render(
        request,
        "licensing/producer/rfi_answer.html",
        {
            "app": app,
            "rfi": rfi,
            "form": form,
            "days_left": calendar.working_days_between(timezone.localdate(), rfi.due_on),
        },
    )


# ---- licences ----------------------------------------------------------------------------------


@producer_only
def licence_list(request):
    filters = forms.LicenceFilterForm(request.GET or None)
    values = filters.cleaned_data if filters.is_valid() else {}
    qs = producer_selectors.licence_list_for_producer(
        request.user,
        search=values.get("q", "").strip(),
        status=values.get("status", ""),
        licence_type=values.get("licence_type", ""),
        destination=values.get("destination", ""),
    )
    context = list_context(
        request,
        qs,
        default_sort="-issued",
        count_cap=COUNT_CAP,
        sort_fields={
            "number": "number",
            "status": "status",
            "type": "licence_type",
            "issued": "issued_on",
            "valid_until": "valid_until",
            "destination": "destination_country",
        },
    )
    context["filters"] = filters
    context["filtered"] = any(values.values())
    return render(request, "licensing/producer/licence_list.html", context)


def _licence_context(request, licence, **extra) -> dict:
    kinds = permissions.licence_actor_kinds(request.user, licence)
    actions = {
        t.action for t in workflow.available(workflow.LICENCE_TRANSITIONS, licence.status, kinds)
    }
    amendments = list(licence.amendments.all())
    for amendment in amendments:
        amendment.change_rows = [
            (AMENDMENT_LABELS.get(field, field), old, new)
            for field, (old, new) in amendment.changes.items()
        ]
    context = {
        "licence": licence,
        "lines": list(licence.lines.all()),
        "history": list(licence.transitions.all()),
        "amendments": amendments,
        "amendment_open": any(a.status == "requested" for a in amendments),
        "can_surrender": "surrender" in actions,
        "can_amend": "producer" in kinds and licence.status in ("active", "suspended"),
        "surrender_form": forms.ReasonForm(),
    }
    context.update(extra)
    return context


@producer_only
def licence_detail(request, pk: int):
    licence = selectors.licence_get_for(request.user, pk)
    return render(
        request, "licensing/producer/licence_detail.html", _licence_context(request, licence)
    )


@producer_only
@require_POST
def licence_surrender(request, pk: int):
    licence = selectors.licence_get_for(request.user, pk)
    form = forms.ReasonForm(request.POST)
    if form.is_valid():
        try:
            services.licence_transition(
                actor=request.user,
                licence=licence,
                action="surrender",
                reason=form.cleaned_data["reason"],
            )
        except PermissionDeniedError:
            raise PermissionDenied from None
        except ConflictError as exc:
            messages.error(request, exc.message)
            return redirect("licensing:licence_detail", pk=pk)
        except DomainError as exc:
            add_domain_error(form, exc)
        else:
            messages.success(
                request, _("Licence %(number)s surrendered.") % {"number": licence.number}
            )
            return redirect("licensing:licence_detail", pk=pk)
    return render(
        request,
        "licensing/producer/licence_detail.html",
        _licence_context(request, licence, surrender_form=form, show_surrender=True),
    )


@producer_only
@require_http_methods(["GET", "POST"])
def licence_amend(request, pk: int):
    licence = selectors.licence_get_for(request.user, pk)
    form = forms.AmendmentForm(
        request.POST or None,
        licence=licence,
        initial={
            "port_of_exit": licence.port_of_exit,
            "transport_mode": licence.transport_mode,
            "valid_until": licence.valid_until,
        },
    )
    if request.method == "POST" and form.is_valid():
        try:
            services.amendment_request(
                actor=request.user,
                licence=licence,
                changes=form.changes,
                justification=form.cleaned_data["justification"],
            )
        except PermissionDeniedError:
            raise PermissionDenied from None
        except ConflictError as exc:
            messages.error(request, exc.message)
            return redirect("licensing:licence_detail", pk=pk)
        except DomainError as exc:
            # The service's field entries carry bare values (the latest date allowed): its
            # message is the sentence to show, on the field it names when the form has it.
            fields = [name for name in exc.field_errors if name in form.fields]
            for name in fields or [None]:
                form.add_error(name, exc.message)
        else:
            messages.success(
                request,
                _("Amendment requested; an official decides within %(n)d working days.")
                % {"n": settings.LICENSING_AMENDMENT_DAYS},
            )
            return redirect("licensing:licence_detail", pk=pk)
    return render(
        request, "licensing/producer/licence_amend.html", {"licence": licence, "form": form}
    )
