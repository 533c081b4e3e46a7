"""What a visitor typed, as terms the database can only read as words and phrases."""

import re
import unicodedata
from dataclasses import dataclass

MAX_QUERY_LENGTH = 300
MAX_TERMS = 12
TERM = re.compile(r'"([^"]*)"?|([^\s"]+)')
WORD = re.compile(r"[^\W_]+")
CONTROL = re.compile(r"[\x00-\x1f\x7f]")


@dataclass(frozen=True)
class Query:
    """A search as the database will see it: terms, each a word or a phrase of words."""

    terms: tuple[tuple[str, ...], ...]

    def __bool__(self):
        return bool(self.terms)

    @property
    def words(self):
        return [word for term in self.terms for word in term]


def parse(text):
    """Turn what a visitor typed into a Query: quoted phrases, and words that must all match."""
    text = unicodedata.normalize("NFKC", CONTROL.sub(" ", str(text or "")))[:MAX_QUERY_LENGTH]
    terms = []
    for phrase, bare in TERM.findall(text):
        if phrase:
            candidates = [tuple(WORD.findall(phrase))]
        else:
            candidates = [(word,) for word in WORD.findall(bare)]
        for term in candidates:
            term = tuple(word.lower() for word in term)
            if term and term not in terms:
                terms.append(term)
    return Query(tuple(terms[:MAX_TERMS]))
