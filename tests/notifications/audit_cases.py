"""Audit cases for apps/notifications/services.py (see tests/audit/coverage.py).

Delivery bookkeeping (inbox rows, read marks, e-mail delivery status) is not a record of the
authority: the business change that caused a notification carries the audit event.
"""

from apps.notifications import services
from apps.notifications.models import EmailDelivery, Notification
from tests.audit.coverage import AuditCase, Expect


def _preference(fx, _):
    pref = services.preference_set(actor=fx("reviewer"), email_mode="digest")
    return Expect(
        "notifications.preference_set", pref, actor=fx("reviewer"), changes=("email_mode",)
    )


def _failed_delivery(fx):
    note = Notification.objects.create(recipient=fx("reviewer"), kind="test", title="Hello")
    return EmailDelivery.objects.create(
        recipient=fx("reviewer"), notification=note, status=EmailDelivery.Status.FAILED
    )


def _requeue(fx, _delivery):
    services.failures_requeue(actor=fx("administrator"))
    return Expect(
        "notifications.requeue_failures",
        None,
        actor=fx("administrator"),
        changes=("email_deliveries",),
    )


CASES = {
    "preference_set": AuditCase(call=_preference),
    "failures_requeue": AuditCase(setup=_failed_delivery, call=_requeue),
}
BOOKKEEPING = "delivery bookkeeping; the business change that caused it is the audited event"
NOT_WRITES = {
    "notify": "writes inbox rows inside the calling service's transaction, which is audited",
    "notify_many": "the batch form of notify; the calling service's event covers it",
    "notification_mark_read": "a read mark on the user's own inbox; " + BOOKKEEPING,
    "notification_mark_all_read": "read marks on the user's own inbox; " + BOOKKEEPING,
    "email_deliver": "sends a queued e-mail and records its status; " + BOOKKEEPING,
    "email_give_up": "marks a queued e-mail failed after its retries; " + BOOKKEEPING,
    "digest_prepare": "queues the daily digest e-mail; " + BOOKKEEPING,
    "digest_recipients": "a read: who gets a digest today",
    "preference_for": "a read: the user's preference or the default",
    "object_ref": "pure: the (type, id) pair of an object",
}
