"""Audit cases for apps/clients/services/ (see tests/audit/coverage.py)."""

from apps.clients import services
from apps.clients.models import ScreeningHit
from tests.audit.coverage import AuditCase, Expect
from tests.clients.factories import client_data, make_client, make_entry

LISTED = "Rheinland Fahrzeugtechnik GmbH"  # the name client_data() gives a client


def _listed_client(fx):
    """A client and a control-list entry naming it, not yet screened against each other."""
    client = make_client(fx("producer"))
    entry = make_entry(LISTED, country="DE")
    return client, entry


def _hit(fx):
    client, _entry = _listed_client(fx)
    services.client_screen(client, actor=fx("reviewer"), reason="setup")
    return ScreeningHit.objects.get(client=client)


def _merge_pair(fx):
    a = make_client(fx("producer"), legal_name="Kyoto Seiko", country="JP")
    b = make_client(fx("other_producer"), legal_name="Kyoto Precision Works", country="JP")
    return a, b


def _split_pair(fx):
    a, b = _merge_pair(fx)
    services.entity_merge(actor=fx("reviewer"), source=b.entity, target=a.entity, reason="Same")
    b.refresh_from_db()
    return b


def _entry_data(**changes) -> dict:
    return {
        "kind": "control",
        "name": "Coverage Trading FZE",
        "country": "AE",
        "reason": "Diversion of magnets",
        "listed_on": "2025-01-10",
        **changes,
    }


CSV = (
    "kind,name,country,reason,listed_on\n"
    "control,Coverage Alloys LLC,AE,Diversion,2025-02-01\n"
    "watch,Coverage Magnets Ltd,HK,End-use doubts,2025-02-02\n"
)


CASES = {
    "client_create": AuditCase(
        call=lambda fx, _: Expect(
            "client.create",
            make_client(fx("producer")),
            actor=fx("producer"),
            changes=("legal_name", "country", "screening"),
        )
    ),
    "client_update": AuditCase(
        setup=lambda fx: make_client(fx("producer")),
        call=lambda fx, client: Expect(
            "client.update",
            services.client_update(
                actor=fx("producer"), client=client, data=client_data(address="Domstraße 1, Köln")
            ),
            actor=fx("producer"),
            changes=("address", "screening"),
        ),
    ),
    "client_archive": AuditCase(
        setup=lambda fx: make_client(fx("producer")),
        call=lambda fx, client: Expect(
            "client.archive",
            services.client_archive(actor=fx("producer"), client=client),
            actor=fx("producer"),
        ),
    ),
    "client_screen": AuditCase(
        setup=_listed_client,
        call=lambda fx, state: Expect(
            "client.screen",
            services.client_screen(state[0], actor=fx("reviewer"), reason="coverage") and state[0],
            actor=fx("reviewer"),
            changes=("reason", "new_hits"),
        ),
    ),
    "clients_rescreen": AuditCase(
        setup=_listed_client,
        call=lambda fx, state: Expect(
            "clients.rescreen",
            None if services.clients_rescreen(entry_ids=[state[1].pk]).created else "no hit",
            actor_label="clients.rescreen_after_list_change",
            changes=("list_entries", "new_hits"),
        ),
        in_request=False,
    ),
    "entity_merge": AuditCase(
        setup=_merge_pair,
        call=lambda fx, pair: Expect(
            "entity.merge",
            services.entity_merge(
                actor=fx("reviewer"),
                source=pair[1].entity,
                target=pair[0].entity,
                reason="Same corporate number",
            ),
            actor=fx("reviewer"),
            changes=("from", "clients", "reason"),
        ),
    ),
    "entity_split": AuditCase(
        setup=_split_pair,
        call=lambda fx, client: Expect(
            "entity.split",
            client.entity
            if services.entity_split(
                actor=fx("reviewer"), entity=client.entity, client=client, reason="Wrong merge"
            )
            else None,
            actor=fx("reviewer"),
            changes=("client", "new_entity", "reason"),
        ),
    ),
    "hit_decide": AuditCase(
        setup=_hit,
        call=lambda fx, hit: Expect(
            "screening_hit.dismiss",
            services.hit_decide(
                actor=fx("reviewer"), hit=hit, action="dismiss", reason="Another firm"
            ),
            actor=fx("reviewer"),
            changes=("status", "reason"),
        ),
    ),
    "list_entry_create": AuditCase(
        call=lambda fx, _: Expect(
            "list_entry.create",
            services.list_entry_create(actor=fx("administrator"), data=_entry_data()),
            actor=fx("administrator"),
            changes=("kind", "name", "reason"),
        )
    ),
    "list_entry_update": AuditCase(
        setup=lambda fx: make_entry("Coverage Trading FZE", country="AE"),
        call=lambda fx, entry: Expect(
            "list_entry.update",
            services.list_entry_update(
                actor=fx("administrator"), entry=entry, data=_entry_data(delisted_on="2026-01-01")
            ),
            actor=fx("administrator"),
            changes=("delisted_on",),
        ),
    ),
    "list_import_csv": AuditCase(
        call=lambda fx, _: Expect(
            "list_entry.import",
            None
            if services.list_import_csv(actor=fx("administrator"), content=CSV, filename="l.csv")
            else "rejected",
            actor=fx("administrator"),
            changes=("file", "sha256", "rows"),
        )
    ),
}

NOT_WRITES = {
    "clean_country": "validates a country code for a form; pure, writes nothing",
    "clean_text_list": "splits form text into a list; pure, writes nothing",
    "clean_list_entry": "validates a list entry's fields; pure, writes nothing",
    "list_import_validate": "reads and checks a list CSV (the preview); writes nothing",
    "link_entity": (
        "a step of client_create / client_update inside their transaction; the caller's one "
        "event records the client it links"
    ),
}
