"""The home page, search, browsing, and their CSV downloads."""

from django.core.cache import cache
from django.core.paginator import EmptyPage, Paginator
from django.http import (
    StreamingHttpResponse,
)
from django.shortcuts import render
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.safestring import mark_safe
from django.utils.translation import gettext as _
from django.views.decorators.http import require_safe

from .. import (
    csv_safety,
    facets,
    filters,
    ordering,
    search,
    timeline,
)
from ..exports import tables
from ..models import (
    BY_NAME,
    BY_SLUG,
    RECORD_TYPES,
    AboutText,
    Document,
    Event,
    LegalCase,
    SearchChange,
)
from ..search.engine.queries import YEAR_FACETS
from .common import (
    PAGE_SIZE,
    SEARCH_PARAMETERS,
    bad_request,
    chosen_years,
    page_number,
    tidy_address,
    year_links,
)


@require_safe
def home(request):
    if redirect := tidy_address(request, known=()):
        return redirect
    recent = Document.objects.public().order_by("-pk")[:6]  # ids grow with each addition
    glance = archive_at_a_glance(request)
    context = {
        "holdings": mark_safe(glance["html"]),  # our own template's
        "counts": [(BY_NAME[name], n) for name, n in glance["counts"]],
        "decades": glance["decades"],
        "recent": recent,
        "about": AboutText.objects.for_reader(),
    }
    return render(request, "catalogue/home.html", context)


def archive_at_a_glance(request):
    """The home page's counts, decades and timeline, and their HTML: made once for each state of
    the catalogue and each language, since it changes only when a record does (each change
    writes a row in the change log) or a day passes (an embargo lifts)."""
    state = SearchChange.objects.latest_id()
    day = timezone.localdate().isoformat()
    key = f"memoria:home:{state}:{day}:{translation.get_language()}"

    def render_it():
        counts, decades, years = holdings()
        context = {
            "counts": counts,
            "decades": decades,
            "most_in_a_decade": max((n for _decade, n in decades), default=0),
            "timeline": home_timeline({t.name: n for t, n in counts}, years),
        }
        html = render_to_string("includes/_holdings.html", context, request)
        counted = [(record_type.name, n) for record_type, n in counts]
        return {"html": html, "counts": counted, "decades": decades}

    return cache.get_or_set(key, render_it, HOLDINGS_SECONDS)


HOLDINGS_SECONDS = 24 * 3600  # a new state of the catalogue has a new key: this only tidies


def holdings():
    """([(record type, public records)], [(decade, public documents)], public documents per
    year): from the embedded index when it is in step, else counted in the database."""
    indexed = search.engine.searcher()
    if indexed is None:
        counts = [(type_, type_.model.objects.public().count()) for type_ in RECORD_TYPES]
        documents = Document.objects.public()
        return counts, documents.per_decade(), documents.per_year()
    found = indexed.counts(None, search.engine.Filters())
    only_documents = search.engine.Filters(types=(Document.record_type,))
    faceted = indexed.facet_terms(None, only_documents, ["decade", *YEAR_FACETS])
    years = indexed.years_of(faceted)
    decades = sorted(faceted["decade"].items())
    return [(type_, found[type_.name]) for type_ in RECORD_TYPES], decades, years


def home_timeline(counts, years):
    """The archive along the years: its events and cases (the first of each by date) over
    its documents per year, each year a link to the documents of that year."""
    half = timeline.ROWS // 2
    events = Event.objects.public().with_translations().order_by("date_earliest", "pk")[:half]
    cases = LegalCase.objects.public().with_translations().order_by("date_earliest", "pk")
    rows = [timeline.record_row(event, kind=_("Event")) for event in events]
    rows += [timeline.record_row(case, kind=_("Legal case")) for case in cases[:half]]
    rows.sort(key=timeline.by_start)
    documents = reverse("document_list")
    found = timeline.build(
        rows,
        years,
        lambda first, last: f"{documents}?date_from={first:04d}&date_to={last:04d}",
        timeline.documents_counted,
    )
    found.more = counts[Event.record_type] + counts[LegalCase.record_type] - len(rows)
    return found


@require_safe
def about(request):
    if redirect := tidy_address(request, known=()):
        return redirect
    context = {"about": AboutText.objects.for_reader(), "counts": None}
    return render(request, "catalogue/about.html", context)


def search_request(request):
    """(what the search page and its download were asked for, None), or (None, a message)."""
    text = request.GET.get("q", "")
    chosen = request.GET.get("type", "")
    if chosen and chosen not in BY_NAME:
        return None, _("Choose a record type from the list.")
    sort = request.GET.get("sort", "relevance")
    if sort not in search.SORTS:
        return None, _("Choose a sort order from the list.")
    scope, problem = facets.Scope.from_params(request.GET)
    if problem:
        return None, problem
    asked = {"text": text, "query": search.parse(text), "chosen": chosen, "sort": sort}
    return asked | {"scope": scope}, None


@require_safe
def search_page(request):
    if redirect := tidy_address(request, SEARCH_PARAMETERS):
        return redirect
    number = page_number(request)
    if number is None:
        return bad_request(request, _("The page number must be a whole number from 1."))
    asked, problem = search_request(request)
    if problem:
        return bad_request(request, problem)
    query, chosen, sort, scope = (asked[name] for name in ("query", "chosen", "sort", "scope"))
    context = asked | {"sorts": ordering.PAGE_SORTS.items(), "record_types": RECORD_TYPES}
    if query:
        within, filters = scope.within(BY_NAME), scope.filters()
        types = [chosen] if chosen else list(BY_NAME)
        indexed = search.engine.searcher()
        if indexed:
            counts, decades, languages, years = facets.overview(indexed, query, scope, types)
        else:
            counts = search.counts(query, within=within)
            decades, languages = facets.facets(query, scope, types)
            years = facets.per_year(query, scope, types)
        total = counts[chosen] if chosen else sum(counts.values())
        offset = (number - 1) * PAGE_SIZE
        found = (
            search.results(
                query, types, sort, offset, PAGE_SIZE, within, filters=filters, indexed=indexed
            )
            if offset < total
            else []
        )
        context |= {
            "counts": [(type_, counts[type_.name]) for type_ in RECORD_TYPES],
            "total": total,
            "results": context_results(found),
            "page": Paginator(range(total), PAGE_SIZE).get_page(number),
            "page_number": number,
            "decades": decades,
            "languages": languages,
            "timeline": results_timeline(
                request,
                context_results(found),
                years,
                chosen_years(scope.date_from, scope.date_to),
            ),
        } | download_links(request, "search_csv", total, ranked=True)
    return render(request, "catalogue/search.html", context)


def context_results(found):
    return [(BY_NAME[name], record) for name, record in found]


def results_timeline(request, results, years, chosen, counted=timeline.results_counted):
    """A list's timeline: the records of this page over the matches per year, each year a
    link to the list narrowed to it."""
    kinds = {type_: type_.label.capitalize() for type_ in {type_ for type_, _record in results}}
    rows = [timeline.record_row(record, kind=kinds[type_]) for type_, record in results]
    narrowed, every_year = year_links(request)
    return timeline.build(
        rows,
        years,
        narrowed,
        counted,
        chosen=chosen,
        # An empty date, as the filters' form sends it, narrows nothing.
        all_years_url=every_year
        if request.GET.get("date_from") or request.GET.get("date_to")
        else "",
    )


@require_safe
def search_csv(request):
    if redirect := tidy_address(request, SEARCH_PARAMETERS - {"page"}):
        return redirect
    asked, problem = search_request(request)
    if problem:
        return bad_request(request, problem)
    chosen, query = asked["chosen"], asked["query"]
    model = BY_NAME[chosen].model if chosen else None
    records = []
    if query:
        types = [chosen] if chosen else list(BY_NAME)
        within = asked["scope"].within(types)
        records = tables.ranked(query, types, asked["sort"], within)
    return csv_download(request, f"search-{chosen}" if chosen else "search", records, model)


def browsed(request, record_type):
    """What a browse page and its download show: (filterset, query, sort), where query and
    sort are None when a filter is malformed."""
    filterset_class = filters.FILTERSETS[record_type.model]
    filterset = filterset_class(
        request.GET, queryset=record_type.model.objects.public(), request=request
    )
    if not filterset.is_valid():
        return filterset, None, None
    query = search.parse(filterset.form.cleaned_data.get("q") or "")
    sort = filterset.form.cleaned_data.get("sort") or ("relevance" if query else "date")
    return filterset, query, sort


def browsed_records(filterset, query, sort):
    """The filtered public queryset, in the order the page says it shows. Read only where the
    embedded index cannot answer: the words' filter asks the index or the database at once."""
    records = filterset.qs
    chosen = filterset.form.cleaned_data.get("sort")
    if not (sort == "relevance" and query) and chosen in ("", None, "relevance"):
        # By date when no words rank it, not in the model's order.
        records = ordering.ordered(records, "date")[0]
    return records


def undated(filterset):
    """The same filters but the dates: a timeline counts the matches of every year."""
    data = filterset.data.copy()
    for name in ("date_from", "date_to", "page"):
        data.pop(name, None)
    return type(filterset)(data, queryset=filterset.queryset, request=filterset.request)


def filter_errors(filterset):
    return " ".join(
        f"{filterset.form.fields[name].label}: {error}"
        for name, errors in filterset.errors.items()
        for error in errors
    )


@require_safe
def browse(request, slug):
    record_type = BY_SLUG[slug]
    known = {*filters.FILTERSETS[record_type.model].base_filters, "page"}
    if redirect := tidy_address(request, known):
        return redirect
    number = page_number(request)
    if number is None:
        return bad_request(request, _("The page number must be a whole number from 1."))
    filterset, query, sort = browsed(request, record_type)
    context = {"record_type": record_type, "filterset": filterset, "record_types": RECORD_TYPES}
    if sort is None:
        context |= {"results": [], "errors": filterset.errors}
        return render(request, "catalogue/browse.html", context, status=400)

    ranked = sort == "relevance" and bool(query)
    conditions = filterset.index_filters()
    indexed = search.engine.searcher() if conditions is not None else None
    if indexed is not None:
        queryset = search.IndexedRecords(
            indexed, record_type.name, query, sort, conditions, PAGE_SIZE
        )
    elif ranked:
        queryset = browsed_records(filterset, query, sort)
        queryset = search.in_relevance_order(queryset, query, record_type.name)
    else:
        queryset = browsed_records(filterset, query, sort).with_translations()
    # Facets first: the index counts the matches in the same pass, and the page reads it;
    # the timeline's years share a pass with the facets whenever no dates are chosen.
    if indexed is not None:
        counted = indexed.facet_terms(query, conditions, [*filterset.facets, *YEAR_FACETS])
        years = indexed.years_of(counted)
    else:
        counted, years = None, undated(filterset).qs.per_year()
    facet_counts = filterset.facet_counts(indexed, counted)
    paginator = Paginator(queryset, PAGE_SIZE)
    try:
        page = paginator.page(number)
        results = [record.public_view() for record in page.object_list]
    except EmptyPage:
        page, results = None, []
    context |= {
        "page": page,
        "results": results,
        "total": paginator.count,
        "last_page": paginator.num_pages,
        "facets": facet_counts,
        "timeline": results_timeline(
            request,
            [(record_type, record) for record in results],
            years,
            chosen_years(*(filterset.form.cleaned_data.get(n) for n in ("date_from", "date_to"))),
            timeline.records_counted,
        ),
        "linked": filterset.linked_records(),
        "query": query,
        "sort": sort,
    } | download_links(request, f"{record_type.name}_csv", paginator.count, ranked)
    return render(request, "catalogue/browse.html", context)


@require_safe
def browse_csv(request, slug):
    record_type = BY_SLUG[slug]
    if redirect := tidy_address(request, set(filters.FILTERSETS[record_type.model].base_filters)):
        return redirect
    filterset, query, sort = browsed(request, record_type)
    if sort is None:
        return bad_request(request, filter_errors(filterset))
    queryset = browsed_records(filterset, query, sort)
    if sort == "relevance" and query:
        records = tables.ranked(query, [record_type.name], within={record_type.name: queryset})
    else:
        records = tables.browsed(queryset)
    return csv_download(request, slug, records, record_type.model)


def download_links(request, url_name, total, ranked):
    """The download link of a list of results: this address's parameters but the page."""
    params = request.GET.copy()
    params.pop("page", None)
    address = reverse(url_name)
    return {
        "csv_url": f"{address}?{params.urlencode()}" if params else address,
        "csv_capped": tables.MAX_RANKED_ROWS if ranked and total > tables.MAX_RANKED_ROWS else 0,
    }


def csv_download(request, name, records, model):
    """A CSV file of public views of records, streamed as it is read from the database."""
    header, rows = tables.table(records, model, request.build_absolute_uri("/").rstrip("/"))
    # The rows are read after this view returns, while the response is sent: in the
    # reader's language, which the middleware chose for this request.
    language = translation.get_language()

    def content():
        # The language is set around each chunk only, never across a `yield`: a download the
        # client stops reading must not leave the server thread in its reader's language.
        chunks = csv_safety.lines(header, rows)
        while True:
            with translation.override(language):
                chunk = next(chunks, None)
            if chunk is None:
                return
            yield chunk

    response = StreamingHttpResponse(content(), content_type="text/csv; charset=utf-8")
    filename = f"memoria-{name}-{timezone.localdate().isoformat()}.csv"
    response["Content-Disposition"] = f'attachment; filename="{filename}"'
    return response
