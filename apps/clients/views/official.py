"""Officials' pages: the real-world entities behind client records, and the screening hit queue."""

from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_POST

from apps.clients import forms, permissions, selectors, services
from apps.core.access import role_required
from apps.core.errors import DomainError
from apps.core.listing import list_context
from apps.core.roles import Role

READERS = (Role.REVIEWER, Role.APPROVER, Role.AUDITOR, Role.ADMINISTRATOR)
DECIDERS = (Role.REVIEWER, Role.APPROVER)
DECIDED = {
    "confirm": gettext_lazy("Hit on %(client)s confirmed."),
    "dismiss": gettext_lazy("Hit on %(client)s dismissed."),
}


@role_required(*READERS)
def entity_list(request):
    filters = forms.EntityFilterForm(request.GET or None)
    values = filters.cleaned_data if filters.is_valid() else {}
    qs = selectors.entity_list_for(
        request.user, search=values.get("q", "").strip(), country=values.get("country", "")
    )
    context = list_context(
        request,
        qs,
        default_sort="name",
        sort_fields={
            "name": "name",
            "country": "country",
            "records": "record_count",
            "producers": "producer_count",
            "hits": "open_hits",
        },
    )
    context["filters"] = filters
    return render(request, "clients/entity_list.html", context)


@role_required(*READERS)
def entity_detail(request, pk: int):
    entity = selectors.entity_get_for(request.user, pk)
    if entity.merged_into_id:
        messages.info(request, _("This entity was merged; showing the entity it became part of."))
        return redirect("clients:entity_detail", pk=entity.merged_into_id)
    records = selectors.entity_records(entity)
    return render(
        request,
        "clients/entity_detail.html",
        {
            "entity": entity,
            "records": records,
            "producers": sorted({r.organisation.legal_name for r in records}),
            "hits": selectors.hits_for_entity(request.user, entity)[:50],
            "history": selectors.entity_link_history(entity)[:50],
            "can_relink": permissions.can_relink_entities(request.user),
            "merge_form": forms.EntityMergeForm(),
        },
    )


@role_required(*DECIDERS)
@require_POST
def entity_merge(request, pk: int):
    source = selectors.entity_get_for(request.user, pk)
    form = forms.EntityMergeForm(request.POST)
    if not form.is_valid():
        messages.error(request, _("Give the target entity number and a reason."))
        return redirect("clients:entity_detail", pk=pk)
    target = selectors.entity_list_for(request.user).filter(pk=form.cleaned_data["target"]).first()
    if target is None:
        messages.error(request, _("There is no entity with that number."))
        return redirect("clients:entity_detail", pk=pk)
    try:
        services.entity_merge(
            actor=request.user, source=source, target=target, reason=form.cleaned_data["reason"]
        )
    except DomainError as exc:
        messages.error(request, exc.message)
        return redirect("clients:entity_detail", pk=pk)
    messages.success(request, _("Merged into %(name)s.") % {"name": target.name})
    return redirect("clients:entity_detail", pk=target.pk)


@role_required(*DECIDERS)
@require_POST
def entity_split(request, pk: int):
    entity = selectors.entity_get_for(request.user, pk)
    form = forms.EntitySplitForm(request.POST)
    if not form.is_valid():
        messages.error(request, _("Give the reason for the split."))
        return redirect("clients:entity_detail", pk=pk)
    record = selectors.entity_records(entity).filter(pk=form.cleaned_data["client"]).first()
    if record is None:
        messages.error(request, _("That client record is not linked to this entity."))
        return redirect("clients:entity_detail", pk=pk)
    try:
        new_entity = services.entity_split(
            actor=request.user, entity=entity, client=record, reason=form.cleaned_data["reason"]
        )
    except DomainError as exc:
        messages.error(request, exc.message)
        return redirect("clients:entity_detail", pk=pk)
    messages.success(
        request,
        _("%(name)s now has an entity of its own (no. %(n)s).")
        % {"name": record.legal_name, "n": new_entity.pk},
    )
    return redirect("clients:entity_detail", pk=pk)


@role_required(*READERS)
def hit_list(request):
    params = request.GET.copy()
    if "status" not in params:
        params["status"] = "open"
    filters = forms.HitFilterForm(params)
    values = filters.cleaned_data if filters.is_valid() else {}
    qs = selectors.hit_list_for(
        request.user,
        status=values.get("status", ""),
        kind=values.get("kind", ""),
        search=values.get("q", "").strip(),
    )
    context = list_context(
        request,
        qs,
        default_sort="-score",
        sort_fields={
            "score": "score",
            "client": "client__legal_name",
            "entry": "list_entry__name",
            "created": "created_at",
            "status": "status",
        },
    )
    context.update({"filters": filters, "can_decide": permissions.can_decide_hits(request.user)})
    return render(request, "clients/hit_list.html", context)


@role_required(*DECIDERS)
@require_POST
def hit_decide(request, pk: int):
    hit = selectors.hit_get_for(request.user, pk)
    if not permissions.can_decide_hits(request.user):
        raise PermissionDenied
    form = forms.HitDecisionForm(request.POST)
    back = request.POST.get("next") or ""
    if not back.startswith("/") or back.startswith("//"):
        back = "clients:hit_list"
    if not form.is_valid():
        messages.error(
            request,
            _("Give a reason for your decision on %(name)s.") % {"name": hit.client.legal_name},
        )
        return redirect(back)
    try:
        services.hit_decide(
            actor=request.user,
            hit=hit,
            action=form.cleaned_data["action"],
            reason=form.cleaned_data["reason"],
        )
    except DomainError as exc:
        messages.error(request, exc.message)
    else:
        messages.success(
            request,
            DECIDED[form.cleaned_data["action"]] % {"client": hit.client.legal_name},
        )
    return redirect(back)
