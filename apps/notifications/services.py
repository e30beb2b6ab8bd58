"""Every write on notifications, e-mail deliveries and preferences.

`notify` is what other apps call inside their own transactions: it writes inbox rows and, for
e-mail, delivery rows plus outbox rows. Nothing is sent inside the request; a worker sends each
e-mail once the transaction has committed.
"""

import logging
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from datetime import date

from django.conf import settings
from django.contrib.auth import get_user_model
from django.core.mail import send_mail
from django.db import models, transaction
from django.template.loader import render_to_string
from django.utils import timezone, translation
from django.utils.translation import gettext as _

from apps.audit.services import audit_record
from apps.core.errors import DomainError, PermissionDeniedError
from apps.notifications import permissions
from apps.notifications.models import EmailDelivery, Notification, NotificationPreference
from apps.notifications.outbox import outbox_enqueue_many, outbox_requeue_failed
from apps.notifications.sql import insert_ignore_returning

logger = logging.getLogger(__name__)

SEND_EMAIL_TASK = "notifications.send_email"


@dataclass(frozen=True)
class Message:
    """One notification for several recipients, rendered in each recipient's language.

    `title` and `body` may be lazy translations (gettext_lazy) with %(name)s placeholders filled
    from `params`, so each recipient reads them in `user.language`.
    """

    kind: str
    title: str
    body: str = ""
    link: str = ""
    params: Mapping = field(default_factory=dict)
    object_type: str = ""
    object_id: str = ""
    dedupe_key: str | None = None
    reminder_id: int | None = None


def object_ref(obj: models.Model | None) -> tuple[str, str]:
    """("app_label.model", "pk") of a model instance: how notifications point at any object."""
    if obj is None:
        return "", ""
    return obj._meta.label_lower, str(obj.pk)


def notify(
    *,
    recipients: Iterable,
    kind: str,
    title: str,
    body: str = "",
    link: str = "",
    obj: models.Model | None = None,
    params: Mapping | None = None,
    dedupe_key: str | None = None,
) -> list[Notification]:
    """Notify `recipients` (users) in-app and by e-mail, inside the caller's transaction.

    With `dedupe_key`, a recipient gets the notification at most once for that key (a repeated
    call is a no-op). Returns the notifications created.
    """
    object_type, object_id = object_ref(obj)
    message = Message(
        kind=kind,
        title=title,
        body=body,
        link=link,
        params=params or {},
        object_type=object_type,
        object_id=object_id,
        dedupe_key=dedupe_key,
    )
    return notify_many([(message, list(recipients))])


@transaction.atomic
def notify_many(
    items: Sequence[tuple[Message, Sequence]], *, fetch: bool = True
) -> list[Notification] | int:
    """Batch form of `notify`: a fixed number of queries whatever the number of messages.

    Returns the new notifications, or only their number with `fetch=False` (sweeps).
    """
    users = _active_users(items)
    if not users:
        return [] if fetch else 0
    modes = dict(
        NotificationPreference.objects.filter(user_id__in=users).values_list(
            "user_id", "email_mode"
        )
    )
    now = timezone.now()
    rows = []
    for message, recipients in items:
        for recipient in recipients:
            user = users.get(getattr(recipient, "pk", recipient))
            if user is None:
                continue
            digest = modes.get(user.pk) == NotificationPreference.EmailMode.DIGEST
            title, body = _render_text(message, user.language)
            rows.append(
                {
                    "recipient": user.pk,
                    "kind": message.kind,
                    "title": title[:300],
                    "body": body,
                    "link": message.link,
                    "object_type": message.object_type,
                    "object_id": message.object_id,
                    "reminder": message.reminder_id,
                    "dedupe_key": message.dedupe_key or "",
                    "created_at": now,
                    "awaiting_digest": digest,
                }
            )
    if not rows:
        return [] if fetch else 0
    created = insert_ignore_returning(Notification, rows, ["id", "recipient", "awaiting_digest"])
    immediate = [(pk, recipient) for pk, recipient, digest in created if not digest]
    deliveries = EmailDelivery.objects.bulk_create(
        [
            EmailDelivery(recipient_id=recipient, notification_id=pk, created_at=now)
            for pk, recipient in immediate
        ]
    )
    outbox_enqueue_many((SEND_EMAIL_TASK, {"delivery_id": d.pk}) for d in deliveries)
    if not fetch:
        return len(created)
    return list(Notification.objects.filter(pk__in=[row[0] for row in created]))


def _active_users(items) -> dict:
    ids = {getattr(r, "pk", r) for _message, recipients in items for r in recipients}
    if not ids:
        return {}
    return {
        u.pk: u
        for u in get_user_model()
        .objects.filter(pk__in=ids, is_active=True)
        .only("pk", "email", "language")
    }


def _render_text(message: Message, language: str) -> tuple[str, str]:
    with translation.override(language):
        title = str(message.title)
        body = str(message.body)
        if message.params:
            title = title % message.params
            body = body % message.params if body else body
    return title, body


@transaction.atomic
def notification_mark_read(*, actor, notification: Notification) -> Notification:
    """Mark one of the actor's notifications read; marking it again changes nothing."""
    if notification.recipient_id != actor.pk:
        raise DomainError(_("This notification is not yours."))
    Notification.objects.filter(pk=notification.pk, read_at__isnull=True).update(
        read_at=timezone.now()
    )
    notification.refresh_from_db(fields=["read_at"])
    return notification


@transaction.atomic
def notification_mark_all_read(*, actor, kind: str = "") -> int:
    qs = Notification.objects.filter(recipient=actor, read_at__isnull=True)
    if kind:
        qs = qs.filter(kind=kind)
    return qs.update(read_at=timezone.now())


@transaction.atomic
def preference_set(*, actor, email_mode: str) -> NotificationPreference:
    """Choose immediate e-mails or a daily digest. Pending e-mails follow the new choice."""
    if email_mode not in NotificationPreference.EmailMode.values:
        raise DomainError(
            _("Choose how you want to receive e-mail."),
            field_errors={"email_mode": [_("Select a valid choice.")]},
        )
    pref, _created = NotificationPreference.objects.select_for_update().get_or_create(user=actor)
    before = pref.email_mode
    if before != email_mode or _created:
        pref.email_mode = email_mode
        pref.save(update_fields=["email_mode", "updated_at"])
        audit_record(
            actor=actor,
            action="notifications.preference_set",
            obj=pref,
            changes={"email_mode": [before, email_mode]},
        )
    return pref


def preference_for(user) -> NotificationPreference:
    """The user's preference, or the unsaved default (immediate) when they never chose."""
    return NotificationPreference.objects.filter(user=user).first() or NotificationPreference(
        user=user
    )


@transaction.atomic
def digest_prepare(*, user_id: int, day: date) -> EmailDelivery | None:
    """Gather a user's waiting notifications into the day's digest and queue its e-mail.

    Runs at most one digest per user and day (unique constraint); running it twice is a no-op, and
    notifications arriving after the day's digest left wait for tomorrow's.
    """
    delivery, created = EmailDelivery.objects.get_or_create(recipient_id=user_id, digest_date=day)
    if not created and delivery.status != EmailDelivery.Status.PENDING:
        return None
    attached = Notification.objects.filter(
        recipient_id=user_id, awaiting_digest=True, digest__isnull=True
    ).update(awaiting_digest=False, digest=delivery)
    if not attached and created:
        delivery.delete()
        return None
    if created:
        outbox_enqueue_many([(SEND_EMAIL_TASK, {"delivery_id": delivery.pk})])
    return delivery


def digest_recipients(*, after_id: int = 0, limit: int = 500) -> list[int]:
    """Users who have notifications waiting for a digest, in id order (for batching)."""
    return list(
        Notification.objects.filter(awaiting_digest=True, recipient_id__gt=after_id)
        .order_by("recipient_id")
        .values_list("recipient_id", flat=True)
        .distinct()[:limit]
    )


class DeliveryFailed(Exception):
    """Sending failed; the task retries with back-off (the row stays pending)."""


def email_deliver(*, delivery_id: int) -> str:
    """Send one delivery's e-mail exactly once: 'sent', 'skipped' (done or in progress) or raise.

    The row stays locked while the mail goes out and is marked sent in the same transaction: a
    worker killed mid-send leaves it pending for the redelivered task, and a twin of the task
    finds it locked or sent and does nothing.
    """
    with transaction.atomic():
        delivery = (
            EmailDelivery.objects.select_for_update(skip_locked=True, of=("self",))
            .select_related("recipient", "notification")
            .filter(pk=delivery_id, status=EmailDelivery.Status.PENDING)
            .first()
        )
        if delivery is None:
            return "skipped"
        subject, body = _render_email(delivery)
        try:
            send_mail(subject, body, settings.DEFAULT_FROM_EMAIL, [delivery.recipient.email])
        except Exception as exc:
            failure = exc
        else:
            delivery.status = EmailDelivery.Status.SENT
            delivery.subject = subject[:300]
            delivery.sent_at = timezone.now()
            delivery.attempts += 1
            delivery.save(update_fields=["status", "subject", "sent_at", "attempts"])
            return "sent"
    EmailDelivery.objects.filter(pk=delivery_id, status=EmailDelivery.Status.PENDING).update(
        attempts=models.F("attempts") + 1, last_error=f"{failure.__class__.__name__}: {failure}"
    )
    raise DeliveryFailed(str(failure)) from failure


def email_give_up(*, delivery_id: int) -> None:
    """The retries are exhausted: the board shows the delivery as failed."""
    EmailDelivery.objects.filter(pk=delivery_id, status=EmailDelivery.Status.PENDING).update(
        status=EmailDelivery.Status.FAILED
    )


@transaction.atomic
def failures_requeue(*, actor) -> tuple[int, int]:
    """Try failed e-mails and given-up outbox messages again (after the fault was fixed)."""
    if not permissions.can_requeue_failures(actor):
        raise PermissionDeniedError(_("Only administrators retry failed deliveries."))
    ids = list(
        EmailDelivery.objects.select_for_update()
        .filter(status=EmailDelivery.Status.FAILED)
        .values_list("pk", flat=True)
    )
    EmailDelivery.objects.filter(pk__in=ids).update(status=EmailDelivery.Status.PENDING)
    outbox_enqueue_many((SEND_EMAIL_TASK, {"delivery_id": pk}) for pk in ids)
    queued = outbox_requeue_failed()
    if ids or queued:
        audit_record(
            actor=actor,
            action="notifications.requeue_failures",
            changes={"email_deliveries": ids, "outbox_messages": queued},
        )
    return len(ids), queued


def _render_email(delivery: EmailDelivery) -> tuple[str, str]:
    user = delivery.recipient
    with translation.override(user.language):
        if delivery.digest_date:
            items = list(delivery.digest_items.order_by("created_at", "id"))
            context = {"user": user, "items": items, "day": delivery.digest_date}
            template = "notifications/email/digest"
        else:
            context = {"user": user, "notification": delivery.notification}
            template = "notifications/email/notification"
        context["site_url"] = settings.SITE_URL
        subject = render_to_string(f"{template}_subject.txt", context).strip()
        body = render_to_string(f"{template}_body.txt", context)
    return " ".join(subject.split()), body
