# ruff: noqa: RUF001 - Cyrillic letters that look Latin are the point of these tests
"""Client book, entities, screening hits and ownership through the services, on PostgreSQL."""

from datetime import date

import pytest

from apps.audit.models import AuditEvent
from apps.clients import services
from apps.clients.models import Client, ClientEntity, EntityLinkChange, ScreeningHit
from apps.clients.screening import record_hits
from apps.core.errors import ConflictError, DomainError, PermissionDeniedError
from tests.clients.factories import client_data, make_client, make_entry

pytestmark = pytest.mark.django_db


# -- client book -----------------------------------------------------------------------------


def test_new_client_is_linked_to_an_entity_and_screened_clear(producer):
    client = make_client(producer)
    client.refresh_from_db()
    assert client.entity is not None
    assert client.entity.name == "Rheinland Fahrzeugtechnik GmbH"
    assert client.screening_status == "clear"
    assert client.screened_at is not None
    assert AuditEvent.objects.filter(action="client.create", object_id=str(client.pk)).exists()


def test_same_buyer_in_two_books_is_one_entity(producer, other_producer):
    mine = make_client(producer, registration_number="HRB 4711", registration_kind="other")
    theirs = make_client(
        other_producer,
        legal_name="Rheinland Fahrzeug-Technik",
        registration_number="hrb-4711",
        registration_kind="other",
    )
    by_name = make_client(other_producer, legal_name="Rhineland Fahrzeugtechnik GmbH")
    assert mine.entity_id == theirs.entity_id == by_name.entity_id


def test_namesakes_with_different_registration_numbers_are_different_entities(
    producer, other_producer
):
    mine = make_client(producer, registration_number="HRB 1", registration_kind="other")
    theirs = make_client(other_producer, registration_number="HRB 2", registration_kind="other")
    assert mine.entity_id != theirs.entity_id


def test_same_name_in_another_country_is_another_entity(producer, other_producer):
    assert make_client(producer).entity_id != make_client(other_producer, country="AT").entity_id


def test_unknown_country_is_refused_with_a_specific_message(producer):
    with pytest.raises(DomainError) as exc:
        make_client(producer, country="XX")
    assert "Unknown country code “XX”" in exc.value.field_errors["country"][0]
    assert Client.objects.count() == 0
    assert ClientEntity.objects.count() == 0


def test_registration_number_used_twice_in_one_book_is_refused(producer, other_producer):
    make_client(producer, registration_number="DE 123 456", registration_kind="vat")
    with pytest.raises(DomainError) as exc:
        make_client(
            producer,
            legal_name="Another Firm AG",
            registration_number="de123456",
            registration_kind="vat",
        )
    assert (
        "already has this registration number" in exc.value.field_errors["registration_number"][0]
    )
    assert Client.objects.count() == 1
    # another producer's book is another book
    make_client(other_producer, registration_number="DE123456", registration_kind="vat")
    assert Client.objects.count() == 2


def test_ownership_cycle_is_refused_and_changes_nothing(producer):
    top = make_client(producer, legal_name="Top Holding AG")
    middle = make_client(producer, legal_name="Middle GmbH", parent=top.pk, ownership_pct="80")
    with pytest.raises(DomainError) as exc:
        services.client_update(
            actor=producer,
            client=top,
            data=client_data(legal_name="Top Holding AG", parent=middle.pk, ownership_pct="51"),
        )
    assert "Ownership cycle" in exc.value.field_errors["parent"][0]
    top.refresh_from_db()
    assert top.parent_id is None


def test_parent_from_another_book_is_refused(producer, other_producer):
    foreign = make_client(other_producer, legal_name="Foreign Parent SA", country="FR")
    with pytest.raises(DomainError) as exc:
        make_client(producer, parent=foreign.pk, ownership_pct="60")
    assert "your own book" in exc.value.field_errors["parent"][0]


@pytest.mark.parametrize("pct", ["0", "-5", "100.5", "abc"])
def test_ownership_share_must_be_above_zero_and_at_most_100(producer, pct):
    parent = make_client(producer, legal_name="Parent AG")
    with pytest.raises(DomainError) as exc:
        make_client(producer, legal_name="Child GmbH", parent=parent.pk, ownership_pct=pct)
    assert "ownership_pct" in exc.value.field_errors


def test_other_producer_cannot_change_my_client(producer, other_producer):
    client = make_client(producer)
    with pytest.raises(PermissionDeniedError):
        services.client_update(actor=other_producer, client=client, data=client_data())


def test_archived_client_is_kept_and_leaves_the_book(producer):
    client = make_client(producer)
    services.client_archive(actor=producer, client=client)
    client.refresh_from_db()
    assert client.archived_at is not None
    assert Client.objects.filter(pk=client.pk).exists()
    # the registration number is free again for a new record
    make_client(producer, registration_number="", legal_name="Rheinland Neu GmbH")


def test_a_parent_with_active_subsidiaries_cannot_be_archived(producer):
    parent = make_client(producer, legal_name="Parent AG")
    make_client(producer, legal_name="Child GmbH", parent=parent.pk, ownership_pct="100")
    with pytest.raises(ConflictError) as exc:
        services.client_archive(actor=producer, client=parent)
    assert "Child GmbH" in exc.value.message


# -- screening and hits ----------------------------------------------------------------------


def test_client_matching_the_control_list_gets_an_open_hit_with_score_and_fields(producer):
    entry = make_entry("Rheinland Fahrzeug Technik", country="DE")
    client = make_client(producer)
    hit = ScreeningHit.objects.get(client=client)
    assert hit.list_entry == entry
    assert hit.status == "open"
    assert hit.score >= 95
    assert hit.matched_fields["country"] == "same"
    assert hit.matched_fields["name"]["entry"] == "rheinland fahrzeug technik"
    client.refresh_from_db()
    assert client.screening_status == "review"


def test_delisted_entries_do_not_hit(producer):
    make_entry("Rheinland Fahrzeugtechnik", delisted_on=date(2024, 6, 1))
    client = make_client(producer)
    assert not client.hits.exists()


def test_confirmed_hit_puts_the_client_on_the_list(producer, reviewer):
    make_entry("Rheinland Fahrzeugtechnik", kind="watch")
    client = make_client(producer)
    services.hit_decide(
        actor=reviewer, hit=client.hits.get(), action="confirm", reason="Same address"
    )
    client.refresh_from_db()
    assert client.screening_status == "watch"


def test_decision_needs_a_reason_and_an_official(producer, reviewer, auditor):
    make_entry("Rheinland Fahrzeugtechnik")
    hit = make_client(producer).hits.get()
    with pytest.raises(DomainError) as exc:
        services.hit_decide(actor=reviewer, hit=hit, action="dismiss", reason="  ")
    assert "reason" in exc.value.field_errors
    with pytest.raises(PermissionDeniedError):
        services.hit_decide(actor=auditor, hit=hit, action="dismiss", reason="no")
    hit.refresh_from_db()
    assert hit.status == "open"


def test_same_decision_twice_is_one_event(producer, reviewer):
    make_entry("Rheinland Fahrzeugtechnik")
    hit = make_client(producer).hits.get()
    services.hit_decide(actor=reviewer, hit=hit, action="dismiss", reason="Other firm")
    services.hit_decide(actor=reviewer, hit=hit, action="dismiss", reason="Other firm")
    assert AuditEvent.objects.filter(action="screening_hit.dismiss").count() == 1


def test_dismissed_hit_stays_dismissed_until_the_client_changes(producer, reviewer):
    make_entry("Rheinland Fahrzeugtechnik", country="DE")
    client = make_client(producer)
    hit = client.hits.get()
    services.hit_decide(actor=reviewer, hit=hit, action="dismiss", reason="Different firm")
    # screening the same data again keeps the dismissal
    record_hits([client])
    services.client_update(
        actor=producer, client=client, data=client_data(address="Neue Straße 1, Köln")
    )
    hit.refresh_from_db()
    assert hit.status == "dismissed"
    client.refresh_from_db()
    assert client.screening_status == "clear"
    # a change of what screening looks at reopens it
    services.client_update(
        actor=producer, client=client, data=client_data(aliases=["Rheinland FT"])
    )
    hit.refresh_from_db()
    assert hit.status == "open"
    assert hit.reason == ""


def test_dismissed_hit_reopens_when_the_list_entry_changes(producer, reviewer, administrator):
    entry = make_entry("Rheinland Fahrzeugtechnik", country="DE")
    client = make_client(producer)
    hit = client.hits.get()
    services.hit_decide(actor=reviewer, hit=hit, action="dismiss", reason="Different firm")
    services.list_entry_update(
        actor=administrator,
        entry=entry,
        data={
            "kind": "control",
            "name": entry.name,
            "aliases": "RFT Köln",
            "country": "DE",
            "identifiers": "",
            "reason": entry.reason,
            "listed_on": entry.listed_on,
            "delisted_on": None,
        },
    )
    services.clients_rescreen(entry_ids=[entry.pk])
    hit.refresh_from_db()
    assert hit.status == "open"


def test_hit_lapses_when_the_entry_is_delisted(producer, administrator):
    entry = make_entry("Rheinland Fahrzeugtechnik", country="DE")
    client = make_client(producer)
    data = {
        "kind": "control",
        "name": entry.name,
        "country": "DE",
        "reason": entry.reason,
        "listed_on": entry.listed_on,
        "delisted_on": date(2025, 1, 1),
    }
    services.list_entry_update(actor=administrator, entry=entry, data=data)
    services.clients_rescreen()
    assert client.hits.get().status == "lapsed"
    client.refresh_from_db()
    assert client.screening_status == "clear"


def test_screen_parties_writes_nothing_and_answers_for_any_party(db):
    from apps.clients.matching import Party

    make_entry("Zenit Elektronika", country="RU")
    (matches,) = services.screen_parties([Party(names=("ООО Зенит Электроника",), country="RU")])
    assert matches[0].entry_name == "Zenit Elektronika"
    assert ScreeningHit.objects.count() == 0


def test_client_screen_returns_the_status(producer):
    client = make_client(producer)
    make_entry("Rheinland Fahrzeugtechnik")
    assert services.client_screen(client, reason="application submitted") == "review"


# -- ownership -------------------------------------------------------------------------------


@pytest.fixture
def listed_parent(producer):
    make_entry("Volga Strategic Metals", country="RU")
    return make_client(producer, legal_name="Volga Strategic Metals JSC", country="RU")


def test_firm_owned_50_percent_by_a_listed_party_is_a_hit(producer, listed_parent):
    child = make_client(
        producer, legal_name="Harmless Trading GmbH", parent=listed_parent.pk, ownership_pct="50"
    )
    hit = child.hits.get()
    assert hit.basis == "ownership"
    assert hit.matched_fields["ownership"][0]["name"] == "Volga Strategic Metals JSC"
    assert hit.matched_fields["ownership"][0]["pct"] == "50.00"


def test_firm_owned_49_percent_by_a_listed_party_is_not_a_hit(producer, listed_parent):
    child = make_client(
        producer, legal_name="Harmless Trading GmbH", parent=listed_parent.pk, ownership_pct="49.99"
    )
    assert not child.hits.exists()


def test_ownership_follows_the_parent_chain_link_by_link(producer, listed_parent):
    middle = make_client(
        producer,
        legal_name="Middle Holding BV",
        country="NL",
        parent=listed_parent.pk,
        ownership_pct="75",
    )
    grandchild = make_client(
        producer, legal_name="Grandchild Parts GmbH", parent=middle.pk, ownership_pct="60"
    )
    broken = make_client(
        producer, legal_name="Minority Parts GmbH", parent=middle.pk, ownership_pct="30"
    )
    hit = grandchild.hits.get()
    assert [step["name"] for step in hit.matched_fields["ownership"]] == [
        "Middle Holding BV",
        "Volga Strategic Metals JSC",
    ]
    assert not broken.hits.exists()


def test_subsidiaries_are_screened_again_when_the_parent_changes(producer):
    parent = make_client(producer, legal_name="Quiet Holding AG")
    child = make_client(producer, legal_name="Child GmbH", parent=parent.pk, ownership_pct="100")
    make_entry("Loud Sanctioned Holding")
    services.client_update(
        actor=producer, client=parent, data=client_data(legal_name="Loud Sanctioned Holding AG")
    )
    assert child.hits.get().basis == "ownership"


# -- entities --------------------------------------------------------------------------------


def test_reviewer_merges_and_splits_entities_with_a_reason(producer, other_producer, reviewer):
    a = make_client(producer, legal_name="Kyoto Seiko", country="JP")
    b = make_client(other_producer, legal_name="Kyoto Precision Works", country="JP")
    assert a.entity_id != b.entity_id
    target = services.entity_merge(
        actor=reviewer, source=b.entity, target=a.entity, reason="Same corporate number"
    )
    b.refresh_from_db()
    assert b.entity_id == target.pk == a.entity_id
    assert b.entity_pinned
    change = EntityLinkChange.objects.get(action="merge")
    assert change.reason == "Same corporate number"
    assert AuditEvent.objects.filter(action="entity.merge").exists()

    new = services.entity_split(actor=reviewer, entity=target, client=b, reason="Wrong merge")
    b.refresh_from_db()
    assert b.entity_id == new.pk != a.entity_id
    # a pinned link survives the record's next edit
    services.client_update(
        actor=other_producer,
        client=b,
        data=client_data(legal_name="Kyoto Precision Works", country="JP", address="Kyoto"),
    )
    b.refresh_from_db()
    assert b.entity_id == new.pk


def test_merge_and_split_need_a_reason_and_a_reviewer(producer, other_producer, reviewer, auditor):
    a = make_client(producer, legal_name="Kyoto Seiko", country="JP")
    b = make_client(other_producer, legal_name="Osaka Seiko", country="JP")
    with pytest.raises(DomainError):
        services.entity_merge(actor=reviewer, source=b.entity, target=a.entity, reason="")
    with pytest.raises(PermissionDeniedError):
        services.entity_merge(actor=auditor, source=b.entity, target=a.entity, reason="x")
    with pytest.raises(DomainError):
        services.entity_split(actor=reviewer, entity=a.entity, client=a, reason="only one")
    assert EntityLinkChange.objects.count() == 0
