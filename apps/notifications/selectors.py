"""Every read of notifications data, scoped to the user who asks."""

from django.db.models import Prefetch, Q, QuerySet
from django.http import Http404

from apps.notifications import chasing, permissions
from apps.notifications.models import EmailDelivery, Notification, OutboxMessage, Reminder


def notification_list_for(user, *, unread_only: bool = False, kind: str = "") -> QuerySet:
    """A user's own inbox; nobody reads another user's notifications."""
    qs = Notification.objects.filter(recipient=user)
    if unread_only:
        qs = qs.filter(read_at__isnull=True)
    if kind:
        qs = qs.filter(kind=kind)
    return qs


def notification_get_for(user, pk: int) -> Notification:
    try:
        return notification_list_for(user).get(pk=pk)
    except Notification.DoesNotExist:
        raise Http404 from None


def unread_count_for(user) -> int:
    return Notification.objects.filter(recipient=user, read_at__isnull=True).count()


def notification_kinds_for(user) -> list[str]:
    return list(
        Notification.objects.filter(recipient=user)
        .order_by("kind")
        .values_list("kind", flat=True)
        .distinct()
    )


def _board_only(user) -> None:
    if not permissions.can_view_board(user):
        raise Http404


def reminder_list_for(user, *, kind: str = "", search: str = "") -> QuerySet:
    """Reminders sent: what, to whom (notifications) and the e-mail status of each."""
    _board_only(user)
    qs = Reminder.objects.all()
    if kind:
        qs = qs.filter(kind=kind)
    if search:
        qs = qs.filter(Q(object_repr__icontains=search) | Q(title__icontains=search))
    return qs.prefetch_related(
        Prefetch(
            "notifications",
            queryset=Notification.objects.select_related("recipient", "email_delivery").order_by(
                "recipient__email"
            ),
        )
    )


def reminder_kinds_for(user) -> list[str]:
    _board_only(user)
    names = set(chasing.registered())
    names |= set(Reminder.objects.order_by().values_list("kind", flat=True).distinct())
    return sorted(names)


def due_list_for(user, *, kind: str = "", limit: int = 50) -> list[tuple[str, chasing.Due]]:
    """What each chase would send on its next sweep (read-only preview, at most `limit` each)."""
    _board_only(user)
    rows = []
    for name in sorted(chasing.registered()):
        if kind and name != kind:
            continue
        rows.extend((name, due) for due in chasing.preview_due(name, limit=limit))
    return rows


def email_failure_list_for(user, *, search: str = "") -> QuerySet:
    """E-mails that gave up, and pending ones whose last attempt failed."""
    _board_only(user)
    qs = EmailDelivery.objects.filter(
        Q(status=EmailDelivery.Status.FAILED)
        | (Q(status=EmailDelivery.Status.PENDING) & ~Q(last_error=""))
    ).select_related("recipient", "notification")
    if search:
        qs = qs.filter(recipient__email__icontains=search)
    return qs


def outbox_failure_list_for(user, *, search: str = "") -> QuerySet:
    """Messages the relay could not publish yet (with their last error) or gave up on."""
    _board_only(user)
    qs = OutboxMessage.objects.filter(
        Q(status=OutboxMessage.Status.FAILED)
        | (Q(status=OutboxMessage.Status.PENDING) & Q(attempts__gt=0))
    )
    if search:
        qs = qs.filter(task_name__icontains=search)
    return qs


def board_counts_for(user) -> dict:
    _board_only(user)
    return {
        "reminders": Reminder.objects.count(),
        "email_failures": email_failure_list_for(user).count(),
        "outbox_failures": outbox_failure_list_for(user).count(),
        "outbox_pending": OutboxMessage.objects.filter(status=OutboxMessage.Status.PENDING).count(),
    }
