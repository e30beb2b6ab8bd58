"""What keeps the queue fast on 200,000 applications without changing what it shows: the
catalogue entries kept on the application row for the element filter, and the capped count."""

import importlib
from decimal import Decimal

import pytest
from django.apps import apps as django_apps
from django.urls import reverse

from apps.catalogue.models import CatalogueEntry
from apps.licensing import selectors, services
from apps.licensing import selectors_official as official_selectors
from apps.licensing.models import Application
from apps.licensing.workflow import ApplicationStatus as S
from tests.licensing import official_world as ow

pytestmark = pytest.mark.django_db
QUEUE = reverse("review:queue")
API_QUEUE = reverse("api:review-case-list")


def line(symbol: str, quantity: str = "10") -> dict:
    return {
        "catalogue_entry": ow.catalogue_entry(symbol),
        "form": "metal",
        "quantity": Decimal(quantity),
        "unit": "kg",
        "unit_price": Decimal("350.00"),
        "currency": "USD",
        "hs_code": "2805301200",
    }


def entry_ids(*symbols: str) -> list[int]:
    return sorted(ow.catalogue_entry(symbol).pk for symbol in symbols)


def lines_entry_ids(app: Application) -> list[int]:
    """What the column must hold: computed from the lines themselves."""
    return sorted(
        set(app.lines.exclude(catalogue_entry=None).values_list("catalogue_entry_id", flat=True))
    )


# -- Application.catalogue_entry_ids follows the lines ----------------------------------------


def test_a_new_application_records_the_catalogue_entries_of_its_lines(producer):
    app = services.application_create(
        actor=producer, data=ow.HEADER, lines=[line("Tb"), line("Dy"), line("Tb", "5")]
    )

    app.refresh_from_db()
    assert app.catalogue_entry_ids == entry_ids("Dy", "Tb") == lines_entry_ids(app)


def test_replacing_the_lines_replaces_the_entries_and_a_line_without_entry_adds_none(producer):
    app = services.application_create(actor=producer, data=ow.HEADER, lines=[line("Tb")])
    unlisted = {**line("Dy"), "catalogue_entry": None}

    services.application_update(
        actor=producer, application=app, data={}, lines=[line("Sm"), unlisted]
    )

    app.refresh_from_db()
    assert app.catalogue_entry_ids == entry_ids("Sm") == lines_entry_ids(app)


def test_updating_only_the_header_keeps_the_entries(producer):
    app = services.application_create(actor=producer, data=ow.HEADER, lines=[line("Tb")])

    services.application_update(actor=producer, application=app, data={"port_of_exit": "Ningbo"})

    app.refresh_from_db()
    assert app.catalogue_entry_ids == entry_ids("Tb")


def test_a_draft_without_lines_has_no_entries(producer):
    app = services.application_create(actor=producer, data=ow.HEADER)

    app.refresh_from_db()
    assert app.catalogue_entry_ids == []


def test_a_copy_has_the_entries_of_its_lines(producer, reviewer):
    source = ow.case(producer, reviewer, state=S.UNDER_REVIEW, symbol="Tb")

    copy = services.application_copy(actor=producer, application=source)

    copy.refresh_from_db()
    assert copy.catalogue_entry_ids == entry_ids("Tb") == lines_entry_ids(copy)


def test_the_element_filter_follows_a_change_of_lines(client_for, producer, reviewer):
    app = ow.draft(producer, symbol="Tb")
    services.application_update(actor=producer, application=app, data={}, lines=[line("Dy")])
    services.application_submit(actor=producer, application=app)
    client = client_for(reviewer)

    def listed(element: str) -> bool:
        rows = client.get(QUEUE, {"element": element}).context["rows"]
        return app.pk in {row["app"].pk for row in rows}

    assert listed("Dy")
    assert not listed("Tb")


def test_the_element_filter_matches_every_entry_of_the_element(producer, reviewer):
    """Dysprosium has several entries (metal, oxide, magnets...): a line of any of them counts."""
    oxide = CatalogueEntry.objects.filter(symbol="Dy").exclude(pk=ow.catalogue_entry("Dy").pk)
    assert oxide.exists()
    app = ow.draft(producer, symbol="Tb")
    other_dy = {**line("Dy"), "catalogue_entry": oxide.first(), "form": oxide.first().forms[0]}
    services.application_update(actor=producer, application=app, data={}, lines=[other_dy])
    services.application_submit(actor=producer, application=app)

    found = selectors.queue_for(reviewer, element="Dy")

    assert list(found.values_list("pk", flat=True)) == [app.pk]
    assert not selectors.queue_for(reviewer, element="Tb").exists()
    assert not selectors.queue_for(reviewer, element="Xx").exists()


def test_the_migration_fills_the_entries_of_existing_applications(producer, reviewer):
    first = ow.case(producer, reviewer, state=S.UNDER_REVIEW, symbol="Tb")
    second = services.application_create(
        actor=producer, data=ow.HEADER, lines=[line("Sm"), line("Dy")]
    )
    empty = services.application_create(actor=producer, data=ow.HEADER)
    Application.objects.update(catalogue_entry_ids=[])
    migration = importlib.import_module("apps.licensing.migrations.0003_list_indexes")

    migration.fill_catalogue_entry_ids(django_apps, None)

    for app in (first, second, empty):
        app.refresh_from_db()
        assert app.catalogue_entry_ids == lines_entry_ids(app)
    assert second.catalogue_entry_ids == entry_ids("Dy", "Sm")


# -- sorting: the order the indexes give is the order the queue always had ---------------------


@pytest.mark.parametrize("key", sorted(official_selectors.QUEUE_SORTS))
@pytest.mark.parametrize("descending", [False, True])
def test_every_sort_orders_by_its_column_then_by_id_ascending(
    client_for, producer, reviewer, approver, other_company, key, descending
):
    from tests.factories import make_producer

    other = make_producer(other_company, email="staff@other.test")
    for _ in range(2):  # pairs with equal sort keys: the tie order shows
        ow.case(producer)
        ow.case(producer, reviewer, state=S.UNDER_REVIEW)
        ow.case(other)
    sort = f"-{key}" if descending else key

    rows = client_for(reviewer).get(QUEUE, {"sort": sort}).context["rows"]

    field = official_selectors.QUEUE_SORTS[key]
    got = [row["app"] for row in rows]
    expected = sorted(
        sorted(got, key=lambda a: a.pk), key=lambda a: _value(a, field), reverse=descending
    )
    assert [a.pk for a in got] == [a.pk for a in expected]
    assert len(got) == 6


def _value(app, field):
    """The sort key as PostgreSQL orders it: empty values after the others (before, descending)."""
    value = app
    for part in field.split("__"):
        value = getattr(value, part)
    return (value is None, value)


# -- the count stops at a cap ------------------------------------------------------------------


@pytest.fixture
def sixty_one_cases(producer):
    template = ow.case(producer)
    lines = list(template.lines.all())
    for _ in range(60):
        clone = Application.objects.get(pk=template.pk)
        clone.pk = None
        clone.save()
        for each in lines:
            each.pk = None
            each.application = clone
            each.save()


def test_the_queue_counts_exactly_below_the_cap(client_for, reviewer, sixty_one_cases):
    response = client_for(reviewer).get(QUEUE)

    paginator = response.context["page_obj"].paginator
    assert (paginator.count, paginator.capped) == (61, False)
    assert "1\u201350 of 61" in response.content.decode()


def test_past_the_cap_the_queue_says_more_than_and_still_pages_to_the_end(
    client_for, reviewer, sixty_one_cases, monkeypatch
):
    monkeypatch.setattr(official_selectors, "QUEUE_COUNT_CAP", 20)
    client = client_for(reviewer)

    first = client.get(QUEUE)
    html = first.content.decode()
    assert first.context["page_obj"].paginator.capped
    assert len(first.context["rows"]) == 50
    assert "1\u201350 of more than 50" in html
    assert 'data-testid="count-capped"' in html
    assert "?page=2" in html  # "Next", though the total is not known

    second = client.get(QUEUE, {"page": 2})
    assert len(second.context["rows"]) == 11
    assert not second.context["page_obj"].paginator.capped  # counting to page 2 found the end
    assert "51\u201361 of 61" in second.content.decode()
    assert not second.context["page_obj"].has_next()


def test_a_page_number_below_one_shows_the_first_page_when_the_count_is_capped(
    client_for, reviewer, sixty_one_cases, monkeypatch
):
    monkeypatch.setattr(official_selectors, "QUEUE_COUNT_CAP", 20)

    response = client_for(reviewer).get(QUEUE, {"page": -3})

    assert response.context["page_obj"].number == 1
    assert len(response.context["rows"]) == 50


def test_the_api_says_when_its_count_is_a_lower_bound(
    client_for, reviewer, sixty_one_cases, monkeypatch
):
    client = client_for(reviewer)
    exact = client.get(API_QUEUE).json()
    assert (exact["count"], exact["count_capped"]) == (61, False)

    from apps.core.api import CappedPagination

    monkeypatch.setattr(CappedPagination, "count_cap", 20)
    capped = client.get(API_QUEUE).json()
    assert capped["count_capped"] is True
    assert capped["count"] == 51  # counted to one past the page: more than 50
    assert len(capped["results"]) == 50
    assert capped["next"]
    last = client.get(capped["next"]).json()
    assert (last["count"], last["count_capped"], len(last["results"])) == (61, False, 11)
    assert last["next"] is None


@pytest.mark.parametrize("page", ["0", "-1", "abc", "99999999999999999999999"])
def test_odd_page_numbers_answer_without_error(client_for, reviewer, sixty_one_cases, page):
    client = client_for(reviewer)

    assert client.get(QUEUE, {"page": page}).status_code == 200
    assert client.get(API_QUEUE, {"page": page}).status_code == 404
