"""What a visitor asks, as Tantivy queries built by our code; never through Tantivy's parser.

Each word of a `Query` is cut and folded by the index's own analyzer and becomes a term (a
phrase where the word holds several), sought in title, names and body with the database's
weights; every term must match. Filters (record type, visible today, decade, language, kind,
level, a date range) are added as conditions that do not score.
"""

import datetime
from collections import Counter
from dataclasses import dataclass, field

from django.utils import timezone
from tantivy import FieldType, Occur, Order
from tantivy import Query as Q

from ..entries import TYPE_NUMBERS
from . import schema

SORT_FIELDS = {"date": "date_asc", "-date": "date_desc", "title": "title_key"}
# Browse pages order as `ordering.ordered` does: newest first breaks ties newest first.
BROWSE_SORT_FIELDS = SORT_FIELDS | {"-date": "date_newest"}
_ANALYZER = schema.analyzer()
# Facets counted without some filters besides their own: a timeline's years are counted over
# every year, so that the year chosen stands among the others.
IGNORES = {schema.YEARS: ("date_from", "date_to")}
YEAR_FACETS = (schema.YEARS,)


@dataclass
class Filters:
    """Conditions on indexed records besides their words; empty ones are not applied."""

    types: tuple = ()
    decade: int | None = None
    language: tuple = ()
    kind: tuple = ()
    level: tuple = ()
    date_from: datetime.date | None = None
    date_to: datetime.date | None = None
    drop: set = field(default_factory=set)  # names left out, to count a facet over the others

    def given(self):
        """{name: value} of the filters applied: neither empty nor left out."""
        return {
            name: value
            for name, value in self.__dict__.items()
            if name != "drop" and name not in self.drop and value not in (None, (), [])
        }

    def applied(self):
        """The conditions, comparable: filters that differ only in what they leave out or
        leave empty are counted in the same pass."""
        return repr(sorted(self.given().items()))

    def without(self, name):
        return Filters(**{**self.__dict__, "drop": self.drop | {name}})

    def __or__(self, values):
        """The same filters with these values set."""
        return Filters(**{**self.__dict__, **values})


# Facets counted from another column than the one filters read: a document's languages as
# one value, and the decades from the years' column, which a search counts anyway.
COUNTED_AS = {"language": schema.LANGUAGE_SET, "decade": schema.YEARS}
# Values counted at most, where a column holds combinations: more than languages; as many
# pairs of years as a count may return (Tantivy's limit is 65,000), and if a catalogue has
# more, they are counted apart in another pass.
SIZES = {schema.LANGUAGE_SET: 10_000, schema.YEARS: 50_000}
EVERY_YEAR = 10_000  # years 1 to 9999


def _each_language(sets):
    """{language: documents} from {"eng|spa": documents}."""
    found = Counter()
    for languages, count in sets.items():
        for code in languages.split(schema.LANGUAGE_SEPARATOR):
            found[code] += count
    return dict(found)


def _tokens(term):
    return [token for word in term for token in _ANALYZER.analyze(word)]


class Searcher:
    """One consistent view of the index: every query of one page reads the same segments."""

    def __init__(self, searcher, index_schema):
        self.searcher = searcher
        self.schema = index_schema
        self.today = timezone.localdate().toordinal()
        # {(query, applied filters): matches}, counted by a facets' pass: a page of the same
        # matches takes its total from there rather than counting them again.
        self.totals = {}

    # Building queries

    def _field(self, name, tokens):
        if len(tokens) == 1:
            return Q.term_query(self.schema, name, tokens[0])
        return Q.phrase_query(self.schema, name, tokens)

    def words(self, query):
        """The conditions a search's words make, or None when a word can never match."""
        clauses = []
        for term in query.terms:
            tokens = _tokens(term)
            if not tokens:
                return None
            fields = [
                (Occur.Should, Q.boost_query(self._field(name, tokens), schema.WEIGHTS[name]))
                for name in schema.TEXT_FIELDS
            ]
            clauses.append((Occur.Must, Q.boolean_query(fields)))
        return clauses

    def _quiet(self, query):
        return (Occur.Must, Q.const_score_query(query, 0.0))

    def _one_of(self, name, values):
        # A term's postings are read faster than a set of one term's.
        if len(values) == 1:
            return Q.term_query(self.schema, name, values[0])
        return Q.term_set_query(self.schema, name, values)

    def _range(self, name, low, high):
        # Through the terms' postings rather than the column: a third faster over most records.
        return Q.range_query(
            self.schema, name, FieldType.Integer, low, high, use_inverted_index=True
        )

    def conditions(self, filters):
        # Still under embargo: the few embargoed records are all that is compared.
        found = [(Occur.MustNot, self._range("visible_from", self.today + 1, None))]
        given = filters.given()
        if set(given.get("types", TYPE_NUMBERS)) != set(TYPE_NUMBERS):
            numbers = [TYPE_NUMBERS[name] for name in given["types"]]
            found.append(self._quiet(self._one_of("type", numbers)))
        else:  # a query of exclusions alone matches nothing
            found.append((Occur.Must, Q.all_query()))
        if "decade" in given:
            found.append(self._quiet(Q.term_query(self.schema, "decade", given["decade"])))
        for name in ("language", "kind", "level"):
            if name in given:
                values = list(given[name])
                found.append(self._quiet(self._one_of(name, values)))
        if "date_from" in given:  # ends on or after the day
            day = given["date_from"]
            if (day.month, day.day) == (1, 1):  # ends in its year or later
                found.append(self._quiet(self._range("ends_year", day.year, None)))
            else:
                found.append(self._quiet(self._range("ends", day.toordinal(), None)))
        if "date_to" in given:  # starts on or before the day
            day = given["date_to"]
            if (day.month, day.day) == (12, 31):  # starts in its year or before
                found.append(self._quiet(self._range("starts_year", None, day.year)))
            else:
                found.append(self._quiet(self._range("starts", None, day.toordinal())))
        return found

    def query(self, query, filters):
        """The whole query, or None when nothing can match."""
        clauses = self.words(query) if query else []
        if clauses is None:
            return None
        return Q.boolean_query(clauses + self.conditions(filters))

    # Answers

    def counts(self, query, filters):
        """{record type: matching records}."""
        return self.per_type(self.facet_terms(query, filters, ["type"])["type"], filters.types)

    @staticmethod
    def per_type(buckets, types=()):
        """{record type: count} of the buckets of the "type" field, 0 for the types without."""
        names = {number: name for name, number in TYPE_NUMBERS.items()}
        found = dict.fromkeys(types or TYPE_NUMBERS, 0)
        return found | {names[n]: count for n, count in buckets.items() if names[n] in found}

    def facet_terms(self, query, filters, names, size=1000):
        """{name: {value: matching records}} for each facet field, each counted with every
        filter but its own: one pass over the matches for all the facets that share filters.
        The years facet's value is (`{start year: n}`, `{end year: n}`)."""
        groups = {}
        for name in names:
            narrowed = filters.without(name) if name in filters.__dict__ else filters
            for ignored in IGNORES.get(name, ()):
                narrowed = narrowed.without(ignored)
            groups.setdefault(narrowed.applied(), (narrowed, []))[1].append(name)
        found = {}
        for narrowed, group in groups.values():
            built = self.query(query, narrowed)
            if built is None:
                found |= {name: {} for name in group}
                if schema.YEARS in group:
                    found[schema.YEARS] = (Counter(), Counter())
                continue
            # Counted by type as well where these are the matches asked for (not those of a
            # facet counted without its own filter): their total, which a page then reads.
            total = narrowed.applied() == filters.applied()
            columns = {COUNTED_AS.get(name, name) for name in {*group, *(["type"] * total)}}
            spec = {
                column: {"terms": {"field": column, "size": SIZES.get(column, size)}}
                for column in columns
            }
            answer = self.searcher.aggregate(built, spec)
            counted = {
                column: {bucket["key"]: bucket["doc_count"] for bucket in answer[column]["buckets"]}
                for column in spec
            }
            if total:
                self.totals[query, narrowed.applied()] = sum(counted["type"].values())
            if schema.LANGUAGE_SET in counted:
                counted["language"] = _each_language(counted[schema.LANGUAGE_SET])
            if schema.YEARS in counted:
                if answer[schema.YEARS].get("sum_other_doc_count"):
                    starts, ends, decades = self._years_apart(built)
                else:
                    starts, ends, decades = schema.years_read(counted[schema.YEARS])
                counted |= {schema.YEARS: (starts, ends), "decade": decades}
            found |= {name: counted[name] for name in group}
        return found

    def per_year(self, query, filters):
        """({year: matches that begin in it}, {year: matches that end in it}), counted over
        every year (the date filters left out), in one pass: as `RecordQuerySet.per_year`."""
        return self.years_of(self.facet_terms(query, filters, list(YEAR_FACETS)))

    @staticmethod
    def years_of(counted):
        """`per_year`'s answer from facets counted with the year facets among them."""
        return counted[schema.YEARS]

    def _years_apart(self, built):
        """`years_read`'s answer from the start years', end years' and decades' own columns,
        in another pass: for more combinations of years than one count returns."""
        names = ("start_year", "end_year", "decade")
        spec = {name: {"terms": {"field": name, "size": EVERY_YEAR}} for name in names}
        answer = self.searcher.aggregate(built, spec)
        return tuple(
            Counter({int(bucket["key"]): bucket["doc_count"] for bucket in answer[name]["buckets"]})
            for name in names
        )

    def keys(self, query, filters, sort="relevance", offset=0, limit=20, browsing=False):
        """Entry ids of one page of matches in the chosen order (as on browse pages, when
        `browsing`)."""
        return self.page(query, filters, sort, offset, limit, browsing, count=False)[0]

    def page(
        self, query, filters, sort="relevance", offset=0, limit=20, browsing=False, count=True
    ):
        """(entry ids of one page of matches in the chosen order, how many match: None
        unless `count`, which costs a pass over the matches of its own unless a facets' pass
        over the same matches counted them)."""
        built = self.query(query, filters)
        if built is None or limit <= 0:
            return [], 0
        total = self.totals.get((query, filters.applied())) if count else None
        if total is not None:
            count = False
        if sort == "relevance" and query:
            result = self.searcher.search(built, limit, count=count, offset=offset)
        else:
            order_by = (BROWSE_SORT_FIELDS if browsing else SORT_FIELDS).get(sort, "date_asc")
            result = self.searcher.search(
                built, limit, count=count, offset=offset, order_by_field=order_by, order=Order.Asc
            )
        addresses = [address for _key, address in result.hits]
        keys = self.searcher.fast_field_values("key", addresses) if addresses else []
        return keys, result.count if count else total
