from django.db.models import Q
from django.shortcuts import render

from apps.audit import selectors
from apps.core.access import role_required
from apps.core.listing import list_context
from apps.core.roles import Role


@role_required(Role.AUDITOR, Role.ADMINISTRATOR)
def event_list(request):
    qs = selectors.event_list_for(request.user).select_related("actor")
    search = request.GET.get("q", "").strip()
    action = request.GET.get("action", "").strip()
    if search:
        qs = qs.filter(Q(actor_label__icontains=search) | Q(object_repr__icontains=search))
    if action:
        qs = qs.filter(action__startswith=action)
    context = list_context(
        request,
        qs,
        default_sort="-time",
        per_page=50,
        sort_fields={"time": "id", "action": "action", "actor": "actor_label"},
    )
    context.update(
        {"search": search, "action": action, "actions": selectors.action_names_for(request.user)}
    )
    return render(request, "audit/event_list.html", context)
