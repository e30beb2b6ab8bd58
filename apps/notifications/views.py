"""Thin views: the inbox and preferences (every user) and the chasing board (supervisors)."""

from django.contrib import messages
from django.shortcuts import redirect, render
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from apps.core.access import login_required_any, role_required
from apps.core.errors import DomainError
from apps.core.forms import add_domain_error
from apps.core.listing import list_context, paginate
from apps.core.roles import Role
from apps.notifications import permissions, selectors, services
from apps.notifications.forms import PreferenceForm
from apps.notifications.permissions import BOARD_ROLES


@login_required_any
def inbox(request):
    show = request.GET.get("show", "all")
    if show not in {"all", "unread"}:
        show = "all"
    kind = request.GET.get("kind", "").strip()
    qs = selectors.notification_list_for(request.user, unread_only=show == "unread", kind=kind)
    context = list_context(
        request,
        qs,
        default_sort="-created",
        sort_fields={"created": "created_at", "kind": "kind", "title": "title"},
    )
    context.update(
        {
            "show": show,
            "kind": kind,
            "kinds": selectors.notification_kinds_for(request.user),
            "unread_total": selectors.unread_count_for(request.user),
        }
    )
    return render(request, "notifications/inbox.html", context)


def _safe_next(request, fallback: str) -> str:
    target = request.POST.get("next", "")
    if target and url_has_allowed_host_and_scheme(
        target, allowed_hosts={request.get_host()}, require_https=request.is_secure()
    ):
        return target
    return fallback


@require_POST
@login_required_any
def mark_read(request, pk: int):
    notification = selectors.notification_get_for(request.user, pk)
    services.notification_mark_read(actor=request.user, notification=notification)
    return redirect(_safe_next(request, "notifications:inbox"))


@require_POST
@login_required_any
def mark_all_read(request):
    count = services.notification_mark_all_read(
        actor=request.user, kind=request.POST.get("kind", "").strip()
    )
    messages.success(request, _("%(count)d notifications marked as read.") % {"count": count})
    return redirect(_safe_next(request, "notifications:inbox"))


@login_required_any
def preferences(request):
    current = services.preference_for(request.user)
    form = PreferenceForm(request.POST or None, initial={"email_mode": current.email_mode})
    if request.method == "POST" and form.is_valid():
        try:
            services.preference_set(actor=request.user, email_mode=form.cleaned_data["email_mode"])
        except DomainError as exc:
            add_domain_error(form, exc)
        else:
            messages.success(request, _("Your notification settings were saved."))
            return redirect("notifications:preferences")
    return render(request, "notifications/preferences.html", {"form": form})


BOARD_VIEWS = ("due", "sent", "emails", "outbox")


@role_required(*BOARD_ROLES)
def board(request):
    view = request.GET.get("view", "due")
    if view not in BOARD_VIEWS:
        view = "due"
    kind = request.GET.get("kind", "").strip()
    search = request.GET.get("q", "").strip()
    user = request.user
    if view == "due":
        context = {"page_obj": paginate(request, selectors.due_list_for(user, kind=kind))}
        context["object_list"] = context["page_obj"].object_list
    elif view == "sent":
        context = list_context(
            request,
            selectors.reminder_list_for(user, kind=kind, search=search),
            default_sort="-sent",
            sort_fields={"sent": "created_at", "kind": "kind", "object": "object_repr"},
        )
    elif view == "emails":
        context = list_context(
            request,
            selectors.email_failure_list_for(user, search=search),
            default_sort="-created",
            sort_fields={"created": "created_at", "attempts": "attempts", "status": "status"},
        )
    else:
        context = list_context(
            request,
            selectors.outbox_failure_list_for(user, search=search),
            default_sort="-created",
            sort_fields={"created": "created_at", "attempts": "attempts", "task": "task_name"},
        )
    context.update(
        {
            "view": view,
            "kind": kind,
            "search": search,
            "kinds": selectors.reminder_kinds_for(user),
            "counts": selectors.board_counts_for(user),
            "can_requeue": permissions.can_requeue_failures(user),
        }
    )
    return render(request, "notifications/board.html", context)


@require_POST
@role_required(Role.ADMINISTRATOR)
def board_requeue(request):
    """Administrators send failed e-mails and given-up outbox messages again."""
    emails, queued = services.failures_requeue(actor=request.user)
    messages.success(
        request,
        _("%(emails)d e-mails and %(messages)d messages queued again.")
        % {"emails": emails, "messages": queued},
    )
    return redirect(_safe_next(request, "notifications:board"))
