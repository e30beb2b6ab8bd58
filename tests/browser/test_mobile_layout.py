"""On a 390 px phone no page of the navigation scrolls sideways as a whole, for any role.

Wide tables may scroll, but inside their `.table-responsive` wrapper; the page itself must fit.
The pages are each role's navigation entries (from `apps.core.navigation`, so a new entry is
checked without touching this file), the account menu, and a calendar year. They are filled with
the demo data, whose long company names and references are what pushed pages wide before.

One test per role walks all of that role's pages and names every page that is too wide. One test
per page would cost the demo data and a database flush each time (about 10 s, for some 100
pages); per role it is seven times.
"""

from io import StringIO

import pytest
from django.core.management import call_command
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import override

from apps.accounts.demo import DEMO_PASSWORD
from apps.accounts.models import User
from apps.core.navigation import NAV_GROUP_OF, NAV_ITEMS
from apps.core.roles import AUTHORITY_ROLES, Role

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

PHONE = {"width": 390, "height": 844}
# who -> (demo user, the role whose navigation they see, whether their company is verified)
DEMO_USERS = {
    "producer_admin": ("producer@ganzhou-magnetics.demo", Role.PRODUCER_ADMIN, True),
    "producer_staff": ("staff@ganzhou-magnetics.demo", Role.PRODUCER_STAFF, True),
    "pending_producer": ("producer@beijing-targets.demo", Role.PRODUCER_ADMIN, False),
    "reviewer": ("reviewer@raretrack.demo", Role.REVIEWER, True),
    "approver": ("approver@raretrack.demo", Role.APPROVER, True),
    "auditor": ("auditor@raretrack.demo", Role.AUDITOR, True),
    "administrator": ("admin@raretrack.demo", Role.ADMINISTRATOR, True),
}
# The account menu of templates/base.html, which every signed-in user has.
ACCOUNT_PAGES = [
    "notifications:inbox",
    "accounts:mfa",
    "accounts:password_change",
    "notifications:preferences",
]
CALENDAR_YEAR = "workcalendar:year_detail"


def _pages(who: str) -> list[tuple[str, str | None]]:
    """(url name, label in the bar or None) of every page `who` reaches from the menus.

    Bar entries are followed through the collapsed menu with `nav`; the account menu (API tokens
    included) and a calendar year are opened by address. Django's own admin is left out: its
    templates are not ours.
    """
    _email, role, verified = DEMO_USERS[who]
    pages = []
    for item in NAV_ITEMS:
        if role not in item.roles or item.url_name == "admin:index":
            continue
        if item.needs_verified_company and not verified:
            continue
        with override("en"):
            label = str(item.label)
        in_bar = NAV_GROUP_OF.get(item.url_name) != "user"
        pages.append((item.url_name, label if in_bar else None))
    pages += [(name, None) for name in ACCOUNT_PAGES]
    if role in AUTHORITY_ROLES:
        pages.append((CALENDAR_YEAR, None))
    return pages


def _url(url_name: str) -> str:
    if url_name == CALENDAR_YEAR:
        return reverse(url_name, args=[timezone.localdate().year])
    return reverse(url_name)


@pytest.fixture
def password():
    return DEMO_PASSWORD


@pytest.fixture
def demo_world(transactional_db):
    call_command("seed_demo", force=True, stdout=StringIO())


@pytest.mark.parametrize("who", list(DEMO_USERS))
def test_no_page_of_the_menu_scrolls_sideways_on_a_phone(
    who, demo_world, page, login, nav, screenshot
):
    # given: the demo user of the role, signed in on a phone-sized screen
    page.set_viewport_size(PHONE)
    login(User.objects.get(email=DEMO_USERS[who][0]))
    too_wide = []
    for url_name, nav_label in _pages(who):
        # when: they open the page from the menu, or by its address when it is not in the bar
        if nav_label:
            nav(nav_label)
        else:
            page.goto(_url(url_name))
            page.wait_for_load_state()

        # then: it is that page, and it is no wider than the screen
        assert page.url.endswith(_url(url_name)), f"{url_name}: landed on {page.url}"
        scroll_width, screen_width = page.evaluate(
            "[document.scrollingElement.scrollWidth, window.innerWidth]"
        )
        if scroll_width > screen_width:
            screenshot(f"mobile-overflow-{who}-{url_name.replace(':', '-')}")
            too_wide.append(f"{url_name} is {scroll_width} px wide")
    assert not too_wide, f"on a {PHONE['width']} px screen: " + "; ".join(too_wide)
