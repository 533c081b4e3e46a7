"""Marking the query's words in what results show, the same for both databases."""

import functools
import html
import re
import unicodedata

from django.utils.safestring import mark_safe

from ..models import CATALOGUE_LANGUAGE, LocalText
from .entries import body_of


class _FoldTable(dict):
    """str.translate table: each character to its case- and accent-folded form, on demand."""

    def __missing__(self, code):
        char = chr(code)
        base = "".join(
            c for c in unicodedata.normalize("NFD", char) if not unicodedata.combining(c)
        )
        folded = self[code] = base.casefold()
        return folded


_FOLD = _FoldTable()


def _fold(text):
    """Accent- and case-folded text, and for each folded character its index in the text."""
    folded = text.translate(_FOLD)
    if len(folded) == len(text):  # one character for one: the usual case
        return folded, range(len(text))
    positions = []
    for index, char in enumerate(text):
        positions.extend([index] * len(char.translate(_FOLD)))
    return folded, positions


@functools.lru_cache(maxsize=256)  # a page marks the same words in every result
def _pattern(words):
    words = sorted({_fold(word)[0] for word in words}, key=len, reverse=True)
    return re.compile(r"(?<![^\W_])(?:{})(?![^\W_])".format("|".join(map(re.escape, words))))


def _spans(text, query):
    if not query or not text:
        return []
    folded, positions = _fold(text)
    spans = []
    for match in _pattern(tuple(query.words)).finditer(folded):
        start = positions[match.start()]
        end = positions[match.end() - 1] + 1
        spans.append((start, end))
    return spans


def highlight(text, query):
    """The text, escaped, with the query's words marked."""
    text = text or ""
    out, last = [], 0
    for start, end in _spans(text, query):
        out.append(html.escape(text[last:start]))
        out.append(f"<mark>{html.escape(text[start:end])}</mark>")
        last = end
    out.append(html.escape(text[last:]))
    return mark_safe("".join(out))


def snippet(text, query, width=220):
    """A passage around the first hit, escaped and marked; the opening when nothing matches."""
    text = " ".join((text or "").split())
    return _cut(text, _spans(text, query), query, width)


def _cut(text, spans, query, width=220):
    """`snippet` of a text already folded into single spaces, with its spans found."""
    if not spans:
        cut = text[:width]
        return highlight(cut + ("…" if len(text) > width else ""), query)
    start = max(0, spans[0][0] - width // 3)
    if start:
        start = text.find(" ", start) + 1 or start
    passage = text[start : start + width]
    prefix = "…" if start else ""
    suffix = "…" if start + width < len(text) else ""
    return highlight(prefix + passage + suffix, query)


def passage(record, query, shown=None):
    """The snippet a result shows, marked, with its language: from the record's text in the
    reader's language, or else from the first text the query's words are found in. `shown`:
    the record's `localized()`, where the caller has it."""
    shown = (shown or record.localized()).text
    candidates = [LocalText(body_of(record), CATALOGUE_LANGUAGE)]
    candidates += [
        LocalText(translation.text, translation.language.tag)
        for translation in record.translations.all()
    ]
    if shown.language != CATALOGUE_LANGUAGE:
        candidates.insert(0, shown)
    first = None
    for candidate in candidates:
        text = " ".join((candidate.value or "").split())
        spans = _spans(text, query)
        if spans:
            return LocalText(_cut(text, spans, query), candidate.language)
        first = first or (text, candidate.language)
    return LocalText(_cut(first[0], [], query), first[1])
