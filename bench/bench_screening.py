"""Screening benchmark: one client against 100,000 list entries, and 10,000 clients after a change.

Run against its own database (it empties the clients tables there):

    DATABASE_URL=postgres://postgres@127.0.0.1:5432/rt_bench_clients \
    DJANGO_SETTINGS_MODULE=config.settings.test .venv/bin/python bench/bench_screening.py

Prints the median / p95 time to screen one client (candidate search, scoring and recording its
hits) against the full list, and the time and query count per batch of the rescreen task's work.
"""

import os
import random
import statistics
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings.test")

import django

django.setup()

from django.core.management import call_command  # noqa: E402
from django.db import connection  # noqa: E402
from django.test.utils import CaptureQueriesContext  # noqa: E402

from apps.accounts.models import Organisation, User  # noqa: E402
from apps.clients import services  # noqa: E402
from apps.clients.matching import normalise_identifier, normalise_name, search_key  # noqa: E402
from apps.clients.models import Client, ListEntry, ListEntryTerm  # noqa: E402
from apps.clients.screening import record_hits, screen_parties  # noqa: E402

ENTRIES = int(os.environ.get("BENCH_ENTRIES", 100_000))
CLIENTS = int(os.environ.get("BENCH_CLIENTS", 10_000))
BATCH = int(os.environ.get("BENCH_BATCH", 500))
SINGLE_RUNS = int(os.environ.get("BENCH_RUNS", 60))
TARGET_MS = 50

SYLLABLES = [
    "ka",
    "to",
    "mi",
    "ra",
    "shi",
    "no",
    "be",
    "ren",
    "dor",
    "vel",
    "an",
    "tor",
    "gra",
    "mar",
    "sun",
    "lin",
    "hua",
    "xin",
    "bei",
    "fang",
    "zhong",
    "ko",
    "re",
    "ta",
    "mu",
    "sa",
    "ni",
    "po",
    "lo",
    "ve",
    "ga",
    "dra",
    "kon",
    "vol",
    "sk",
    "ev",
    "ard",
    "ing",
    "ton",
    "berg",
    "feld",
    "haus",
    "stein",
]
WORDS = [
    "Trading",
    "Metals",
    "Magnet",
    "Electronics",
    "Semiconductor",
    "Motor",
    "Industrial",
    "Components",
    "Precision",
    "Materials",
    "Systems",
    "Technologies",
    "Aerospace",
    "Logistics",
    "Import",
    "Export",
    "Holding",
    "Works",
    "Energy",
]
SUFFIXES = ["Ltd", "GmbH", "LLC", "Inc.", "Co., Ltd.", "AG", "S.A.", "K.K.", "JSC", "FZE", ""]
COUNTRIES = ["RU", "AE", "HK", "SG", "IR", "KP", "TR", "DE", "US", "JP", "KR", "CN", "BY", "MY"]


def fake_name(rng: random.Random) -> str:
    stem = "".join(rng.choice(SYLLABLES) for _ in range(rng.randint(2, 4))).capitalize()
    words = [stem, *rng.sample(WORDS, rng.randint(1, 2))]
    if rng.random() < 0.3:
        words.insert(0, "".join(rng.choice(SYLLABLES) for _ in range(2)).capitalize())
    return " ".join([*words, rng.choice(SUFFIXES)]).strip()


def reset() -> None:
    with connection.cursor() as cursor:
        cursor.execute(
            "TRUNCATE clients_screeninghit, clients_entitylinkchange, clients_client, "
            "clients_cliententity, clients_listentryterm, clients_listentry CASCADE"
        )


def load_list(rng: random.Random) -> None:
    entries = []
    for _ in range(ENTRIES):
        name = fake_name(rng)
        aliases = [fake_name(rng)] if rng.random() < 0.3 else []
        ident = [f"REG {rng.randint(10**8, 10**9)}"] if rng.random() < 0.5 else []
        entries.append(
            ListEntry(
                kind="control" if rng.random() < 0.6 else "watch",
                name=name,
                aliases=aliases,
                country=rng.choice(COUNTRIES),
                identifiers=ident,
                reason="benchmark",
                listed_on="2024-01-01",
            )
        )
    entries = ListEntry.objects.bulk_create(entries, batch_size=5000)
    terms = []
    for entry in entries:
        for name in [entry.name, *entry.aliases]:
            norm = normalise_name(name)
            terms.append(ListEntryTerm(entry=entry, kind="name", value=norm, key=search_key(norm)))
        for ident in entry.identifiers:
            terms.append(ListEntryTerm(entry=entry, kind="id", value=normalise_identifier(ident)))
    ListEntryTerm.objects.bulk_create(terms, batch_size=10000)
    with connection.cursor() as cursor:
        cursor.execute("ANALYZE clients_listentry; ANALYZE clients_listentryterm")


def load_clients(rng: random.Random, sample_entries: list[str]) -> None:
    organisation, _ = Organisation.objects.get_or_create(
        uscc="91330000MA00BENCH6",
        defaults={"legal_name": "Bench Magnet Co., Ltd.", "address": "-", "province": "Zhejiang"},
    )
    user = User.objects.filter(email="bench@raretrack.test").first() or User.objects.create_user(
        "bench@raretrack.test", None, full_name="Bench"
    )
    clients = []
    for i in range(CLIENTS):
        # one client in 50 resembles a listed party (typo), the rest are ordinary buyers
        name = sample_entries[i % len(sample_entries)] + "x" if i % 50 == 0 else fake_name(rng)
        reg = f"DE{i:09d}"
        clients.append(
            Client(
                organisation=organisation,
                legal_name=name,
                country=rng.choice(["DE", "FR", "JP", "KR", "US", "NL", "IT"]),
                registration_number=reg,
                reg_norm=normalise_identifier(reg),
                sector="automotive",
                roles=["purchaser"],
                name_norm=normalise_name(name),
                created_by=user,
            )
        )
    Client.objects.bulk_create(clients, batch_size=5000)
    with connection.cursor() as cursor:
        cursor.execute("ANALYZE clients_client")


def bench_single() -> list[float]:
    clients = list(Client.objects.order_by("?")[:SINGLE_RUNS])
    record_hits(clients[:3])  # warm caches and connections
    timings = []
    for client in clients:
        start = time.perf_counter()
        record_hits([client])
        timings.append((time.perf_counter() - start) * 1000)
    return timings


def bench_parties_only() -> list[float]:
    from apps.clients.screening import party_for_client

    parties = [party_for_client(c) for c in Client.objects.order_by("?")[:SINGLE_RUNS]]
    timings = []
    for party in parties:
        start = time.perf_counter()
        screen_parties([party])
        timings.append((time.perf_counter() - start) * 1000)
    return timings


def main() -> None:
    name = connection.settings_dict["NAME"]
    if "bench" not in name:
        sys.exit(
            f"bench_screening empties the clients tables: use a database named *bench*, not {name}"
        )
    call_command("check_services")
    call_command("migrate", verbosity=0)
    rng = random.Random(42)
    keep = os.environ.get("BENCH_KEEP") == "1"  # keep the data for another run (tuning)
    if not (keep and ListEntry.objects.count() == ENTRIES):
        reset()
        start = time.perf_counter()
        load_list(rng)
        names = list(ListEntry.objects.order_by("?").values_list("name", flat=True)[:500])
        load_clients(rng, names)
        print(
            f"loaded {ENTRIES:,} list entries and {CLIENTS:,} clients "
            f"in {time.perf_counter() - start:.1f} s"
        )
    try:
        single = bench_single()
        median, p95 = statistics.median(single), sorted(single)[int(len(single) * 0.95) - 1]
        print(
            f"screen one client against {ENTRIES:,} entries (search + score + record): "
            f"median {median:.1f} ms, p95 {p95:.1f} ms "
            f"(target median < {TARGET_MS} ms: {'OK' if median < TARGET_MS else 'MISSED'}, "
            f"ratio {median / TARGET_MS:.2f})"
        )
        parties = bench_parties_only()
        print(
            f"screen_parties, one party (search + score, no writes): "
            f"median {statistics.median(parties):.1f} ms"
        )
        if os.environ.get("BENCH_SKIP_RESCREEN") == "1":
            return

        with CaptureQueriesContext(connection) as queries:
            start = time.perf_counter()
            outcome = services.clients_rescreen(batch_size=BATCH)
            elapsed = time.perf_counter() - start
        batches = -(-outcome.screened // BATCH)
        per_batch = len(queries) / max(batches, 1)
        print(
            f"rescreen after a list change: {outcome.screened:,} clients in {elapsed:.1f} s "
            f"({elapsed / outcome.screened * 1000:.2f} ms/client), {batches} batches of {BATCH}, "
            f"{len(queries)} queries = {per_batch:.1f} queries per batch "
            f"({per_batch / BATCH:.3f} per client); hits created {outcome.created}"
        )
        assert per_batch < 30, "the query count per batch must not grow with the batch size"
    finally:
        if not keep:
            _cleanup()


def _cleanup() -> None:
    reset()
    Organisation.objects.filter(uscc="91330000MA00BENCH6").delete()
    User.objects.filter(email="bench@raretrack.test").delete()


if __name__ == "__main__":
    main()
