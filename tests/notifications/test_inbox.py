"""The inbox, mark read, preferences, digests and e-mail delivery in the recipient's language."""

import pytest
from django.core import mail
from django.db import transaction
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.translation import gettext, gettext_lazy

from apps.notifications import services, tasks
from apps.notifications.models import EmailDelivery, Notification, OutboxMessage
from apps.notifications.services import notify

pytestmark = pytest.mark.django_db


def _notify(user, n: int = 1, kind: str = "test.kind", **kw):
    with transaction.atomic():
        for i in range(n):
            notify(recipients=[user], kind=kind, title=f"Message {i}", link="/", **kw)


def test_the_bell_shows_the_unread_count(client_for, reviewer):
    _notify(reviewer, 3)

    html = client_for(reviewer).get(reverse("core:home")).content.decode()

    assert 'data-testid="unread-count">3<' in html


def test_the_inbox_filters_unread_and_kind_and_pages(client_for, reviewer):
    _notify(reviewer, 30, kind="test.a")
    _notify(reviewer, 2, kind="test.b")
    Notification.objects.filter(kind="test.b").update(read_at=timezone.now())
    client = client_for(reviewer)

    first_page = client.get(reverse("notifications:inbox"))
    unread_b = client.get(reverse("notifications:inbox"), {"show": "unread", "kind": "test.b"})
    only_b = client.get(reverse("notifications:inbox"), {"kind": "test.b"})

    assert len(first_page.context["object_list"]) == 25
    assert first_page.context["page_obj"].paginator.count == 32
    assert unread_b.context["page_obj"].paginator.count == 0
    assert only_b.context["page_obj"].paginator.count == 2
    assert first_page.context["kinds"] == ["test.a", "test.b"]


def test_a_user_never_sees_another_users_notifications(client_for, reviewer, approver):
    _notify(approver, 1)
    notification = Notification.objects.get()
    client = client_for(reviewer)

    assert client.get(reverse("notifications:inbox")).context["page_obj"].paginator.count == 0
    response = client.post(reverse("notifications:mark_read", args=[notification.pk]))
    assert response.status_code == 404
    assert Notification.objects.get().read_at is None


def test_mark_read_then_open_the_link_and_mark_all_read(client_for, reviewer):
    _notify(reviewer, 3)
    first = Notification.objects.order_by("pk").first()
    client = client_for(reviewer)

    opened = client.post(
        reverse("notifications:mark_read", args=[first.pk]), {"next": "/accounts/tokens/"}
    )
    evil = client.post(
        reverse("notifications:mark_read", args=[first.pk]), {"next": "https://evil.test/"}
    )
    assert opened["Location"] == "/accounts/tokens/"
    assert evil["Location"] == reverse("notifications:inbox")
    assert Notification.objects.filter(read_at__isnull=True).count() == 2

    client.post(reverse("notifications:mark_all_read"))
    assert not Notification.objects.filter(read_at__isnull=True).exists()


def test_mark_read_is_post_only(client_for, reviewer):
    _notify(reviewer, 1)
    pk = Notification.objects.get().pk
    assert (
        client_for(reviewer).get(reverse("notifications:mark_read", args=[pk])).status_code == 405
    )
    assert Notification.objects.get().read_at is None


def test_preferences_choose_the_daily_digest(client_for, reviewer):
    client = client_for(reviewer)

    bad = client.post(reverse("notifications:preferences"), {"email_mode": "hourly"})
    good = client.post(reverse("notifications:preferences"), {"email_mode": "digest"})

    assert bad.status_code == 200
    assert "email_mode" in bad.context["form"].errors
    assert good.status_code == 302
    assert services.preference_for(reviewer).email_mode == "digest"


def test_immediate_mode_queues_one_email_per_notification(reviewer):
    _notify(reviewer, 2)

    assert EmailDelivery.objects.filter(recipient=reviewer, notification__isnull=False).count() == 2
    assert OutboxMessage.objects.filter(task_name="notifications.send_email").count() == 2


def test_the_daily_digest_gathers_waiting_notifications_once(reviewer, approver):
    services.preference_set(actor=reviewer, email_mode="digest")
    _notify(reviewer, 3)
    _notify(approver, 1)  # immediate: not part of any digest

    assert not EmailDelivery.objects.filter(recipient=reviewer).exists()
    assert tasks.send_digests() == 1
    assert tasks.send_digests() == 0  # the same day again: nothing new

    digest = EmailDelivery.objects.get(recipient=reviewer)
    assert digest.digest_date == timezone.localdate()
    assert digest.digest_items.count() == 3
    assert services.email_deliver(delivery_id=digest.pk) == "sent"
    assert "Daily digest: 3 notifications" in mail.outbox[-1].subject
    assert "Message 2" in mail.outbox[-1].body


def test_an_email_is_sent_once_in_the_recipients_language(reviewer):
    reviewer.language = "zh-hans"
    reviewer.save(update_fields=["language"])
    with transaction.atomic():
        notify(
            recipients=[reviewer],
            kind="test.lang",
            title=gettext_lazy("This field is required."),  # translated in our zh_Hans catalogue
        )
    delivery = EmailDelivery.objects.get()

    assert services.email_deliver(delivery_id=delivery.pk) == "sent"
    assert services.email_deliver(delivery_id=delivery.pk) == "skipped"
    assert len(mail.outbox) == 1
    with translation.override("zh-hans"):
        expected = gettext("This field is required.")
    assert expected != "This field is required."
    assert expected in mail.outbox[0].subject
    assert Notification.objects.get().title == expected


def test_a_failing_mail_server_leaves_the_delivery_pending_then_failed(reviewer, settings):
    settings.EMAIL_BACKEND = "tests.notifications.test_inbox.BrokenBackend"
    _notify(reviewer, 1)
    delivery = EmailDelivery.objects.get()

    with pytest.raises(services.DeliveryFailed):
        services.email_deliver(delivery_id=delivery.pk)
    delivery.refresh_from_db()
    assert (delivery.status, delivery.attempts) == ("pending", 1)
    assert "SMTP down" in delivery.last_error

    services.email_give_up(delivery_id=delivery.pk)
    assert EmailDelivery.objects.get().status == "failed"


def test_notify_with_a_dedupe_key_notifies_each_recipient_once(reviewer, approver):
    with transaction.atomic():
        first = notify(recipients=[reviewer, approver], kind="k", title="t", dedupe_key="x:1")
        again = notify(recipients=[reviewer, approver], kind="k", title="t", dedupe_key="x:1")

    assert (len(first), len(again)) == (2, 0)
    assert EmailDelivery.objects.count() == 2


def test_inactive_users_are_not_notified(reviewer):
    reviewer.is_active = False
    reviewer.save(update_fields=["is_active"])
    _notify(reviewer, 1)
    assert not Notification.objects.exists()


class BrokenBackend:
    def __init__(self, *args, **kwargs):
        pass

    def send_messages(self, messages):
        raise OSError("SMTP down")
