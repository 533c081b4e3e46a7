"""The search page's facets across record types: decade, language and years.

Counted like everything public: each type's matches go through its `.public()` queryset
with the other chosen facets applied, so a count never includes what the public cannot see.
"""

import datetime
from collections import Counter
from dataclasses import dataclass

from django import forms
from django.db.models import Count
from django.utils.translation import gettext as _

from . import search
from .filters import language_names
from .filters.fields import PartialDateField, ends_on_or_after, starts_on_or_before
from .models import Document, Language
from .search.engine.queries import YEAR_FACETS


@dataclass(frozen=True)
class Scope:
    """What the search is narrowed to, besides its words and record type."""

    decade: int | None = None
    language: str = ""
    # Dates that overlap the records', as the browse pages' filters of the same names.
    date_from: datetime.date | None = None
    date_to: datetime.date | None = None

    @classmethod
    def from_params(cls, params):
        """(scope, None), or (None, a message saying what to write) for a malformed value."""
        decade, language = params.get("decade", ""), params.get("language", "")
        if decade and not (decade.isdigit() and len(decade) <= 4 and int(decade) % 10 == 0):
            return None, _("Give a decade as its first year, e.g. 1990.")
        if language and not Language.objects.filter(code=language).exists():
            return None, _("Choose a language from the list.")
        try:
            days = [
                PartialDateField(end=end, required=False).clean(params.get(name, ""))
                for name, end in (("date_from", False), ("date_to", True))
            ]
        except forms.ValidationError as error:
            return None, error.messages[0]
        return cls(int(decade) if decade else None, language, *days), None

    def without_dates(self):
        return Scope(self.decade, self.language)

    def narrow(self, record_type, queryset, *, decade=True, language=True):
        if decade and self.decade is not None:
            queryset = queryset.filter(
                date_earliest__gte=datetime.date(max(self.decade, 1), 1, 1),
                date_earliest__lte=datetime.date(self.decade + 9, 12, 31),
            )
        if language and self.language:
            if record_type != Document.record_type:
                return queryset.none()  # only documents have a language
            queryset = queryset.filter(languages__code=self.language).distinct()
        if self.date_from:
            queryset = queryset.filter(ends_on_or_after("date_", self.date_from))
        if self.date_to:
            queryset = queryset.filter(starts_on_or_before("date_", self.date_to))
        return queryset

    def filters(self):
        """The same scope as conditions on the embedded index."""
        return search.engine.Filters(
            decade=self.decade,
            language=(self.language,) if self.language else (),
            date_from=self.date_from,
            date_to=self.date_to,
        )

    def within(self, types):
        """{type: its public records in this scope}, for search.results and search.counts; None
        for the whole catalogue, where they read each type's `.public()` only if they need it."""
        if self == Scope():
            return None
        return {name: self.narrow(name, search.MODELS[name].objects.public()) for name in types}


def facets(query, scope, types):
    """(decades, languages) of the public matches of `query` among `types`, each facet
    counted with the other applied: [(value, label, count, selected)]. From the database;
    `overview` gives them from the embedded index."""
    decades = Counter()
    for name in types:
        matching = scope.narrow(name, search.MODELS[name].objects.public(), decade=False)
        matching = matching.filter(pk__in=search.matching_ids(query, name))
        decades.update(dict(matching.per_decade()))
    languages = []
    if Document.record_type in types:
        documents = scope.narrow(Document.record_type, Document.objects.public(), language=False)
        rows = (
            documents.filter(pk__in=search.matching_ids(query, Document.record_type))
            .order_by()
            .values_list("languages__code")
            .annotate(n=Count("pk", distinct=True))
            .order_by("-n", "languages__code")
        )
        languages = _languages(list(rows), scope)
    return _decades(decades, scope), languages


def per_year(query, scope, types):
    """The public matches of `query` among `types` per year (`RecordQuerySet.per_year`),
    over every year: the dates chosen left out. From the database; `overview` gives them
    from the embedded index."""
    starts, ends = Counter(), Counter()
    for name in types:
        matching = scope.without_dates().narrow(name, search.MODELS[name].objects.public())
        begun, ended = matching.filter(pk__in=search.matching_ids(query, name)).per_year()
        starts.update(begun)
        ends.update(ended)
    return starts, ends


def overview(indexed, query, scope, types):
    """(counts per record type, decades, languages, per year) of a search, from the embedded
    index in as few passes over the matches as their filters allow."""
    # Only documents have a language: counted over documents, the facet is the same.
    names = ["decade", "language"] if Document.record_type in types else ["decade"]
    names += list(YEAR_FACETS)
    every_type = set(types) == set(search.MODELS)
    if every_type:
        names.append("type")  # the same filters: counted in the same pass
    counted = indexed.facet_terms(query, scope.filters() | {"types": tuple(types)}, names)
    if not every_type:
        counted |= indexed.facet_terms(query, scope.filters(), ["type"])
    rows = sorted(counted.get("language", {}).items(), key=lambda row: (-row[1], row[0]))
    counts = indexed.per_type(counted["type"])
    years = indexed.years_of(counted)
    return counts, _decades(counted["decade"], scope), _languages(rows, scope), years


def _languages(rows, scope):
    names = language_names(rows)
    return [(code, names.get(code, code), n, code == scope.language) for code, n in rows if code]


def _decades(decades, scope):
    return [
        (decade, _("%(decade)ss") % {"decade": f"{decade:04d}"}, n, decade == scope.decade)
        for decade, n in sorted(decades.items())
    ]
