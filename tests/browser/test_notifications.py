"""The bell, the inbox (open, mark read, mark all read), the e-mail settings and the board."""

from datetime import timedelta

import pytest
from django.db import transaction
from django.utils import timezone

from apps.accounts.models import Organisation
from apps.notifications import chasing
from apps.notifications.models import Notification
from apps.notifications.services import notify, preference_for
from tests.factories import OrganisationFactory

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def _notify(user, n):
    with transaction.atomic():
        for i in range(n):
            notify(
                recipients=[user],
                kind="test.browser",
                title=f"Case RT-{i} needs you",
                body="Open it.",
                link="/accounts/api-tokens/",
            )


def test_a_user_reads_notifications_from_the_bell(page, login, screenshot, reviewer):
    _notify(reviewer, 3)
    login(reviewer)

    assert page.get_by_test_id("unread-count").inner_text().startswith("3")
    page.get_by_test_id("nav-bell").click()
    assert page.get_by_test_id("notification-row").count() == 3
    screenshot("notifications-inbox")

    page.get_by_role("button", name="Mark as read").first.click()
    page.wait_for_load_state()
    assert page.get_by_test_id("unread-count").inner_text().startswith("2")

    page.get_by_role("button", name="Open").nth(1).click()  # the second, still unread
    page.wait_for_url("**/accounts/api-tokens/")
    assert Notification.objects.filter(read_at__isnull=True).count() == 1

    page.goto("/notifications/?show=unread")
    page.get_by_role("button", name="Mark all as read").click()
    page.wait_for_load_state()
    assert page.get_by_test_id("unread-count").count() == 0
    assert not Notification.objects.filter(read_at__isnull=True).exists()


def test_a_user_switches_to_the_daily_digest(page, login, screenshot, reviewer):
    login(reviewer)
    page.goto("/notifications/preferences/")
    page.get_by_label("One daily digest e-mail").check()
    screenshot("notifications-preferences")
    page.get_by_role("button", name="Save").click()
    page.wait_for_load_state()

    assert "saved" in page.content()
    assert preference_for(reviewer).email_mode == "digest"


def test_an_administrator_sees_due_and_sent_reminders_on_the_board(
    page, nav, login, screenshot, administrator
):
    company = OrganisationFactory(status="pending", legal_name="Ganzhou Slow Oxides Ltd.")
    Organisation.objects.filter(pk=company.pk).update(created_at=timezone.now() - timedelta(days=3))
    login(administrator)
    nav("Chasing")
    assert page.get_by_test_id("due-row").count() == 1
    screenshot("chasing-board-due")

    chasing.run_chase("accounts.pending_verification")
    page.get_by_role("link", name="Reminders sent").click()
    page.get_by_placeholder("Object or message").fill("Ganzhou")
    page.get_by_role("button", name="Filter").click()
    page.wait_for_load_state()
    assert page.get_by_test_id("reminder-row").count() == 1
    assert "root@authority.test" in page.get_by_test_id("reminder-row").inner_text()
    screenshot("chasing-board-sent")
