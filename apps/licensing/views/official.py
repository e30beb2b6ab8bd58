"""Officials' pages: the review queue, the case page and its actions, licences and amendments.

Every action view follows the same order: scoped fetch (404) -> the workflow table says whether
this user may act now (403 not allowed / 409 state changed, nothing written) -> form -> service.
The page offers only the actions the table allows, so a refusal means a forged or stale request.
"""

from django.contrib import messages
from django.http import FileResponse, Http404, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_POST

from apps.accounts import selectors as account_selectors
from apps.catalogue.selectors import catalogue_elements_for
from apps.core.access import recent_auth_required, role_required
from apps.core.errors import ConflictError, DomainError, PermissionDeniedError
from apps.core.forms import add_domain_error
from apps.core.listing import COUNT_CAP, list_context
from apps.core.roles import Role, has_role
from apps.licensing import clock, pdf, permissions, selectors, services, workflow
from apps.licensing import forms_official as forms
from apps.licensing import selectors_official as official_selectors
from apps.licensing.models import Document
from apps.licensing.services.licences import max_validity
from apps.licensing.workflow import OPEN_APPLICATION_STATES
from apps.workcalendar.selectors import work_calendar

OFFICIALS = (Role.REVIEWER, Role.APPROVER)
READERS = (Role.REVIEWER, Role.APPROVER, Role.AUDITOR, Role.ADMINISTRATOR)


# Decisions need the password (and code) typed recently; after confirming it the official comes
# back to the page that holds the form (the endpoints themselves are POST only).
def _back_to_case(request, pk: int) -> str:
    return reverse("review:case_detail", args=[pk])


def _back_to_licence(request, pk: int) -> str:
    return reverse("review:licence_detail", args=[pk])


def _back_to_amendment_licence(request, pk: int) -> str:
    amendment = official_selectors.amendment_get_for(request.user, pk)
    return reverse("review:licence_detail", args=[amendment.licence_id])


EVERYONE = tuple(Role)
QUEUE_PER_PAGE = 50
LICENCE_ACTIONS = ("suspend", "reinstate", "revoke")


# -- the queue -------------------------------------------------------------------------------


def _queue_filter_form(request):
    return forms.QueueFilterForm(
        request.GET or None,
        elements=[(symbol, f"{element} ({symbol})") for element, symbol in _elements(request)],
        reviewers=official_selectors.reviewer_choices(),
        companies=_companies(request),
    )


def _elements(request):
    return catalogue_elements_for(request.user)


def _companies(request):
    return list(
        account_selectors.organisation_list_for(request.user, status="verified")
        .order_by("legal_name")
        .values_list("pk", "legal_name")
    )


@role_required(*READERS)
@require_GET
def queue(request):
    calendar = work_calendar()
    today = clock.today()
    filters = _queue_filter_form(request)
    values = filters.cleaned_data if filters.is_valid() else {}
    qs = selectors.queue_for(
        request.user,
        status=values.get("status", ""),
        element=values.get("element", ""),
        destination=values.get("destination", ""),
        sector=values.get("sector", ""),
        fast_track=values.get("fast_track", ""),
        assignee=values.get("assignee", ""),
        deadline_by=official_selectors.deadline_by(values.get("days_left", ""), calendar, today),
        organisation=values.get("company", ""),
    )
    context = list_context(
        request,
        official_selectors.queue_page_rows(qs),
        sort_fields=official_selectors.QUEUE_SORTS,
        default_sort="deadline",
        per_page=QUEUE_PER_PAGE,
        count_cap=official_selectors.QUEUE_COUNT_CAP,
    )
    context["rows"] = official_selectors.queue_rows(context["object_list"], calendar, today)
    context["filters"] = filters
    context["presets"] = PRESETS
    context["active_preset"] = _active_preset(request)
    template = "licensing/official/_queue_table.html" if request.htmx else None
    return render(request, template or "licensing/official/queue.html", context)


PRESETS = [
    ("mine", _("My cases"), "assignee=me"),
    ("unassigned", _("Unassigned"), "assignee=none"),
    ("waiting", _("Waiting for decision"), "status=reviewed"),
    ("overdue", _("Overdue"), "days_left=overdue"),
]


def _active_preset(request) -> str:
    query = request.GET.urlencode()
    return next((key for key, _label, params in PRESETS if query == params), "")


# -- the case page ---------------------------------------------------------------------------


def _refusal(user, app, action: str) -> DomainError | None:
    """What the workflow table says about `action` now (None: allowed, reason aside)."""
    kinds = permissions.application_actor_kinds(user, app)
    try:
        workflow.check(workflow.APPLICATION_TRANSITIONS, action, app.status, kinds, reason="-")
    except workflow.TransitionRefused as refused:
        if refused.code == "wrong_state":
            return ConflictError(refused.message)
        return PermissionDeniedError(refused.message)
    return None


def _can_write_notes(user, app) -> bool:
    return has_role(user, *OFFICIALS) and not permissions.is_linked(user, app.organisation_id)


def _case_context(request, app, bound: dict | None = None) -> dict:
    user = request.user
    calendar = work_calendar()
    today = clock.today()
    transitions = list(app.transitions.all())
    reading = clock.reading_for(app, calendar=calendar, as_of=today, transitions=transitions)
    kinds = permissions.application_actor_kinds(user, app)
    actions = {
        t.action for t in workflow.available(workflow.APPLICATION_TRANSITIONS, app.status, kinds)
    }
    open_rfi = selectors.open_rfi_for(app)
    lines = list(app.lines.all())
    bound = bound or {}
    hits = official_selectors.hits_by_client(app)
    parties = list(app.parties.all())
    for party in parties:
        party.screening_hits = hits.get(party.client_id, [])
    longest = max_validity(app.licence_type, today)
    context = {
        "app": app,
        "lines": lines,
        "parties": parties,
        "documents": list(app.documents.all()),
        "transitions": transitions,
        "rfis": list(app.information_requests.all()),
        "open_rfi": open_rfi,
        "rfi_overdue": open_rfi is not None and open_rfi.due_on < today,
        "notes": list(official_selectors.notes_for(app)),
        "reading": reading,
        "paused": open_rfi is not None,
        "actions": actions,
        "licence": official_selectors.licence_of(app) if app.status == "approved" else None,
        "can_note": _can_write_notes(user, app),
        "can_fast_track": permissions.can_mark_fast_track(user, app)
        and app.status in OPEN_APPLICATION_STATES,
        "linked": permissions.is_linked(user, app.organisation_id),
        "four_eyes_blocked": app.status == "reviewed"
        and has_role(user, Role.APPROVER)
        and "approve" not in actions,
    }
    if "assign" in actions:
        context["assign_form"] = bound.get("assign_form") or forms.AssignForm(
            reviewers=selectors.reviewers_for_assignment(app),
            initial={"reviewer": app.assigned_reviewer_id},
        )
    if "request_information" in actions:
        context["rfi_form"] = bound.get("rfi_form") or forms.RfiForm()
    if "recommend" in actions:
        context["recommend_form"] = bound.get("recommend_form") or forms.RecommendForm()
    if "approve" in actions:
        context["decision_form"] = bound.get("decision_form") or forms.DecisionForm(
            lines=lines, max_valid_until=longest
        )
    if "send_back" in actions:
        context["send_back_form"] = bound.get("send_back_form") or forms.ReasonForm(
            prefix="send_back"
        )
    if "close_lapsed" in actions and context["rfi_overdue"]:
        context["lapse_form"] = bound.get("lapse_form") or forms.ReasonForm(prefix="lapse")
    if context["can_fast_track"]:
        context["fast_track_form"] = bound.get("fast_track_form") or forms.FastTrackForm(
            initial={"fast_track": not app.fast_track, "reason": app.fast_track_reason}
        )
    if context["can_note"]:
        context["note_form"] = bound.get("note_form") or forms.NoteForm()
    return context


def _render_case(request, app, *, status: int = 200, bound: dict | None = None):
    return render(
        request,
        "licensing/official/case_detail.html",
        _case_context(request, app, bound),
        status=status,
    )


@role_required(*READERS)
@require_GET
def case_detail(request, pk: int):
    app = official_selectors.case_for(request.user, pk)
    return _render_case(request, app)


def _refused(request, app, exc: DomainError):
    """A forged or stale action: say why, change nothing, answer 403 / 409."""
    messages.error(request, exc.message)
    fresh = official_selectors.case_for(request.user, app.pk)
    return _render_case(request, fresh, status=exc.status_code)


def _perform(request, app, *, action, run, done, form=None, form_key=None, refusal=None):
    """Pre-check, validate, call the service, and answer (redirect / 400 / 403 / 409)."""
    refusal = (
        refusal
        if refusal is not None
        else (_refusal(request.user, app, action) if action else None)
    )
    if refusal is not None:
        return _refused(request, app, refusal)
    if form is not None and not form.is_valid():
        return _render_case(request, app, status=400, bound={form_key: form})
    try:
        run(form.cleaned_data if form is not None else {})
    except (PermissionDeniedError, ConflictError) as exc:
        return _refused(request, app, exc)
    except DomainError as exc:
        if form is None:
            return _refused(request, app, exc)
        add_domain_error(form, exc)
        if not exc.field_errors:
            messages.error(request, exc.message)
        return _render_case(request, app, status=400, bound={form_key: form})
    messages.success(request, done)
    return redirect("review:case_detail", pk=app.pk)


def _case(request, pk):
    return official_selectors.case_for(request.user, pk)


@role_required(*OFFICIALS)
@require_POST
def case_take(request, pk: int):
    app = _case(request, pk)
    return _perform(
        request,
        app,
        action="take",
        run=lambda data: services.application_take(actor=request.user, application=app),
        done=_("You took %(ref)s.") % {"ref": app.reference},
    )


@role_required(*OFFICIALS)
@require_POST
def case_assign(request, pk: int):
    app = _case(request, pk)
    form = forms.AssignForm(request.POST, reviewers=selectors.reviewers_for_assignment(app))
    return _perform(
        request,
        app,
        action="assign",
        form=form,
        form_key="assign_form",
        run=lambda data: services.application_assign(
            actor=request.user, application=app, reviewer=data["reviewer"]
        ),
        done=_("%(ref)s assigned.") % {"ref": app.reference},
    )


@role_required(*OFFICIALS)
@require_POST
def case_request_information(request, pk: int):
    app = _case(request, pk)
    return _perform(
        request,
        app,
        action="request_information",
        form=forms.RfiForm(request.POST),
        form_key="rfi_form",
        run=lambda data: services.rfi_raise(
            actor=request.user, application=app, question=data["question"]
        ),
        done=_("Request for information sent; the review clock is paused."),
    )


@role_required(*OFFICIALS)
@require_POST
def case_recommend(request, pk: int):
    app = _case(request, pk)
    return _perform(
        request,
        app,
        action="recommend",
        form=forms.RecommendForm(request.POST),
        form_key="recommend_form",
        run=lambda data: services.application_recommend(
            actor=request.user,
            application=app,
            recommendation=data["recommendation"],
            reasons=data["reasons"],
        ),
        done=_("Recommendation recorded; the case waits for a decision."),
    )


@role_required(*OFFICIALS)
@require_POST
def case_send_back(request, pk: int):
    app = _case(request, pk)
    return _perform(
        request,
        app,
        action="send_back",
        form=forms.ReasonForm(request.POST, prefix="send_back"),
        form_key="send_back_form",
        run=lambda data: services.application_send_back(
            actor=request.user, application=app, reason=data["reason"]
        ),
        done=_("Sent back to the reviewer."),
    )


@role_required(*OFFICIALS)
@require_POST
def case_close_lapsed(request, pk: int):
    app = _case(request, pk)
    return _perform(
        request,
        app,
        action="close_lapsed",
        form=forms.ReasonForm(request.POST, prefix="lapse"),
        form_key="lapse_form",
        run=lambda data: services.application_close_lapsed(
            actor=request.user, application=app, reason=data["reason"]
        ),
        done=_("%(ref)s closed as lapsed.") % {"ref": app.reference},
    )


@role_required(*OFFICIALS)
@recent_auth_required(next_url=_back_to_case)
@require_POST
def case_decide(request, pk: int):
    app = _case(request, pk)
    lines = list(app.lines.all())
    form = forms.DecisionForm(
        request.POST, lines=lines, max_valid_until=max_validity(app.licence_type, clock.today())
    )
    decision = request.POST.get("decision") if request.POST.get("decision") == "deny" else "approve"

    def run(data):
        _app, licence = services.application_decide(
            actor=request.user,
            application=app,
            decision=data["decision"],
            reasons=data.get("reasons", ""),
            conditions=data.get("conditions", ""),
            approved_quantities=form.approved_quantities()
            if data["decision"] == "approve"
            else None,
            valid_until=data.get("valid_until"),
        )
        return licence

    return _perform(
        request,
        app,
        action=decision,
        form=form,
        form_key="decision_form",
        run=run,
        done=_("Decision recorded on %(ref)s.") % {"ref": app.reference},
    )


@role_required(*OFFICIALS)
@require_POST
def case_fast_track(request, pk: int):
    app = _case(request, pk)
    refusal = None
    if not permissions.can_mark_fast_track(request.user, app):
        refusal = PermissionDeniedError(_("Only officials handling the case can change its track."))
    elif app.status not in OPEN_APPLICATION_STATES:
        refusal = ConflictError(_("The track of a closed case cannot change."))
    return _perform(
        request,
        app,
        action=None,
        refusal=refusal,
        form=forms.FastTrackForm(request.POST),
        form_key="fast_track_form",
        run=lambda data: services.application_set_fast_track(
            actor=request.user,
            application=app,
            fast_track=data["fast_track"],
            reason=data["reason"],
        ),
        done=_("Track updated; the deadline was recomputed."),
    )


@role_required(*OFFICIALS)
@require_POST
def case_note(request, pk: int):
    app = _case(request, pk)
    refusal = None
    if not _can_write_notes(request.user, app):
        refusal = PermissionDeniedError(_("You are linked to this company."))
    return _perform(
        request,
        app,
        action=None,
        refusal=refusal,
        form=forms.NoteForm(request.POST),
        form_key="note_form",
        run=lambda data: services.note_add(actor=request.user, application=app, body=data["body"]),
        done=_("Note added."),
    )


@role_required(*READERS)
@require_GET
def document_download(request, pk: int):
    """A case document as a download, for officials who may see the case (never inline)."""
    document = Document.objects.filter(pk=pk).select_related("application").first()
    if document is None:
        raise Http404
    official_selectors.case_for(request.user, document.application_id)
    response = FileResponse(
        document.file.open("rb"),
        as_attachment=True,
        filename=document.original_name,
        content_type=document.content_type,
    )
    response["X-Content-Type-Options"] = "nosniff"
    response["Content-Security-Policy"] = "default-src 'none'; sandbox"
    return response


# -- licences ---------------------------------------------------------------------------------

LICENCE_SORTS = {
    "number": "number",
    "company": "organisation__legal_name",
    "status": "status",
    "issued": "issued_on",
    "valid_until": "valid_until",
}


@role_required(*READERS)
@require_GET
def licence_list(request):
    filters = forms.LicenceFilterForm(
        request.GET or None,
        elements=[(symbol, f"{element} ({symbol})") for element, symbol in _elements(request)],
        companies=_companies(request),
    )
    values = filters.cleaned_data if filters.is_valid() else {}
    qs = official_selectors.licence_list_for(
        request.user,
        status=values.get("status", ""),
        organisation=values.get("company", ""),
        element=values.get("element", ""),
        expiring_within=values.get("expiring_within"),
        today=clock.today(),
    )
    context = list_context(
        request,
        qs,
        sort_fields=LICENCE_SORTS,
        default_sort="-issued",
        per_page=50,
        count_cap=COUNT_CAP,
    )
    context["filters"] = filters
    template = "licensing/official/_licence_table.html" if request.htmx else None
    return render(request, template or "licensing/official/licence_list.html", context)


def _licence_context(request, licence, action_form=None) -> dict:
    kinds = permissions.licence_actor_kinds(request.user, licence)
    actions = [
        t
        for t in workflow.available(workflow.LICENCE_TRANSITIONS, licence.status, kinds)
        if t.action in LICENCE_ACTIONS
    ]
    return {
        "licence": licence,
        "actions": actions,
        "action_form": action_form or forms.LicenceActionForm(),
        "amendment_form": forms.AmendmentDecisionForm(),
        "can_decide_amendments": "approver" in kinds,
    }


@role_required(*READERS)
@require_GET
def licence_detail(request, pk: int):
    licence = selectors.licence_get_for(request.user, pk)
    return render(
        request, "licensing/official/licence_detail.html", _licence_context(request, licence)
    )


@role_required(*OFFICIALS)
@recent_auth_required(next_url=_back_to_licence)
@require_POST
def licence_transition(request, pk: int):
    licence = selectors.licence_get_for(request.user, pk)
    form = forms.LicenceActionForm(request.POST)
    action = request.POST.get("action", "")
    if action not in LICENCE_ACTIONS:
        return _licence_refused(
            request, licence, DomainError(_("Choose suspend, reinstate or revoke."))
        )
    kinds = permissions.licence_actor_kinds(request.user, licence)
    try:
        workflow.check(workflow.LICENCE_TRANSITIONS, action, licence.status, kinds, reason="-")
    except workflow.TransitionRefused as refused:
        exc = ConflictError if refused.code == "wrong_state" else PermissionDeniedError
        return _licence_refused(request, licence, exc(refused.message))
    if not form.is_valid():
        return render(
            request,
            "licensing/official/licence_detail.html",
            _licence_context(request, licence, form),
            status=400,
        )
    try:
        services.licence_transition(
            actor=request.user, licence=licence, action=action, reason=form.cleaned_data["reason"]
        )
    except DomainError as exc:
        return _licence_refused(request, licence, exc)
    messages.success(request, _("Licence %(number)s updated.") % {"number": licence.number})
    return redirect("review:licence_detail", pk=licence.pk)


def _licence_refused(request, licence, exc: DomainError):
    messages.error(request, exc.message)
    fresh = selectors.licence_get_for(request.user, licence.pk)
    return render(
        request,
        "licensing/official/licence_detail.html",
        _licence_context(request, fresh),
        status=exc.status_code,
    )


@role_required(*READERS)
@require_GET
def amendment_list(request):
    filters = forms.AmendmentFilterForm(request.GET or None)
    values = filters.cleaned_data if filters.is_valid() else {}
    qs = official_selectors.amendment_list_for(request.user, status=values.get("status", ""))
    context = list_context(
        request,
        qs,
        sort_fields={
            "requested": "requested_at",
            "licence": "licence__number",
            "status": "status",
            "company": "licence__organisation__legal_name",
        },
        default_sort="requested",
        per_page=50,
    )
    context["filters"] = filters
    context["decision_form"] = forms.AmendmentDecisionForm()
    context["can_decide"] = has_role(request.user, Role.APPROVER)
    return render(request, "licensing/official/amendment_list.html", context)


@role_required(*OFFICIALS)
@recent_auth_required(next_url=_back_to_amendment_licence)
@require_POST
def amendment_decide(request, pk: int):
    amendment = official_selectors.amendment_get_for(request.user, pk)
    form = forms.AmendmentDecisionForm(request.POST)
    back = redirect("review:licence_detail", pk=amendment.licence_id)
    if not form.is_valid():
        messages.error(request, _("Choose grant or refuse and give a reason."))
        return back
    try:
        services.amendment_decide(
            actor=request.user,
            amendment=amendment,
            grant=form.cleaned_data["decision"] == "grant",
            reason=form.cleaned_data["reason"],
        )
    except DomainError as exc:
        messages.error(request, exc.message)
        return _licence_refused(request, amendment.licence, exc)
    messages.success(request, _("Amendment decided."))
    return back


# -- the licence document and its public check ------------------------------------------------


def _verification_url(request, licence) -> str:
    return pdf.verification_url(request.build_absolute_uri("/"), licence)


@role_required(*EVERYONE)
@require_GET
def licence_print(request, pk: int):
    """The printable licence, for its holder and for officials (404 for anyone else)."""
    licence = selectors.licence_get_for(request.user, pk)
    url = _verification_url(request, licence)
    return render(
        request,
        "licensing/official/licence_print.html",
        {"licence": licence, "verification_url": url, "qr_svg": pdf.qr_svg(url)},
    )


@role_required(*EVERYONE)
@require_GET
def licence_pdf(request, pk: int):
    licence = selectors.licence_get_for(request.user, pk)
    content = pdf.licence_pdf(licence, _verification_url(request, licence))
    response = HttpResponse(content, content_type="application/pdf")
    response["Content-Disposition"] = f'attachment; filename="{licence.number}.pdf"'
    response["X-Content-Type-Options"] = "nosniff"
    return response


@require_GET
def licence_verify(request):
    """Anyone checks a number and code: "valid" or "not valid", nothing else.

    One query whatever is wrong (unknown number, wrong code, not active, expired), so the answer
    has the same shape and cost and tells nothing about which numbers exist.
    """
    form = forms.VerifyForm(request.GET or None)
    result = None
    if form.is_bound and form.is_valid():
        result = selectors.licence_verify(form.cleaned_data["number"], form.cleaned_data["code"])
    response = render(
        request, "licensing/official/licence_verify.html", {"form": form, "result": result}
    )
    response["Cache-Control"] = "no-store"
    response["Referrer-Policy"] = "no-referrer"
    return response
