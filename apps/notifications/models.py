"""Outbox, notifications, e-mail deliveries, preferences and reminder claims.

Every row here is written by a service inside the transaction of the business change that causes
it, so a rolled-back change leaves no trace and a committed one is never lost.
"""

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _


class OutboxMessage(models.Model):
    """A Celery task to publish once the transaction that wrote this row has committed."""

    class Status(models.TextChoices):
        PENDING = "pending", _("Pending")
        SENT = "sent", _("Published")
        FAILED = "failed", _("Gave up")

    task_name = models.CharField(max_length=200)
    kwargs = models.JSONField(default=dict)
    queue = models.CharField(max_length=100, blank=True)
    status = models.CharField(max_length=10, choices=Status.choices, default=Status.PENDING)
    attempts = models.PositiveIntegerField(default=0)
    available_at = models.DateTimeField(default=timezone.now)
    created_at = models.DateTimeField(default=timezone.now)
    sent_at = models.DateTimeField(null=True, blank=True)
    last_error = models.TextField(blank=True)

    class Meta:
        indexes = [
            # The relay only ever reads pending rows: keep that index small.
            models.Index(
                fields=["available_at", "id"],
                condition=Q(status="pending"),
                name="outbox_pending_idx",
            ),
            models.Index(
                fields=["-created_at"], condition=Q(status="failed"), name="outbox_failed_idx"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.task_name}#{self.pk} ({self.status})"


class Reminder(models.Model):
    """The claim of one reminder: (object, kind, threshold) is chased at most once, ever.

    The row is inserted (ON CONFLICT DO NOTHING) in the same transaction as the notifications it
    causes, so two sweeps, two beats or a redelivered task can never send a second reminder.
    """

    object_type = models.CharField(max_length=100)
    object_id = models.CharField(max_length=64)
    kind = models.CharField(max_length=100)
    threshold = models.CharField(max_length=50)
    object_repr = models.CharField(max_length=300, blank=True)
    title = models.CharField(max_length=300)
    link = models.CharField(max_length=500, blank=True)
    recipient_count = models.PositiveIntegerField(default=0)
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["object_type", "object_id", "kind", "threshold"],
                name="reminder_claim_unique",
            )
        ]
        indexes = [models.Index(fields=["-created_at"], name="reminder_created_idx")]

    def __str__(self) -> str:
        return f"{self.kind} {self.threshold} {self.object_type}#{self.object_id}"


class Notification(models.Model):
    """One message in one user's inbox, already in the recipient's language."""

    recipient = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="notifications"
    )
    kind = models.CharField(_("kind"), max_length=100)
    title = models.CharField(_("title"), max_length=300)
    body = models.TextField(_("message"), blank=True)
    link = models.CharField(max_length=500, blank=True)
    object_type = models.CharField(max_length=100, blank=True)
    object_id = models.CharField(max_length=64, blank=True)
    reminder = models.ForeignKey(
        "notifications.Reminder",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="notifications",
    )
    # Non-empty: the recipient gets at most one notification with this key.
    dedupe_key = models.CharField(max_length=200, blank=True, default="")
    created_at = models.DateTimeField(default=timezone.now)
    read_at = models.DateTimeField(null=True, blank=True)
    # Set while the notification waits for its recipient's daily digest.
    awaiting_digest = models.BooleanField(default=False)
    digest = models.ForeignKey(
        "notifications.EmailDelivery",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="digest_items",
    )

    class Meta:
        ordering = ["-created_at", "-id"]
        constraints = [
            models.UniqueConstraint(
                fields=["recipient", "dedupe_key"],
                condition=~Q(dedupe_key=""),
                name="notification_dedupe_unique",
            )
        ]
        indexes = [
            models.Index(fields=["recipient", "-created_at"], name="notification_inbox_idx"),
            models.Index(
                fields=["recipient"],
                condition=Q(read_at__isnull=True),
                name="notification_unread_idx",
            ),
            models.Index(
                fields=["recipient"],
                condition=Q(awaiting_digest=True),
                name="notification_digest_idx",
            ),
        ]

    def __str__(self) -> str:
        return self.title

    @property
    def is_read(self) -> bool:
        return self.read_at is not None


class EmailDelivery(models.Model):
    """One e-mail (a single notification or a daily digest); its status makes sending idempotent."""

    class Status(models.TextChoices):
        PENDING = "pending", _("Waiting")
        SENT = "sent", _("Sent")
        FAILED = "failed", _("Failed")

    recipient = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="email_deliveries"
    )
    notification = models.OneToOneField(
        "notifications.Notification",
        null=True,
        blank=True,
        on_delete=models.CASCADE,
        related_name="email_delivery",
    )
    digest_date = models.DateField(null=True, blank=True)
    status = models.CharField(max_length=10, choices=Status.choices, default=Status.PENDING)
    attempts = models.PositiveIntegerField(default=0)
    subject = models.CharField(max_length=300, blank=True)
    last_error = models.TextField(blank=True)
    created_at = models.DateTimeField(default=timezone.now)
    sent_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["recipient", "digest_date"],
                condition=Q(digest_date__isnull=False),
                name="email_digest_once_a_day",
            ),
            models.CheckConstraint(
                condition=Q(notification__isnull=True) | Q(digest_date__isnull=True),
                name="email_single_or_digest",
            ),
        ]
        indexes = [
            models.Index(
                fields=["-created_at"], condition=Q(status="failed"), name="email_failed_idx"
            ),
        ]

    def __str__(self) -> str:
        return f"e-mail #{self.pk} to {self.recipient_id} ({self.status})"


class NotificationPreference(models.Model):
    """How a user wants e-mail: one per notification, or one daily digest."""

    class EmailMode(models.TextChoices):
        IMMEDIATE = "immediate", _("An e-mail for each notification")
        DIGEST = "digest", _("One daily digest e-mail")

    user = models.OneToOneField(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="notification_preference"
    )
    email_mode = models.CharField(
        _("e-mail"), max_length=10, choices=EmailMode.choices, default=EmailMode.IMMEDIATE
    )
    updated_at = models.DateTimeField(auto_now=True)

    def __str__(self) -> str:
        return f"{self.user_id}: {self.email_mode}"
