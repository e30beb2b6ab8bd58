"""Name normalisation and match scoring: pure functions, no database.

Screening compares names written by different people in different scripts. Every name is brought
to one comparable form first: company legal-form words removed (Ltd, GmbH, 株式会社, 有限公司 ...),
Chinese characters spelled in pinyin, every other script transliterated to ASCII (Unidecode),
lower case, punctuation gone. Scores are 0-100 integers; country and registration number move a
name score up or down, because a same-named firm in another country is usually another firm.
"""

import re
import unicodedata
from dataclasses import dataclass, field

from pypinyin import lazy_pinyin
from rapidfuzz import fuzz
from unidecode import unidecode

# A name at or above this score is a hit for a reviewer to look at.
HIT_THRESHOLD = 88
# Two client records of different producers are one real-world entity at or above this score.
ENTITY_THRESHOLD = 92

COUNTRY_AGREES = 3
COUNTRY_DIFFERS = -15
IDENTIFIER_AGREES_FLOOR = 95
IDENTIFIER_DIFFERS = -10

# Legal forms written in Chinese or Japanese: removed wherever they stand (株式会社 may lead).
_CJK_LEGAL_FORMS = sorted(
    [
        "股份有限公司",
        "有限责任公司",
        "有限責任公司",
        "有限公司",
        "株式会社",
        "有限会社",
        "合同会社",
        "(株)",
        "集团公司",
        "公司",
        "주식회사",
        "(주)",
        "㈜",
    ],
    key=len,
    reverse=True,
)
# Latin legal-form tokens that never carry a firm's identity: removed wherever they stand.
_LEGAL_ANYWHERE = {
    "ltd",
    "limited",
    "gmbh",
    "llc",
    "inc",
    "incorporated",
    "corp",
    "corporation",
    "plc",
    "kk",
    "bhd",
    "sdn",
    "pte",
    "pty",
    "sarl",
    "sprl",
    "bvba",
    "ooo",
    "zao",
    "oao",
    "pao",
    "jsc",
    "ojsc",
    "cjsc",
    "gmbhco",
    "mbh",
    "srl",
    "spa",
    "sas",
    "kabushiki",
    "kaisha",
    "yugen",
    "godo",
    "youxian",
    "gongsi",
    "zerenyouxian",
}
# Short tokens that are legal forms only at the end of a name ("Co", "AG", "SA"...).
_LEGAL_TRAILING = {
    "co",
    "company",
    "ag",
    "sa",
    "se",
    "nv",
    "bv",
    "ab",
    "as",
    "asa",
    "oy",
    "oyj",
    "kg",
    "kgaa",
    "lp",
    "llp",
    "spol",
    "sro",
    "cv",
    "de",
    "the",
}
_NOISE = {"and", "the", "&"}
_CJK = re.compile(r"[\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff]")
_NOT_WORD = re.compile(r"[^a-z0-9]+")
_ID_NOISE = re.compile(r"[^A-Z0-9]")


def transliterate(text: str) -> str:
    """Latin letters for any script: Chinese via pinyin (one word a syllable), others Unidecode."""
    text = unicodedata.normalize("NFKC", text or "")
    for form in _CJK_LEGAL_FORMS:
        text = text.replace(form, " ")
    if _CJK.search(text):
        text = " ".join(part.strip() for part in lazy_pinyin(text) if part.strip())
    return unidecode(text)


def tokens(name: str) -> list[str]:
    """The identity-bearing words of a name, in their written order."""
    text = transliterate(name).lower().replace(".", "").replace("'", "")
    words = [w for w in _NOT_WORD.split(text) if w and w not in _NOISE]
    words = [w for w in words if w not in _LEGAL_ANYWHERE]
    while len(words) > 1 and words[-1] in _LEGAL_TRAILING:
        words.pop()
    return words


def normalise_name(name: str) -> str:
    """The comparable form of a name: 'Müller Magnet GmbH & Co. KG' -> 'muller magnet'."""
    return " ".join(tokens(name))


def compact(normalised: str) -> str:
    """Without spaces, so 'bei fang xi tu' (pinyin syllables) meets 'beifang xitu'."""
    return normalised.replace(" ", "")


def normalise_identifier(value: str) -> str:
    """Registration numbers compare without spaces, dashes, dots and case."""
    return _ID_NOISE.sub("", unicodedata.normalize("NFKC", value or "").upper())


def name_similarity(a: str, b: str) -> int:
    """Similarity of two normalised names, 0-100.

    token_sort absorbs word order, the compact ratio absorbs pinyin written with or without syllable
    breaks, and token_set lets a name that is a strict multi-word subset of the other score high
    ("rostec aviation" within "rostec aviation holding"), but never a single shared word ("sun" in
    "sun electronics") and never two names that merely share their first word.
    """
    if not a or not b:
        return 0
    best = max(fuzz.token_sort_ratio(a, b), fuzz.ratio(compact(a), compact(b)))
    words_a, words_b = set(a.split()), set(b.split())
    shorter = words_a if len(words_a) <= len(words_b) else words_b
    if len(shorter) >= 2 and shorter <= (words_a & words_b):
        best = max(best, fuzz.token_set_ratio(a, b) - 5)
    return round(best)


@dataclass(frozen=True)
class Party:
    """What screening needs to know of a party (a client record or an application's party)."""

    names: tuple[str, ...]
    country: str = ""
    identifiers: tuple[str, ...] = ()
    key: object = None

    @property
    def normalised_names(self) -> tuple[str, ...]:
        seen: dict[str, None] = {}
        for name in self.names:
            norm = normalise_name(name)
            if norm:
                seen[norm] = None
        return tuple(seen)

    @property
    def normalised_identifiers(self) -> frozenset[str]:
        return frozenset(i for i in (normalise_identifier(x) for x in self.identifiers) if i)


@dataclass
class Score:
    score: int
    name_score: int
    matched_name: str = ""
    against_name: str = ""
    matched_fields: dict = field(default_factory=dict)


def score_party(
    party: Party,
    entry_names: list[str],
    entry_country: str,
    entry_identifiers: set[str] | frozenset[str],
) -> Score:
    """Score one party against one list entry's normalised names, country and identifiers."""
    best = Score(score=0, name_score=0)
    for own in party.normalised_names:
        for other in entry_names:
            similarity = name_similarity(own, other)
            if similarity > best.name_score:
                best = Score(score=0, name_score=similarity, matched_name=own, against_name=other)
    fields: dict = {"name": {"score": best.name_score, "party": best.matched_name}}
    fields["name"]["entry"] = best.against_name
    score = best.name_score
    if party.country and entry_country:
        if party.country.upper() == entry_country.upper():
            score += COUNTRY_AGREES
            fields["country"] = "same"
        else:
            score += COUNTRY_DIFFERS
            fields["country"] = "different"
    own_ids = party.normalised_identifiers
    if own_ids and entry_identifiers:
        shared = sorted(own_ids & set(entry_identifiers))
        if shared:
            score = max(score, IDENTIFIER_AGREES_FLOOR) + 5
            fields["identifier"] = shared
        else:
            score += IDENTIFIER_DIFFERS
            fields["identifier"] = "different"
    best.score = max(0, min(100, score))
    best.matched_fields = fields
    return best
