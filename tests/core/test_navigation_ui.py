"""The navigation bar grouped by area, and one status palette for every badge."""

import re

import pytest
from django.urls import reverse

from apps.core import navigation
from apps.core.templatetags.portal import STATUS_BADGES, status_badge

pytestmark = pytest.mark.django_db


def _bar_urls(menu) -> list[str]:
    urls = []
    for entry in menu["bar"]:
        urls.extend(child["url"] for child in entry.get("children", [entry]))
    return urls


@pytest.mark.parametrize("who", ["administrator", "reviewer", "approver", "auditor"])
def test_officials_bar_fits_in_a_few_entries_and_loses_nothing(request, who):
    user = request.getfixturevalue(who)
    menu = navigation.menu_for(user, company_verified=True)
    assert len(menu["bar"]) <= 8
    flat = [i["url"] for i in navigation.items_for(user, True, include_admin=True)]
    assert sorted(_bar_urls(menu) + [i["url"] for i in menu["account"]]) == sorted(flat)
    assert any("children" in entry for entry in menu["bar"])


def test_producers_bar_is_plain_links_and_api_tokens_sit_in_the_account_menu(producer_admin):
    menu = navigation.menu_for(producer_admin, company_verified=True)
    assert all("children" not in entry for entry in menu["bar"])
    assert [i["url_name"] for i in menu["account"]] == ["accounts:token_list"]


def test_administrator_page_shows_dropdowns_and_marks_the_active_group(client_for, administrator):
    page = client_for(administrator).get(reverse("catalogue:entry_list")).content.decode()
    assert 'data-testid="nav-group-reference"' in page
    assert 'data-testid="nav-group-audit"' in page
    assert reverse("admin:index") in page
    # the group holding the current page is highlighted, its entry marked as the current page
    assert re.search(r'dropdown-toggle active"[^>]*data-testid="nav-group-reference"', page)
    assert not re.search(r'dropdown-toggle active"[^>]*data-testid="nav-group-audit"', page)
    assert (
        f'dropdown-item active" href="{reverse("catalogue:entry_list")}" aria-current="page"'
        in page
    )


def test_every_status_in_the_portal_has_a_colour():
    from apps.accounts.models import Organisation
    from apps.audit.models import ExportJob
    from apps.clients.models import ScreeningHit, ScreeningStatus
    from apps.licensing.models import Amendment, InformationRequest
    from apps.licensing.workflow import ApplicationStatus, LicenceStatus
    from apps.transactions.models import ImportBatch, TransactionReport

    choices = [
        Organisation.Status,
        ApplicationStatus,
        LicenceStatus,
        TransactionReport.Status,
        ImportBatch.Status,
        ScreeningHit.Status,
        ScreeningStatus,
        InformationRequest.Status,
        Amendment.Status,
        ExportJob.Status,
    ]
    missing = [(c.__qualname__, v) for c in choices for v in c.values if v not in STATUS_BADGES]
    assert missing == []


def test_status_badge_kinds_override_shared_words():
    assert status_badge("suspended") == "text-bg-danger"  # a company
    assert status_badge("suspended", "licence") == "text-bg-warning"
    assert status_badge("overdue", "return") == "text-bg-danger"
    assert status_badge("something new") == "text-bg-secondary"
