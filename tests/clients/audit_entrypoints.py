"""The clients app's task and API writes (see tests/audit/coverage.py)."""

from django.urls import reverse

from apps.clients.models import Client
from tests.audit.coverage import ApiCase, Expect, TaskCase
from tests.clients.audit_cases import _listed_client
from tests.clients.factories import make_client

NEW_CLIENT = {
    "legal_name": "Coverage Motors GmbH",
    "country": "DE",
    "sector": "automotive",
    "roles": ["purchaser", "end_user"],
}

TASK_CASES = {
    "clients.rescreen_after_list_change": TaskCase(
        setup=_listed_client,
        kwargs=lambda fx, state: {"entry_ids": [state[1].pk]},
        expect=lambda fx, state: Expect(
            "clients.rescreen",
            None,  # one event for the sweep: the entries, the hits it opened
            actor_label="task clients.rescreen_after_list_change",
            changes=("list_entries", "new_hits"),
        ),
    ),
}


def _detail(name: str, body: dict, action: str, *changes: str):
    return ApiCase(
        user="producer",
        setup=lambda fx: make_client(fx("producer")),
        call=lambda fx, client: (reverse(name, args=[client.pk]), body),
        expect=lambda fx, client, response: Expect(
            action, client, actor=fx("producer"), changes=changes
        ),
    )


API_CASES = {
    "api:client-list POST": ApiCase(
        user="producer",
        call=lambda fx, _: (reverse("api:client-list"), NEW_CLIENT),
        expect=lambda fx, _, response: Expect(
            "client.create",
            Client.objects.get(pk=response.json()["id"]),
            actor=fx("producer"),
            changes=("legal_name", "country"),
        ),
    ),
    "api:client-detail PUT": _detail(
        "api:client-detail",
        {**NEW_CLIENT, "legal_name": "Renamed Motors GmbH"},
        "client.update",
        "legal_name",
    ),
    "api:client-detail PATCH": _detail(
        "api:client-detail", {"website": "https://example.com"}, "client.update", "website"
    ),
    "api:client-archive POST": _detail("api:client-archive", {}, "client.archive"),
}
