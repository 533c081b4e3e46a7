"""One FilterSet per record type, and the deletions feed's."""

import django_filters as filters
from django.db.models import Count
from django.http import QueryDict
from django.utils.translation import gettext_lazy as _

from .. import ordering, search
from ..models import (
    CaseParty,
    Document,
    DocumentLink,
    Event,
    LegalCase,
    Organization,
    Person,
    Tombstone,
)
from ..models.registry import RECORD_TYPE_CHOICES
from .fields import (
    Facet,
    LanguageFilter,
    MomentFilter,
    PartialDateFilter,
    SearchTextFilter,
    country_names,
    ends_on_or_after,
    facet_is_multi,
    language_names,
    organization_names,
    public_agent_is,
    starts_on_or_before,
)


class EmptyMeansAbsent:
    """An empty value (`kind=`, `date_from=`) means what leaving the parameter out means, for
    every filter of every page and API list: a form's untouched field is not an error."""

    def __init__(self, data=None, *args, **kwargs):
        if data is not None:
            given = data
            data = QueryDict(mutable=True)
            for name, values in given.lists():
                if kept := [value for value in values if value != ""]:
                    data.setlist(name, kept)
        super().__init__(data, *args, **kwargs)


class CatalogueFilterSet(EmptyMeansAbsent, filters.FilterSet):
    """Search words, a date range that overlaps the record's dates, and sorting."""

    link_filters = {}  # filter name: the models whose public identifier it takes
    date_prefix = "date_"
    facets = {}  # name: (field to count, label field or choices), counted over public values

    q = SearchTextFilter(label=_("Words"), method="filter_words")
    date_from = PartialDateFilter(label=_("From"), method="filter_date_from")
    date_to = PartialDateFilter(label=_("To"), method="filter_date_to", end=True)
    sort = filters.ChoiceFilter(
        label=_("Sort by"),
        choices=list(ordering.PAGE_SORTS.items()),
        method="filter_sort",
        empty_label=None,
    )

    # Facets and filters the embedded index holds as fields; the words, dates and sort too.
    INDEXED = frozenset({"kind", "level", "language"})
    INDEXED_ALWAYS = frozenset({"q", "date_from", "date_to", "sort"})

    def index_filters(self):
        """The active filters as conditions on the embedded index, or None when one of them,
        or one of the page's facets, is known only to the database."""
        if not set(self.facets) <= self.INDEXED:
            return None
        data = self.form.cleaned_data
        active = {name for name in self.filters if data.get(name)}
        if not active <= self.INDEXED | self.INDEXED_ALWAYS:
            return None
        values = {}
        for name in self.INDEXED & active:
            chosen = data[name]
            values[name] = tuple(getattr(value, "code", value) for value in chosen)
        return search.engine.Filters(
            types=(self._meta.model.record_type,),
            date_from=data.get("date_from"),
            date_to=data.get("date_to"),
            **values,
        )

    def filter_words(self, queryset, name, value):
        query = search.parse(value)
        if not query:
            return queryset
        return queryset.filter(pk__in=search.matching(query, self._meta.model.record_type))

    def filter_date_from(self, queryset, name, value):
        return queryset.filter(ends_on_or_after(self.date_prefix, value))

    def filter_date_to(self, queryset, name, value):
        return queryset.filter(starts_on_or_before(self.date_prefix, value))

    def filter_sort(self, queryset, name, value):
        # Relevance order needs the search score, which the view takes from the index.
        if value == "relevance":
            return queryset
        return ordering.ordered(queryset, value)[0]

    def facet_counts(self, indexed=None, counted=None):
        """The facets beside the results, each counted with every other filter applied: by
        the embedded index (`indexed`, a Searcher) when it holds them all, else the database.
        `counted`: the index's `facet_terms` for these facets, where the caller has them."""
        result = []
        selected_values = self.data.getlist if hasattr(self.data, "getlist") else lambda _: []
        filters = self.index_filters() if indexed is not None else None
        if filters is not None:
            query = search.parse(self.form.cleaned_data.get("q") or "")
            from_index = counted or indexed.facet_terms(query, filters, list(self.facets))
        for name, (field, labels) in self.facets.items():
            if filters is not None:
                rows = sorted(from_index[name].items(), key=lambda row: (-row[1], row[0]))[:20]
            else:
                data = self.data.copy()
                data.pop(name, None)
                data.pop("page", None)
                others = type(self)(data, queryset=self.queryset, request=self.request)
                rows = self.facet_rows(others.qs, name, field)
            rows = [row for row in rows if row[0]]
            selected = set(selected_values(name))
            # Facets are counted only for a valid form, so every ticked value is a real choice:
            # it stays on the form, with 0, even when nothing matches it any more.
            counted = {str(value) for value, _count in rows}
            rows += [(value, 0) for value in sorted(selected - counted)]
            names = labels(rows) if callable(labels) else dict(labels)
            values = [
                (value, names.get(value, value), count, str(value) in selected)
                for value, count in rows
            ]
            multiple = facet_is_multi(self.filters[name])
            result.append(Facet(name, self.filters[name].label, values, multiple))
        return result

    def linked_records(self):
        """(name, label, value, public record or None, URL without it) for link filters in use."""
        chips = []
        for name, models in self.link_filters.items():
            if not (value := self.data.get(name)):
                continue
            found = (model.objects.public().filter(public_id=value).first() for model in models)
            record = next(filter(None, found), None)
            rest = self.data.copy()
            for key in (name, "page"):
                rest.pop(key, None)
            chips.append((name, self.filters[name].label, value, record, f"?{rest.urlencode()}"))
        return chips

    def facet_rows(self, queryset, name, field):
        return list(
            queryset.order_by()
            .values_list(field)
            # DISTINCT only where the facet crosses a many-to-many relation
            .annotate(n=Count("pk", distinct="__" in field))
            .order_by("-n", field)[:20]
        )


class DocumentFilterSet(CatalogueFilterSet):
    link_filters = {
        "creator": (Person, Organization),
        "person": (Person,),
        "organization": (Organization,),
        "case": (LegalCase,),
        "event": (Event,),
        "parent": (Document,),
    }

    kind = filters.MultipleChoiceFilter(
        distinct=False, label=_("Document type"), choices=Document.Kind.choices
    )
    level = filters.MultipleChoiceFilter(
        distinct=False, label=_("Level of description"), choices=Document.Level.choices
    )
    language = LanguageFilter(label=_("Language"), field_name="languages__code")
    creator = filters.CharFilter(label=_("Creator"), method="filter_creator")
    person = filters.CharFilter(label=_("Person"), method="filter_linked")
    organization = filters.CharFilter(label=_("Organization"), method="filter_linked")
    case = filters.CharFilter(label=_("Legal case"), method="filter_linked")
    event = filters.CharFilter(label=_("Event"), method="filter_linked")
    parent = filters.CharFilter(label=_("Part of"), method="filter_parent")

    facets = {
        "kind": ("kind", Document.Kind.choices),
        "level": ("level", Document.Level.choices),
        "language": ("languages__code", language_names),
    }

    class Meta:
        model = Document
        fields = []

    LINK_FIELDS = {
        "person": ("person", Person),
        "organization": ("organization", Organization),
        "case": ("legal_case", LegalCase),
        "event": ("event", Event),
    }

    def filter_linked(self, queryset, name, value):
        field, model = self.LINK_FIELDS[name]
        target = model.objects.public().filter(public_id=value)
        links = DocumentLink.objects.filter(**{f"{field}__in": target})
        return queryset.filter(pk__in=links.values("document"))

    def filter_parent(self, queryset, name, value):
        return queryset.filter(parent__in=Document.objects.public().filter(public_id=value))

    def filter_creator(self, queryset, name, value):
        creators = DocumentLink.objects.filter(role=DocumentLink.Role.CREATOR).filter(
            public_agent_is(value)
        )
        return queryset.filter(pk__in=creators.values("document"))


class PersonFilterSet(CatalogueFilterSet):
    organization = filters.CharFilter(label=_("Organization"), method="filter_organization")

    facets = {"organization": ("organization", organization_names)}

    class Meta:
        model = Person
        fields = []

    def filter_organization(self, queryset, name, value):
        organizations = Organization.objects.public().filter(public_id=value)
        return queryset.filter(memberships__organization__in=organizations).distinct()

    def facet_rows(self, queryset, name, field):
        return list(
            Organization.objects.public()
            .filter(memberships__person__in=queryset.values("pk"))
            .values_list("public_id")
            .annotate(n=Count("memberships__person", distinct=True))
            .order_by("-n", "authorized_name")[:20]
        )


class OrganizationFilterSet(CatalogueFilterSet):
    kind = filters.MultipleChoiceFilter(
        distinct=False, label=_("Type"), choices=Organization.Kind.choices
    )
    country = filters.CharFilter(label=_("Country"), method="filter_country")

    facets = {
        "kind": ("kind", Organization.Kind.choices),
        "country": ("country", country_names),
    }

    class Meta:
        model = Organization
        fields = []

    def filter_country(self, queryset, name, value):
        return queryset.filter(country=value.upper())


class LegalCaseFilterSet(CatalogueFilterSet):
    link_filters = {"party": (Person, Organization)}

    court = filters.CharFilter(label=_("Court"), method="filter_court")
    jurisdiction = filters.MultipleChoiceFilter(
        distinct=False, label=_("Jurisdiction"), choices=LegalCase.Jurisdiction.choices
    )
    case_status = filters.MultipleChoiceFilter(
        distinct=False, label=_("Case status"), choices=LegalCase.CaseStatus.choices
    )
    kind = filters.MultipleChoiceFilter(
        distinct=False, label=_("Case type"), choices=LegalCase.Kind.choices
    )
    party = filters.CharFilter(label=_("Party"), method="filter_party")
    decided_from = PartialDateFilter(label=_("Decided from"), method="filter_decided_from")
    decided_to = PartialDateFilter(label=_("Decided to"), method="filter_decided_to", end=True)

    facets = {
        "jurisdiction": ("jurisdiction", LegalCase.Jurisdiction.choices),
        "case_status": ("case_status", LegalCase.CaseStatus.choices),
        "kind": ("kind", LegalCase.Kind.choices),
        "court": ("court", organization_names),
    }

    class Meta:
        model = LegalCase
        fields = []

    def filter_court(self, queryset, name, value):
        return queryset.filter(court__in=Organization.objects.public().filter(public_id=value))

    def filter_party(self, queryset, name, value):
        parties = CaseParty.objects.filter(public_agent_is(value))
        return queryset.filter(pk__in=parties.values("case"))

    def filter_decided_from(self, queryset, name, value):
        return queryset.filter(decided_latest__gte=value)

    def filter_decided_to(self, queryset, name, value):
        return queryset.filter(decided_earliest__lte=value)

    def facet_rows(self, queryset, name, field):
        if name != "court":
            return super().facet_rows(queryset, name, field)
        return list(
            Organization.objects.public()
            .filter(cases_heard__in=queryset.values("pk"))
            .values_list("public_id")
            .annotate(n=Count("cases_heard", distinct=True))
            .order_by("-n", "authorized_name")[:20]
        )


class EventFilterSet(CatalogueFilterSet):
    link_filters = {"participant": (Person, Organization)}

    kind = filters.MultipleChoiceFilter(distinct=False, label=_("Type"), choices=Event.Kind.choices)
    participant = filters.CharFilter(label=_("Participant"), method="filter_participant")

    facets = {"kind": ("kind", Event.Kind.choices)}

    class Meta:
        model = Event
        fields = []

    def filter_participant(self, queryset, name, value):
        return queryset.filter(public_agent_is(value, "participants__")).distinct()


FILTERSETS = {
    filterset._meta.model: filterset
    for filterset in (
        DocumentFilterSet,
        PersonFilterSet,
        OrganizationFilterSet,
        LegalCaseFilterSet,
        EventFilterSet,
    )
}


def for_api(filterset_class):
    """A page's FilterSet as the API takes it: the same filters, with API names.

    `search` holds the words (`q` on pages), the API orders with `ordering` rather than
    `sort`, and `modified_since` serves incremental syncs.
    """

    class ApiFilterSet(filterset_class):
        search = SearchTextFilter(
            label=_("Words, searched like the catalogue's search box"), method="filter_words"
        )
        modified_since = MomentFilter(
            label=_("Changed at or after this moment (ISO 8601, e.g. 2026-01-31T00:00:00Z)"),
            method="filter_modified_since",
        )

        def filter_modified_since(self, queryset, name, value):
            return queryset.changed_since(value)

    for page_only in ("q", "sort"):
        del ApiFilterSet.base_filters[page_only]
    ApiFilterSet.__name__ = ApiFilterSet.__qualname__ = f"Api{filterset_class.__name__}"
    return ApiFilterSet


class TombstoneFilterSet(EmptyMeansAbsent, filters.FilterSet):
    removed_since = MomentFilter(
        field_name="removed_at",
        lookup_expr="gte",
        label=_("Removed at or after this moment (ISO 8601)"),
    )
    type = filters.ChoiceFilter(
        field_name="record_type", choices=RECORD_TYPE_CHOICES, label=_("Record type")
    )

    class Meta:
        model = Tombstone
        fields = []
