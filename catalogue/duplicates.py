"""Suggested duplicates among persons and organizations, best first.

Each name (authorized, other forms, an organization's acronym) gets a key: case and accents
folded, punctuation dropped, words sorted, so "Polay Campos, Víctor" and "Victor Polay Campos"
share one. Two records are suggested when they share an external identifier, a key, when one
name's words are all in the other's (two at least), or when their keys differ by one letter
added, dropped, changed or two swapped. Overlapping dates raise a pair's score; conflicting
ones lower it.

Everything is read in a few queries and compared in memory with blocking (keys looked up in
dictionaries, near spellings among sorted neighbours), never every pair with every pair; the
result is cached until a record, name or identifier changes.
"""

import hashlib
import itertools
import os
import re
import unicodedata
from collections.abc import Sequence
from dataclasses import dataclass
from typing import NamedTuple

from django.core.cache import cache
from django.db.models import Count, Max
from django.utils.translation import gettext_lazy as _

from .models import Organization

# A key shared by more records than this is a common name, not evidence of one entity.
MAX_GROUP = 12
MAX_TOKENS = 6  # names longer than this are not searched for the names within them
NEIGHBOURS = 3  # how many sorted neighbours each key is compared with for near spellings
MIN_FUZZY_LENGTH = 8  # shorter keys differ by one letter too easily
CACHE_SECONDS = 3600

SCORES = {
    "identifier": 100,
    "same_name": 70,
    "same_other_name": 50,
    "name_within": 40,
    "spelling": 35,
}
SAME_DATES, DIFFERENT_DATES = 15, -30
LABELS = {
    "identifier": _("Same external identifier"),
    "same_name": _("Same name"),
    "same_other_name": _("Same name among other forms"),
    "name_within": _("One name within the other"),
    "spelling": _("Names one letter apart"),
    "same_dates": _("Dates agree"),
    "different_dates": _("Dates differ"),
}
EXTRA_REASON = 10  # each further reason beyond the strongest


class _KeyTable(dict):
    """str.translate table, filled on demand: each character case- and accent-folded, and
    punctuation and symbols made spaces."""

    def __missing__(self, code):
        char = chr(code)
        if unicodedata.category(char)[0] in "PSZC":
            folded = " "
        else:
            decomposed = unicodedata.normalize("NFKD", char)
            folded = "".join(c for c in decomposed if not unicodedata.combining(c)).casefold()
        self[code] = folded
        return folded


_KEY_TABLE = _KeyTable()


def name_key(name):
    """The name folded for comparison: "Polay Campos, Víctor" → "campos polay victor"."""
    return " ".join(sorted(name.translate(_KEY_TABLE).split()))


class Pair(NamedTuple):
    a: int
    b: int
    score: int
    reasons: tuple  # (code, detail) pairs, strongest first


class Suggestions(Sequence):
    """Pairs best first, kept as plain tuples, which the cache reads back several times
    faster than objects; each is made a Pair when read."""

    def __init__(self, rows):
        self.rows = rows

    def __len__(self):
        return len(self.rows)

    def __getitem__(self, index):
        if isinstance(index, slice):
            return [Pair(*row) for row in self.rows[index]]
        return Pair(*self.rows[index])


@dataclass(frozen=True)
class Shown:
    """A pair as the admin page shows it, with both records."""

    a: object
    b: object
    score: int
    reasons: tuple

    @property
    def explained(self):
        """[(label, detail)] of each reason, strongest first."""
        return [(LABELS[code], detail) for code, detail in self.reasons]


def _names_model(model):
    field = model._meta.get_field("other_names")
    return field.related_model, field.field.attname


def _identifiers_model(model):
    field = model._meta.get_field("identifiers")
    return field.related_model, field.field.attname


def _fingerprint(model):
    names, _fk = _names_model(model)
    identifiers, _fk = _identifiers_model(model)
    parts = [
        model.objects.aggregate(n=Count("pk"), at=Max("updated_at")),
        names.objects.aggregate(n=Count("pk"), top=Max("pk")),
        identifiers.objects.aggregate(n=Count("pk"), top=Max("pk")),
    ]
    state = ":".join(str(value) for part in parts for value in part.values())
    return f"duplicates:{model.record_type}:{hashlib.sha256(state.encode()).hexdigest()}"


def suggestions(model):
    """Suggestions: the Pairs of likely duplicates among records of `model`, best first."""
    key = _fingerprint(model)
    rows = cache.get(key)
    if rows is None:
        rows = [tuple(pair) for pair in find(model)]
        cache.set(key, rows, CACHE_SECONDS)
    return Suggestions(rows)


def find(model):
    records = {}
    fields = ["pk", "authorized_name", "date_earliest", "date_latest"]
    if model is Organization:
        fields.append("acronym")
    names = []  # (pk, name, authorized)
    for row in model.objects.order_by().values_list(*fields):
        records[row[0]] = (row[2] and row[2].year, row[3] and row[3].year)
        names.append((row[0], row[1], True))
        if model is Organization and row[4]:
            names.append((row[0], row[4], False))
    names_model, names_fk = _names_model(model)
    names += [
        (pk, name, False)
        for pk, name in names_model.objects.order_by().values_list(names_fk, "name")
    ]

    evidence = {}  # (a, b) → {code: detail}

    def note(a, b, code, detail):
        if a != b:
            pair = (a, b) if a < b else (b, a)
            evidence.setdefault(pair, {}).setdefault(code, detail)

    _shared_identifiers(model, note)
    _shared_names(names, note)
    return sorted(
        (_scored(pair, found, records) for pair, found in evidence.items()),
        key=lambda pair: (-pair.score, pair.a, pair.b),
    )


def _shared_identifiers(model, note):
    identifiers, fk = _identifiers_model(model)
    groups = {}
    for pk, scheme, value in identifiers.objects.order_by().values_list(fk, "scheme", "value"):
        groups.setdefault((scheme, value.strip().upper()), set()).add(pk)
    for (scheme, value), pks in groups.items():
        if 1 < len(pks) <= MAX_GROUP:
            label = identifiers.Scheme(scheme).label if scheme in identifiers.Scheme else scheme
            for a, b in itertools.combinations(sorted(pks), 2):
                note(a, b, "identifier", f"{label} {value}")


def _shared_names(names, note):
    by_key = {}  # key → {pk: (name, authorized)}
    for pk, name, authorized in names:
        key = name_key(name)
        if key:
            holders = by_key.setdefault(key, {})
            if pk not in holders or authorized:
                holders[pk] = (name, authorized)
    usable = {key: holders for key, holders in by_key.items() if len(holders) <= MAX_GROUP}

    # The same key.
    for key, holders in usable.items():
        if len(holders) < 2 or (" " not in key and len(key) < 3):
            continue
        for (a, (name_a, auth_a)), (b, (name_b, auth_b)) in itertools.combinations(
            holders.items(), 2
        ):
            code = "same_name" if auth_a and auth_b else "same_other_name"
            note(a, b, code, f"{name_a} / {name_b}")

    # One name's words all within another's, two words at least. Names apart only by a
    # number ("Juzgado Penal", "Juzgado Penal 3") are told apart by it, so never suggested.
    by_words = {}
    for key in usable:
        by_words.setdefault(tuple(key.split()), []).append(key)
    longer = {}  # shorter key → the longer keys it is within
    for words, keys in by_words.items():
        if not 3 <= len(words) <= MAX_TOKENS:
            continue
        parts = {
            part for size in range(2, len(words)) for part in itertools.combinations(words, size)
        }
        for part in parts:
            for shorter in by_words.get(part, ()):
                if not _has_digit(" ".join(set(words) - set(part))):
                    longer.setdefault(shorter, []).extend(keys)
    for shorter, keys in longer.items():
        # "Juan Quispe" is within too many names to say which it is.
        if sum(len(usable[key]) for key in keys) <= MAX_GROUP:
            _between(usable[shorter], [usable[key] for key in keys], "name_within", note)

    # One letter apart, among neighbours in sorted order and in reversed-text order. Keys one
    # edit apart share their first half or else nearly all their second, so the sorted pass
    # compares only keys whose first halves agree, and the reversed pass those whose ends do.
    long_keys = [key for key in usable if len(key) >= MIN_FUZZY_LENGTH and not _has_digit(key)]
    for ordered, forward in ((sorted(long_keys), True), (sorted(long_keys, key=_reversed), False)):
        for index, key in enumerate(ordered):
            for neighbour in ordered[index + 1 : index + 1 + NEIGHBOURS]:
                half = min(len(key), len(neighbour)) // 2
                if forward:
                    agree = key[: half - 1] == neighbour[: half - 1]
                else:
                    agree = key[3 - half :] == neighbour[3 - half :]
                if agree and one_edit_apart(key, neighbour):
                    _between(usable[key], [usable[neighbour]], "spelling", note)


def _reversed(text):
    return text[::-1]


_has_digit = re.compile(r"\d").search


def _between(holders, others, code, note):
    for other in others:
        for a, (name_a, _auth) in holders.items():
            for b, (name_b, _auth_b) in other.items():
                note(a, b, code, f"{name_a} / {name_b}")


def one_edit_apart(a, b):
    """True when `b` is `a` with one letter added, dropped or changed, or two swapped."""
    if a == b or abs(len(a) - len(b)) > 1:
        return False
    p = len(os.path.commonprefix([a, b]))  # noqa: RUF071  (letters, not paths, wanted)
    if len(a) == len(b):
        return a[p + 1 :] == b[p + 1 :] or (
            a[p + 2 :] == b[p + 2 :] and a[p : p + 2] == b[p : p + 2][::-1]
        )
    if len(a) > len(b):
        a, b = b, a
    return a[p:] == b[p + 1 :]


def _dates_agree(first, second):
    """+1 when both have a year at one end and they match, -1 when they conflict, else 0."""
    verdict = 0
    for x, y in zip(first, second, strict=True):
        if x is None or y is None:
            continue
        if abs(x - y) > 2:
            return -1
        if x == y:
            verdict = 1
    return verdict


def _scored(pair, found, records):
    reasons = sorted(found.items(), key=lambda item: -SCORES[item[0]])
    score = SCORES[reasons[0][0]] + EXTRA_REASON * (len(reasons) - 1)
    agree = _dates_agree(records[pair[0]], records[pair[1]])
    if agree > 0:
        score += SAME_DATES
        reasons.append(("same_dates", ""))
    elif agree < 0:
        score += DIFFERENT_DATES
        reasons.append(("different_dates", ""))
    return Pair(pair[0], pair[1], score, tuple(reasons))


def described(model, pairs):
    """[Shown] for a page of pairs, with both records read in one query."""
    pks = {pk for pair in pairs for pk in (pair.a, pair.b)}
    records = model.objects.in_bulk(pks)
    return [
        Shown(records[pair.a], records[pair.b], pair.score, pair.reasons)
        for pair in pairs
        if pair.a in records and pair.b in records
    ]
