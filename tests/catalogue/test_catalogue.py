"""The control catalogue: what is in force on a date, administrators' edits, audit, pages."""

from datetime import date

import pytest
from django.urls import reverse

from apps.audit.models import AuditEvent
from apps.catalogue import selectors, services
from apps.catalogue.models import CatalogueEntry
from apps.catalogue.services import EntryData
from apps.core.errors import DomainError, PermissionDeniedError

pytestmark = pytest.mark.django_db

SUSPENDED = date(2026, 6, 1)  # the 2025 package is suspended until 10 November 2026


@pytest.fixture
def catalogue(db):
    services.catalogue_seed()
    return CatalogueEntry.objects.all()


def entry(code: str, sub: str, name_part: str = "") -> CatalogueEntry:
    return CatalogueEntry.objects.filter(
        control_code=code, sub_item=sub, name__icontains=name_part
    ).first()


def data(**overrides) -> EntryData:
    values = {
        "control_code": "1C914",
        "sub_item": "a",
        "element": "Holmium",
        "symbol": "Ho",
        "name": "Holmium sputtering targets",
        "forms": ["target"],
        "hs_codes": ["2805301910"],
        "effective_from": date(2027, 1, 1),
        "effective_until": None,
        "suspended_until": None,
        "notes": "",
    }
    values.update(overrides)
    return EntryData(**values)


# -- in force on a date --------------------------------------------------------------------


def test_seed_is_idempotent(catalogue):
    count = catalogue.count()
    assert services.catalogue_seed() == 0
    assert CatalogueEntry.objects.count() == count


def test_april_2025_items_are_in_force_from_4_april_2025(catalogue):
    assert selectors.catalogue_entry_for("1C902", date(2025, 4, 3)) is None
    assert selectors.catalogue_entry_for("1C902", date(2025, 4, 4)).element == "samarium"


def test_suspended_package_is_not_in_force_during_the_suspension(catalogue):
    in_force = {e.control_code for e in selectors.catalogue_in_force(SUSPENDED)}
    assert {"1C902", "1C908"} <= in_force
    assert not in_force & {"1C909", "1C910", "1C911", "1C912", "1C913"}
    check = selectors.catalogue_check("1C909.a", SUSPENDED)
    assert not check.controlled
    assert "1C909.a" in check.flag
    assert "not in force on 2026-06-01" in check.flag


def test_suspended_package_comes_into_force_the_day_after_the_suspension(catalogue):
    assert selectors.catalogue_entry_for("1C909.a", date(2026, 11, 10)) is None
    assert selectors.catalogue_entry_for("1C909.a", date(2026, 11, 11)).element == "holmium"


def test_oxide_mixture_hs_code_matches_each_of_the_seven_oxide_entries(catalogue):
    matches = selectors.catalogue_entries_for("2846.90.1993", SUSPENDED)
    assert sorted(e.control_code for e in matches) == [f"1C90{n}" for n in range(2, 9)]
    assert {e.sub_item for e in matches} == {"b"}


def test_magnet_hs_code_matches_samarium_cobalt_and_heavy_rare_earth_ndfeb(catalogue):
    names = {e.name for e in selectors.catalogue_entries_for("8505111000", SUSPENDED)}
    assert names == {
        "Samarium-cobalt magnets",
        "NdFeB magnets containing terbium",
        "NdFeB magnets containing dysprosium",
    }


def test_sub_item_lookup_is_case_insensitive(catalogue):
    found = selectors.catalogue_entry_for("1c902.B", SUSPENDED)
    assert (found.control_code, found.sub_item) == ("1C902", "b")


def test_item_outside_the_catalogue_is_flagged(catalogue):
    check = selectors.catalogue_check("2805301100", SUSPENDED)
    assert not check.controlled
    assert check.flag == "2805301100: not in the control catalogue on 2026-06-01"
    assert selectors.catalogue_check("not a code", SUSPENDED).controlled is False


def test_controlled_item_has_no_flag(catalogue):
    check = selectors.catalogue_check("1C905.a", SUSPENDED)
    assert check.controlled
    assert check.flag == ""


# -- administrators' edits -----------------------------------------------------------------


def test_administrator_creates_an_entry_and_it_is_audited(catalogue, administrator):
    created = services.catalogue_entry_create(actor=administrator, data=data())
    assert created.element == "holmium"
    event = AuditEvent.objects.get(action="catalogue.entry_create")
    assert event.actor == administrator
    assert event.object_id == str(created.pk)
    assert event.changes["hs_codes"] == ["2805301910"]


def test_editing_an_entry_records_what_changed(catalogue, administrator):
    target = entry("1C909", "a")
    values = {f: getattr(target, f) for f in services.FIELDS}
    values["suspended_until"] = date(2027, 11, 10)
    services.catalogue_entry_update(actor=administrator, entry=target, data=EntryData(**values))
    event = AuditEvent.objects.get(action="catalogue.entry_update")
    assert event.changes == {"suspended_until": ["2026-11-10", "2027-11-10"]}
    assert selectors.catalogue_entry_for("1C909.a", date(2027, 1, 4)) is None


def test_saving_an_entry_unchanged_records_nothing(catalogue, administrator):
    target = entry("1C902", "a")
    values = {f: getattr(target, f) for f in services.FIELDS}
    services.catalogue_entry_update(actor=administrator, entry=target, data=EntryData(**values))
    assert not AuditEvent.objects.filter(action="catalogue.entry_update").exists()


@pytest.mark.parametrize(
    ("overrides", "field", "message"),
    [
        ({"hs_codes": ["284690199"]}, "hs_codes", "exactly 10 digits"),
        ({"hs_codes": ["28469019AB"]}, "hs_codes", "exactly 10 digits"),
        ({"control_code": "1X902"}, "control_code", "letter A-E"),
        ({"control_code": "C902"}, "control_code", "letter A-E"),
        ({"effective_until": date(2026, 12, 31)}, "effective_until", "before its start"),
        ({"suspended_until": date(2026, 1, 1)}, "suspended_until", "on or after"),
        (
            {"effective_until": date(2027, 6, 30), "suspended_until": date(2027, 6, 30)},
            "suspended_until",
            "whole control period",
        ),
        ({"forms": []}, "forms", "at least one"),
        ({"symbol": "HO"}, "symbol", "capital letter"),
        ({"sub_item": "d"}, "sub_item", "a, b or c"),
        (
            {"control_code": "1C902", "sub_item": "a", "name": "Samarium-cobalt magnets"},
            "name",
            "Already in the catalogue",
        ),
    ],
)
def test_bad_entry_is_refused_with_a_message_and_changes_nothing(
    catalogue, administrator, overrides, field, message
):
    count = CatalogueEntry.objects.count()
    with pytest.raises(DomainError) as exc:
        services.catalogue_entry_create(actor=administrator, data=data(**overrides))
    assert message in " ".join(exc.value.field_errors[field])
    assert CatalogueEntry.objects.count() == count
    assert not AuditEvent.objects.filter(action="catalogue.entry_create").exists()


def test_bad_edit_leaves_the_entry_as_it_was(catalogue, administrator):
    target = entry("1C903", "b")
    values = {f: getattr(target, f) for f in services.FIELDS}
    values.update(hs_codes=["123"], name="Changed")
    with pytest.raises(DomainError):
        services.catalogue_entry_update(actor=administrator, entry=target, data=EntryData(**values))
    target.refresh_from_db()
    assert target.name == "Gadolinium oxides and their mixtures"
    assert not AuditEvent.objects.filter(action="catalogue.entry_update").exists()


def test_officials_and_auditors_cannot_edit(catalogue, reviewer, approver, auditor):
    for user in (reviewer, approver, auditor):
        with pytest.raises(PermissionDeniedError):
            services.catalogue_entry_create(actor=user, data=data())


# -- pages ---------------------------------------------------------------------------------


def test_list_filters_by_status_on_a_date_and_pages(catalogue, reviewer, client_for):
    client = client_for(reviewer)
    suspended = client.get(
        reverse("catalogue:entry_list"), {"status": "suspended", "on": "2026-06-01"}
    )
    codes = {row[0].control_code for row in suspended.context["rows"]}
    assert codes == {"1C909", "1C910", "1C911", "1C912", "1C913"}
    assert suspended.context["page_obj"].paginator.count == 15
    everything = client.get(reverse("catalogue:entry_list"), {"page": 2})
    assert everything.context["page_obj"].number == 2


def test_list_searches_by_hs_code_and_sorts(catalogue, auditor, client_for):
    client = client_for(auditor)
    magnets = client.get(reverse("catalogue:entry_list"), {"q": "8505111000", "sort": "-element"})
    elements = [row[0].element for row in magnets.context["rows"]]
    assert elements == ["terbium", "samarium", "dysprosium"]


def test_list_filters_by_element_and_sub_item(catalogue, auditor, client_for):
    response = client_for(auditor).get(
        reverse("catalogue:entry_list"), {"element": "yttrium", "sub_item": "b"}
    )
    assert [row[0].reference for row in response.context["rows"]] == ["1C908.b"]


def test_administrator_edits_through_the_form(catalogue, administrator, client_for):
    target = entry("1C906", "a")
    form = {
        "control_code": "1C906",
        "sub_item": "a",
        "element": "lutetium",
        "symbol": "Lu",
        "name": target.name,
        "forms": ["metal", "alloy"],
        "hs_codes": "2805301910\n2805.30.1990",
        "effective_from": "2025-04-04",
        "effective_until": "",
        "suspended_until": "",
        "notes": "",
    }
    response = client_for(administrator).post(
        reverse("catalogue:entry_edit", args=[target.pk]), form
    )
    assert response.status_code == 302
    target.refresh_from_db()
    assert target.forms == ["metal", "alloy"]
    assert target.hs_codes == ["2805301910", "2805301990"]


def test_form_shows_the_service_error_and_saves_nothing(catalogue, administrator, client_for):
    form = {
        "control_code": "ABC",
        "sub_item": "a",
        "element": "x",
        "symbol": "X",
        "name": "Bad",
        "forms": ["metal"],
        "hs_codes": "12",
        "effective_from": "2027-01-01",
    }
    count = CatalogueEntry.objects.count()
    response = client_for(administrator).post(reverse("catalogue:entry_create"), form)
    body = response.content.decode()
    assert response.status_code == 200
    assert "a letter A-E" in body
    assert "exactly 10 digits" in body
    assert CatalogueEntry.objects.count() == count


def test_reviewer_sees_no_edit_button(catalogue, reviewer, client_for):
    target = entry("1C902", "a")
    body = client_for(reviewer).get(reverse("catalogue:entry_detail", args=[target.pk]))
    assert body.status_code == 200
    assert reverse("catalogue:entry_edit", args=[target.pk]) not in body.content.decode()
