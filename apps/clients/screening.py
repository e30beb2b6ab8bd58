"""Screening parties and client records against the control and watch lists.

Two steps: the database fetches candidates (PostgreSQL: pg_trgm GIN indexes over the normalised
names, one query for a whole batch of parties; SQLite, the embedded default: a LIKE filter on word
fragments, slower but still correct), then rapidfuzz scores only those candidates in Python.

`screen_parties` answers for any parties (an application's parties, a transaction's client) and
writes nothing. `record_hits` screens client records, follows ownership (a firm 50 % or more
owned by a listed party is listed; the rule applies link by link up the parent chain, as the
OFAC 50 % rule does) and records hits, keeping a reviewer's decision while the data it was made on
(fingerprint of the client, its owners and the list entry) is unchanged.
"""

import hashlib
import json
from collections import defaultdict
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from decimal import Decimal

from django.db import connection, transaction
from django.db.models import Q
from django.utils import timezone

from apps.clients.matching import HIT_THRESHOLD, Party, score_party, search_key
from apps.clients.models import (
    Client,
    ListEntry,
    ListEntryTerm,
    ScreeningHit,
    ScreeningStatus,
)

CANDIDATES_PER_NAME = 25
# pg_trgm similarity a search key needs to become a candidate. The scores that make a hit (rapidfuzz
# >= 88 on the full name) sit well above it: a typo in a 9-letter name still shares ~0.75 of its
# trigrams. Raising it from pg_trgm's default 0.3 halves the index work on a 100,000-entry list.
TRIGRAM_THRESHOLD = 0.45
OWNERSHIP_CONTROL_PCT = Decimal("50")
MAX_CHAIN_DEPTH = 10


@dataclass
class Match:
    """One list entry that a party matches, with the evidence a reviewer needs."""

    entry_id: int
    entry_kind: str
    entry_name: str
    score: int
    matched_fields: dict
    basis: str = ScreeningHit.Basis.NAME
    owner_fingerprint: str = ""
    entry_fingerprint: str = ""


# -- candidates ------------------------------------------------------------------------------


def _candidate_ids_postgres(parties: Sequence[Party]) -> dict[int, set[int]]:
    """{party index: entry ids}: one query for all names, one for all identifiers."""
    found: dict[int, set[int]] = defaultdict(set)
    name_rows = sorted(
        {(i, search_key(name)) for i, p in enumerate(parties) for name in p.normalised_names}
    )
    id_rows = [(i, ident) for i, p in enumerate(parties) for ident in p.normalised_identifiers]
    with transaction.atomic(), connection.cursor() as cursor:
        cursor.execute(
            "SELECT set_config('pg_trgm.similarity_threshold', %s, true)",
            [str(TRIGRAM_THRESHOLD)],
        )
        if name_rows:
            values = ", ".join(["(%s, %s)"] * len(name_rows))
            cursor.execute(
                f"""
                WITH q(idx, key) AS (VALUES {values})
                SELECT q.idx, c.entry_id FROM q
                CROSS JOIN LATERAL (
                    SELECT t.entry_id FROM clients_listentryterm t
                    WHERE t.kind = 'name' AND t.key %% q.key
                    ORDER BY similarity(t.key, q.key) DESC
                    LIMIT {CANDIDATES_PER_NAME}
                ) c
                """,  # noqa: S608 # nosec B608 - only placeholders and an int constant
                [v for row in name_rows for v in row],
            )
            for idx, entry_id in cursor.fetchall():
                found[idx].add(entry_id)
        if id_rows:
            values = ", ".join(["(%s, %s)"] * len(id_rows))
            cursor.execute(
                f"""
                WITH q(idx, ident) AS (VALUES {values})
                SELECT q.idx, t.entry_id FROM q
                JOIN clients_listentryterm t ON t.kind = 'id' AND t.value = q.ident
                """,  # noqa: S608 # nosec B608 - only placeholders are interpolated
                [v for row in id_rows for v in row],
            )
            for idx, entry_id in cursor.fetchall():
                found[idx].add(entry_id)
    return found


def _fragments(name: str) -> set[str]:
    """Word fragments that survive a typo in either half of a word (for the LIKE fallback)."""
    parts = set()
    for word in name.split():
        if len(word) <= 3:
            parts.add(word)
        else:
            parts.update({word[:3], word[-3:]})
    return parts


def _candidate_ids_fallback(parties: Sequence[Party]) -> dict[int, set[int]]:
    """Without pg_trgm: entries sharing a word fragment or an identifier; scoring decides."""
    found: dict[int, set[int]] = defaultdict(set)
    for i, party in enumerate(parties):
        condition = Q()
        for name in party.normalised_names:
            for fragment in _fragments(name):
                condition |= Q(kind=ListEntryTerm.Kind.NAME, value__contains=fragment)
            condition |= Q(kind=ListEntryTerm.Kind.NAME, key=search_key(name))
        idents = party.normalised_identifiers
        if idents:
            condition |= Q(kind=ListEntryTerm.Kind.IDENTIFIER, value__in=idents)
        if condition:
            found[i].update(
                ListEntryTerm.objects.filter(condition).values_list("entry_id", flat=True)
            )
    return found


def candidate_ids(parties: Sequence[Party]) -> dict[int, set[int]]:
    if connection.vendor == "postgresql":
        return _candidate_ids_postgres(parties)
    return _candidate_ids_fallback(parties)


# -- scoring ---------------------------------------------------------------------------------


def entry_fingerprint(entry: ListEntry) -> str:
    """Everything about a list entry that a reviewer's decision depends on."""
    return _digest(
        [
            entry.kind,
            entry.name,
            sorted(entry.aliases or []),
            str(entry.country or ""),
            sorted(entry.identifiers or []),
            str(entry.listed_on),
            str(entry.delisted_on or ""),
        ]
    )


def _digest(value) -> str:
    return hashlib.sha256(json.dumps(value, sort_keys=True, default=str).encode()).hexdigest()


def _load_entries(entry_ids: Iterable[int], today) -> dict[int, tuple[ListEntry, list, set]]:
    """In-force entries with their normalised names and identifiers: two queries."""
    entries = {
        e.pk: e
        for e in ListEntry.objects.filter(pk__in=set(entry_ids), listed_on__lte=today).filter(
            Q(delisted_on__isnull=True) | Q(delisted_on__gt=today)
        )
    }
    names: dict[int, list[str]] = defaultdict(list)
    idents: dict[int, set[str]] = defaultdict(set)
    for entry_id, kind, value in ListEntryTerm.objects.filter(entry_id__in=entries).values_list(
        "entry_id", "kind", "value"
    ):
        if kind == ListEntryTerm.Kind.NAME:
            names[entry_id].append(value)
        else:
            idents[entry_id].add(value)
    return {pk: (e, names[pk], idents[pk]) for pk, e in entries.items()}


def screen_parties(parties: Sequence[Party], *, today=None) -> list[list[Match]]:
    """The list entries each party matches (score >= threshold), best first. Writes nothing.

    Licensing and transactions call this for the parties they hold; the query count does not
    grow with the number of parties (three queries on PostgreSQL).
    """
    today = today or timezone.localdate()
    candidates = candidate_ids(parties)
    entries = _load_entries({eid for ids in candidates.values() for eid in ids}, today)
    results: list[list[Match]] = []
    for i, party in enumerate(parties):
        matches = []
        for entry_id in candidates.get(i, ()):
            if entry_id not in entries:
                continue
            entry, names, idents = entries[entry_id]
            scored = score_party(party, names, str(entry.country or ""), idents)
            if scored.score >= HIT_THRESHOLD:
                matches.append(
                    Match(
                        entry_id=entry.pk,
                        entry_kind=entry.kind,
                        entry_name=entry.name,
                        score=scored.score,
                        matched_fields=scored.matched_fields,
                        entry_fingerprint=entry_fingerprint(entry),
                    )
                )
        matches.sort(key=lambda m: (-m.score, m.entry_id))
        results.append(matches)
    return results


# -- client records --------------------------------------------------------------------------


def party_for_client(client: Client) -> Party:
    names = (client.legal_name, client.native_name, *(client.aliases or []))
    idents = (client.registration_number,) if client.registration_number else ()
    return Party(
        names=tuple(n for n in names if n),
        country=str(client.country or ""),
        identifiers=idents,
        key=client.pk,
    )


def client_fingerprint(client: Client) -> str:
    """Everything about a client record that screening looks at."""
    return _digest(
        [
            client.legal_name,
            client.native_name,
            sorted(client.aliases or []),
            str(client.country or ""),
            client.reg_norm,
        ]
    )


def _controlling_chains(clients: Sequence[Client]) -> dict[int, list[Client]]:
    """{client id: owners that control it, nearest first}; one query per level of the tree."""
    known: dict[int, Client] = {c.pk: c for c in clients}
    frontier = {c.parent_id for c in clients if c.parent_id} - set(known)
    depth = 0
    while frontier and depth < MAX_CHAIN_DEPTH:
        for parent in Client.objects.filter(pk__in=frontier):
            known[parent.pk] = parent
        frontier = {known[pk].parent_id for pk in frontier if pk in known} - {None} - set(known)
        depth += 1
    chains: dict[int, list[Client]] = {}
    for client in clients:
        chain, current, seen = [], client, {client.pk}
        while (
            current.parent_id
            and current.parent_id in known
            and current.parent_id not in seen
            and current.ownership_pct is not None
            and current.ownership_pct >= OWNERSHIP_CONTROL_PCT
        ):
            seen.add(current.parent_id)
            current = known[current.parent_id]
            chain.append(current)
        chains[client.pk] = chain
    return chains


def _client_matches(clients: Sequence[Client], today) -> dict[int, dict[int, Match]]:
    """{client id: {entry id: best match}}, direct and through controlling owners."""
    chains = _controlling_chains(clients)
    owners = {o.pk: o for chain in chains.values() for o in chain}
    everyone = {c.pk: c for c in clients} | owners
    order = list(everyone.values())
    direct = dict(
        zip(
            [c.pk for c in order],
            screen_parties([party_for_client(c) for c in order], today=today),
            strict=True,
        )
    )
    result: dict[int, dict[int, Match]] = {}
    for client in clients:
        best: dict[int, Match] = {m.entry_id: m for m in direct[client.pk]}
        path: list[dict] = []
        owned_part = []
        link = client
        for owner in chains[client.pk]:
            path.append({"id": owner.pk, "name": owner.legal_name, "pct": str(link.ownership_pct)})
            owned_part.append([client_fingerprint(owner), str(link.ownership_pct)])
            link = owner
            for m in direct[owner.pk]:
                if m.entry_id in best and best[m.entry_id].score >= m.score:
                    continue
                best[m.entry_id] = Match(
                    entry_id=m.entry_id,
                    entry_kind=m.entry_kind,
                    entry_name=m.entry_name,
                    score=m.score,
                    matched_fields={"ownership": list(path), "owner_match": m.matched_fields},
                    basis=ScreeningHit.Basis.OWNERSHIP,
                    owner_fingerprint=_digest(owned_part),
                    entry_fingerprint=m.entry_fingerprint,
                )
        result[client.pk] = best
    return result


@dataclass
class ScreeningOutcome:
    screened: int = 0
    created: int = 0
    reopened: int = 0
    lapsed: int = 0


def _hit_fingerprint(client: Client, match: Match) -> str:
    return _digest(
        [client_fingerprint(client), match.owner_fingerprint, match.entry_fingerprint, match.basis]
    )


@transaction.atomic
def record_hits(clients: Sequence[Client], *, today=None) -> ScreeningOutcome:
    """Screen client records and bring their hits and screening status up to date.

    Idempotent: the same data screened twice changes nothing. A confirmed or dismissed hit keeps its
    decision while its fingerprint is unchanged; a changed client, owner chain or list entry reopens
    it. A hit that no longer matches lapses, except a confirmed one whose entry is still in force
    (a reviewer's confirmation is not undone by a spelling change).
    """
    today = today or timezone.localdate()
    outcome = ScreeningOutcome(screened=len(clients))
    if not clients:
        return outcome
    matches = _client_matches(clients, today)
    by_id = {c.pk: c for c in clients}
    existing = {
        (h.client_id, h.list_entry_id): h
        for h in ScreeningHit.objects.filter(client_id__in=by_id).select_related("list_entry")
    }
    now = timezone.now()
    to_create, to_update = [], []
    for client_id, found in matches.items():
        client = by_id[client_id]
        for entry_id, match in found.items():
            fingerprint = _hit_fingerprint(client, match)
            hit = existing.get((client_id, entry_id))
            if hit is None:
                to_create.append(
                    ScreeningHit(
                        client_id=client_id,
                        list_entry_id=entry_id,
                        basis=match.basis,
                        score=match.score,
                        matched_fields=match.matched_fields,
                        fingerprint=fingerprint,
                        created_at=now,
                        updated_at=now,
                    )
                )
                outcome.created += 1
                continue
            if hit.fingerprint == fingerprint and hit.status != ScreeningHit.Status.LAPSED:
                continue
            if hit.status != ScreeningHit.Status.OPEN:
                outcome.reopened += 1
            hit.status = ScreeningHit.Status.OPEN
            hit.basis, hit.score = match.basis, match.score
            hit.matched_fields = match.matched_fields
            hit.fingerprint, hit.updated_at = fingerprint, now
            hit.decided_by, hit.decided_at, hit.reason = None, None, ""
            to_update.append(hit)
    for (client_id, entry_id), hit in existing.items():
        if entry_id in matches.get(client_id, {}) or hit.status == ScreeningHit.Status.LAPSED:
            continue
        if hit.status == ScreeningHit.Status.CONFIRMED and hit.list_entry.is_in_force(today):
            continue
        hit.status, hit.updated_at = ScreeningHit.Status.LAPSED, now
        to_update.append(hit)
        outcome.lapsed += 1
    if to_create:
        ScreeningHit.objects.bulk_create(to_create, batch_size=500)
    if to_update:
        ScreeningHit.objects.bulk_update(
            to_update,
            [
                "status",
                "basis",
                "score",
                "matched_fields",
                "fingerprint",
                "decided_by",
                "decided_at",
                "reason",
                "updated_at",
            ],
            batch_size=500,
        )
    refresh_status(by_id.keys(), screened_at=now)
    return outcome


def refresh_status(client_ids: Iterable[int], *, screened_at=None) -> None:
    """Set each client's screening status from its hits (two queries for any number of clients)."""
    ids = list(client_ids)
    rows = ScreeningHit.objects.filter(
        client_id__in=ids,
        status__in=[ScreeningHit.Status.OPEN, ScreeningHit.Status.CONFIRMED],
    ).values_list("client_id", "status", "list_entry__kind")
    status: dict[int, str] = dict.fromkeys(ids, ScreeningStatus.CLEAR)
    rank = {
        ScreeningStatus.CLEAR: 0,
        ScreeningStatus.REVIEW: 1,
        ScreeningStatus.WATCH: 2,
        ScreeningStatus.CONTROL: 3,
    }
    for client_id, hit_status, kind in rows:
        if hit_status == ScreeningHit.Status.CONFIRMED:
            value = ScreeningStatus.CONTROL if kind == "control" else ScreeningStatus.WATCH
        else:
            value = ScreeningStatus.REVIEW
        if rank[value] > rank[status[client_id]]:
            status[client_id] = value
    clients = [
        Client(pk=pk, screening_status=value, screened_at=screened_at)
        for pk, value in status.items()
    ]
    fields = ["screening_status"] + (["screened_at"] if screened_at else [])
    Client.objects.bulk_update(clients, fields, batch_size=1000)
