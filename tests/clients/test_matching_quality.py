# ruff: noqa: RUF001 - Cyrillic letters that look Latin are the point of these tests
"""Matching quality on tricky pairs, measured through the real screening (database candidates).

Each pair is (client as a producer wrote it, listed party as the authority wrote it, should match).
Precision and recall are asserted over the whole table, and every must-not-match near miss is
asserted on its own: a false hit costs a reviewer's time, a missed one an export to a listed party.
"""

import pytest

from apps.clients.matching import Party, name_similarity, normalise_name
from apps.clients.screening import screen_parties
from tests.clients.factories import make_entry

# (client names, client country, client registration no., entry name, entry aliases,
#  entry country, entry identifiers, should match, what it tests)
PAIRS = [
    # transliteration: Chinese, Cyrillic, Japanese kana, accents
    (
        ["北方稀土有限公司"],
        "CN",
        "",
        "Beifang Xitu Co., Ltd.",
        [],
        "CN",
        [],
        True,
        "chinese->pinyin",
    ),
    (
        ["Zhongke Sanhuan Gaoji"],
        "CN",
        "",
        "中科三环高技股份有限公司",
        [],
        "CN",
        [],
        True,
        "pinyin<-chinese",
    ),
    (["Зенит Электроника ООО"], "RU", "", "Zenit Elektronika LLC", [], "RU", [], True, "cyrillic"),
    (
        ["Nordstern Elektronmash"],
        "RU",
        "",
        "Нордстерн Электронмаш АО",
        [],
        "RU",
        [],
        True,
        "cyrillic entry",
    ),
    (["トヨミ精機株式会社"], "JP", "", "Toyomi Jing Ji", [], "JP", [], True, "kana+kanji"),
    (
        ["Müller Präzisionsteile GmbH"],
        "DE",
        "",
        "Muller Prazisionsteile",
        [],
        "DE",
        [],
        True,
        "umlauts",
    ),
    (["Škoda Dílny s.r.o."], "CZ", "", "Skoda Dilny", [], "CZ", [], True, "diacritics"),
    # company suffixes, in every position and spelling
    (
        ["Hoshino Seimitsu K.K."],
        "JP",
        "",
        "Kabushiki Kaisha Hoshino Seimitsu",
        [],
        "JP",
        [],
        True,
        "kk",
    ),
    (["Iberia Motores S.A."], "ES", "", "Iberia Motores", [], "ES", [], True, "s.a."),
    (
        ["Volta Drive Systems Inc."],
        "US",
        "",
        "Volta Drive Systems Corporation",
        [],
        "US",
        [],
        True,
        "inc/corp",
    ),
    (
        ["Rheinfeld Antriebe AG"],
        "DE",
        "",
        "Rheinfeld Antriebe GmbH & Co. KG",
        [],
        "DE",
        [],
        True,
        "ag/kg",
    ),
    (["Hanbit Semicon Co., Ltd."], "KR", "", "Hanbit Semicon", [], "KR", [], True, "co ltd"),
    (
        ["Pacific Rim Magnetics Pte. Ltd."],
        "SG",
        "",
        "Pacific Rim Magnetics Limited",
        [],
        "SG",
        [],
        True,
        "pte",
    ),
    # word order
    (["Motor Parts Volkswagen"], "DE", "", "Volkswagen Motor Parts", [], "DE", [], True, "order"),
    (
        ["Systems Advanced Magnet"],
        "US",
        "",
        "Advanced Magnet Systems LLC",
        [],
        "US",
        [],
        True,
        "order+suffix",
    ),
    # typos
    (
        ["Sonenberg Automotive"],
        "DE",
        "",
        "Sonnenberg Automotive AG",
        [],
        "DE",
        [],
        True,
        "double letter",
    ),
    (["Kitakami Electornics"], "JP", "", "Kitakami Electronics", [], "JP", [], True, "swap"),
    (["Arcadia Semicondutor"], "US", "", "Arcadia Semiconductor Inc", [], "US", [], True, "drop"),
    # aliases and identifiers
    (
        ["Blue Harbor Holdings"],
        "AE",
        "",
        "Dalian Trading FZE",
        ["Blue Harbour Holdings"],
        "AE",
        [],
        True,
        "alias",
    ),
    (
        ["Completely Renamed GmbH"],
        "DE",
        "HRB 12345",
        "Old Name Handels",
        [],
        "DE",
        ["HRB12345"],
        True,
        "reg no",
    ),
    (["Rostec Aviation"], "RU", "", "Rostec Aviation Holding", [], "RU", [], True, "subset"),
    # near misses that must NOT match
    (
        ["Samsung Heavy Industries"],
        "KR",
        "",
        "Samsung Electronics",
        [],
        "KR",
        [],
        False,
        "same first word",
    ),
    (["Sun Electronics"], "US", "", "Sun", [], "US", [], False, "one shared word"),
    (
        ["Nordic Motor Systems"],
        "SE",
        "",
        "Nordic Magnet Systems",
        [],
        "SE",
        [],
        False,
        "one word differs",
    ),
    (
        ["Shenzhen Bright Star"],
        "CN",
        "",
        "Shenzhen Bright Moon",
        [],
        "CN",
        [],
        False,
        "one word differs 2",
    ),
    (["Alpha Magnetics"], "US", "", "Alpha Robotics", [], "US", [], False, "shared prefix word"),
    (["Kawasaki Tekko"], "JP", "", "Kawasaki Kisen", [], "JP", [], False, "shared family name"),
    (
        ["Volta Drive Systems"],
        "DE",
        "DE999",
        "Volta Drive Systems",
        [],
        "US",
        ["US111"],
        False,
        "namesake",
    ),
    (["Bei Fang Trading"], "CN", "", "Beifang Xitu", [], "CN", [], False, "pinyin near"),
    (
        ["Müller Präzisionsteile"],
        "DE",
        "",
        "Müller Prüfsysteme",
        [],
        "DE",
        [],
        False,
        "common name",
    ),
    (["Hanbit Semicon"], "KR", "", "Hanbit Solar", [], "KR", [], False, "korean namesake"),
]

MIN_PRECISION = 0.95
MIN_RECALL = 0.95


@pytest.fixture
def pair_results(db):
    parties, entry_ids = [], []
    for names, country, reg, entry_name, aliases, e_country, idents, _expected, _label in PAIRS:
        entry = make_entry(entry_name, country=e_country, aliases=aliases, identifiers=idents)
        entry_ids.append(entry.pk)
        parties.append(
            Party(names=tuple(names), country=country, identifiers=(reg,) if reg else ())
        )
    results = screen_parties(parties)
    return [
        entry_id in {m.entry_id for m in matches}
        for entry_id, matches in zip(entry_ids, results, strict=True)
    ]


def test_precision_and_recall_on_tricky_pairs(pair_results):
    # given the table, when each client is screened against all entries, then
    expected = [row[7] for row in PAIRS]
    tp = sum(1 for got, want in zip(pair_results, expected, strict=True) if got and want)
    fp = sum(1 for got, want in zip(pair_results, expected, strict=True) if got and not want)
    fn = sum(1 for got, want in zip(pair_results, expected, strict=True) if not got and want)
    precision = tp / (tp + fp) if tp + fp else 0.0
    recall = tp / (tp + fn) if tp + fn else 0.0
    misses = [row[8] for row, got in zip(PAIRS, pair_results, strict=True) if got != row[7]]
    assert precision >= MIN_PRECISION, (precision, misses)
    assert recall >= MIN_RECALL, (recall, misses)


@pytest.mark.parametrize("index", [i for i, row in enumerate(PAIRS) if not row[7]])
def test_near_miss_is_not_a_hit(pair_results, index):
    assert pair_results[index] is False, PAIRS[index][8]


def test_a_client_only_hits_its_own_entry_not_the_others(pair_results, db):
    # the table's entries share many words; screening one client must not light up the rest
    party = Party(names=("Hanbit Semicon Co., Ltd.",), country="KR")
    (matches,) = screen_parties([party])
    assert [m.entry_name for m in matches] == ["Hanbit Semicon"]


@pytest.mark.parametrize(
    ("raw", "normalised"),
    [
        ("Müller Magnet GmbH & Co. KG", "muller magnet"),
        ("株式会社デンソー", "denso"),
        ("Beifang Xitu Co.,Ltd.", "beifang xitu"),
        ("The Acme Company", "acme"),
        ("S.A.R.L. Lumière", "lumiere"),
    ],
)
def test_normalisation_strips_legal_forms_and_scripts(raw, normalised):
    assert normalise_name(raw) == normalised


def test_pinyin_with_and_without_syllable_breaks_is_the_same_name():
    assert name_similarity(normalise_name("包头稀土"), normalise_name("Baotou Xitu")) == 100
