"""Public pages. Every record and list starts from `.public()`; views stay thin."""

from functools import wraps

from django.contrib.sitemaps import views as sitemap_views
from django.core.paginator import EmptyPage, Paginator
from django.http import (
    FileResponse,
    Http404,
    HttpResponse,
    HttpResponsePermanentRedirect,
    HttpResponseRedirect,
    JsonResponse,
    QueryDict,
    StreamingHttpResponse,
)
from django.shortcuts import get_object_or_404, render
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.translation import gettext as _
from django.views.decorators.http import require_safe

from . import (
    citations,
    csv_safety,
    exports,
    facets,
    filters,
    ordering,
    related,
    schema_org,
    search,
    uploads,
)
from .exports import sitemaps, tables
from .models import BY_NAME, BY_SLUG, RECORD_TYPES, AboutText, Document, Merge

PAGE_SIZE = 20


def bad_request(request, message):
    return render(request, "catalogue/bad_request.html", {"message": message}, status=400)


# Public pages take what their forms send, each value up to the search box's length. An
# address with anything else (a tracking parameter, a parameter of another page) or a longer
# value is sent on to the same page without it, so nothing else is ever echoed back.
SEARCH_PARAMETERS = frozenset({"q", "type", "sort", "page", "decade", "language"})


def tidy_address(request, known):
    """A redirect to this page without unknown parameters and with over-long values cut; or
    None when the address is already tidy."""
    kept = {
        name: [value[: search.MAX_QUERY_LENGTH] for value in request.GET.getlist(name)]
        for name in request.GET
        if name in known
    }
    if kept == dict(request.GET.lists()):
        return None
    query = QueryDict(mutable=True)
    for name, values in kept.items():
        query.setlist(name, values)
    return HttpResponseRedirect(f"{request.path}?{query.urlencode()}" if kept else request.path)


def page_number(request):
    """The requested page as a whole number of at least 1, or None when it is not one."""
    raw = request.GET.get("page", "1").strip() or "1"
    if not raw.isdigit() or not 1 <= int(raw) <= 10_000:
        return None
    return int(raw)


@require_safe
def home(request):
    if redirect := tidy_address(request, known=()):
        return redirect
    counts = [(type_, type_.model.objects.public().count()) for type_ in RECORD_TYPES]
    recent = Document.objects.public().order_by("-pk")[:6]  # ids grow with each addition
    decades = Document.objects.public().per_decade()
    context = {
        "counts": counts,
        "recent": recent,
        "decades": decades,
        "most_in_a_decade": max((n for _decade, n in decades), default=0),
        "about": AboutText.objects.for_reader(),
    }
    return render(request, "catalogue/home.html", context)


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
        within = scope.within(BY_NAME)
        counts = search.counts(query, within=within)
        total = counts[chosen] if chosen else sum(counts.values())
        types = [chosen] if chosen else list(BY_NAME)
        offset = (number - 1) * PAGE_SIZE
        found = (
            search.results(query, types, sort, offset, PAGE_SIZE, within=within)
            if offset < total
            else []
        )
        decades, languages = facets.facets(query, scope, types)
        context |= {
            "counts": [(type_, counts[type_.name]) for type_ in RECORD_TYPES],
            "total": total,
            "results": [(BY_NAME[name], record) for name, record in found],
            "page": Paginator(range(total), PAGE_SIZE).get_page(number),
            "page_number": number,
            "decades": decades,
            "languages": languages,
        } | download_links(request, "search_csv", total, ranked=True)
    return render(request, "catalogue/search.html", context)


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
    """What a browse page and its download show: (filterset, query, sort, records), where
    records is None when a filter is malformed."""
    filterset_class = filters.FILTERSETS[record_type.model]
    filterset = filterset_class(
        request.GET, queryset=record_type.model.objects.public(), request=request
    )
    if not filterset.is_valid():
        return filterset, None, None, None
    query = search.parse(filterset.form.cleaned_data.get("q") or "")
    sort = filterset.form.cleaned_data.get("sort") or ("relevance" if query else "date")
    records = filterset.qs
    if sort == "relevance" and not query:
        records = records.order_by("date_earliest", "pk")
    return filterset, query, sort, records


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
    filterset, query, sort, queryset = browsed(request, record_type)
    context = {"record_type": record_type, "filterset": filterset, "record_types": RECORD_TYPES}
    if queryset is None:
        context |= {"results": [], "errors": filterset.errors}
        return render(request, "catalogue/browse.html", context, status=400)

    ranked = sort == "relevance" and bool(query)
    if ranked:
        queryset = search.in_relevance_order(queryset, query, record_type.name)
    else:
        queryset = queryset.with_translations()
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
        "facets": filterset.facet_counts(),
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
    filterset, query, sort, queryset = browsed(request, record_type)
    if queryset is None:
        return bad_request(request, filter_errors(filterset))
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
        with translation.override(language):
            yield from csv_safety.lines(header, rows)

    response = StreamingHttpResponse(content(), content_type="text/csv; charset=utf-8")
    filename = f"memoria-{name}-{timezone.localdate().isoformat()}.csv"
    response["Content-Disposition"] = f'attachment; filename="{filename}"'
    return response


def public_record(slug, public_id):
    """The record as the public may see it: 404 unless public, withheld fields blanked."""
    record_type = BY_SLUG[slug]
    record = get_object_or_404(record_type.model.objects.public(), public_id=public_id)
    return record_type, record.public_view()


def follows_merges(view):
    """A merged-away record's addresses answer with a permanent redirect to the same page of
    the record it was merged into, when that record is public."""

    @wraps(view)
    def wrapper(request, slug, public_id, **kwargs):
        try:
            return view(request, slug, public_id, **kwargs)
        except Http404:
            kept = Merge.objects.public_successor(BY_SLUG[slug].model, public_id)
            if kept is None:
                raise
            match = request.resolver_match
            url = reverse(match.url_name, kwargs={**match.kwargs, "public_id": kept.public_id})
            query = request.META.get("QUERY_STRING", "")
            return HttpResponsePermanentRedirect(f"{url}?{query}" if query else url)

    return wrapper


@require_safe
@follows_merges
def detail(request, slug, public_id):
    record_type, record = public_record(slug, public_id)
    lists = related.page_lists(record)
    context = {
        "record_type": record_type,
        "record": record,
        "shown": record.localized(),
        "citation": citations.text(record, request),
        "jsonld": schema_org.safe_json(schema_org.describe(record, request, lists)),
        "exports": exports.formats_of(record_type.model),
        **lists,
    }
    return render(request, f"catalogue/{record_type.name}_detail.html", context)


@require_safe
@follows_merges
def cite(request, slug, public_id, fmt):
    _record_type, record = public_record(slug, public_id)
    if fmt == "bib":
        body, content_type = citations.bibtex(record, request), "application/x-bibtex"
    elif fmt == "json":
        body, content_type = (
            citations.csl_json(record, request),
            "application/vnd.citationstyles.csl+json",
        )
    else:
        raise Http404(_("Citations come as .bib or .json."))
    response = HttpResponse(body, content_type=f"{content_type}; charset=utf-8")
    filename = f"memoria-{record.public_id}.{fmt}"
    response["Content-Disposition"] = f'attachment; filename="{filename}"'
    return response


@require_safe
@follows_merges
def export(request, slug, public_id, fmt):
    _record_type, record = public_record(slug, public_id)
    chosen = exports.FORMATS[fmt]
    if chosen.build is None:
        data = schema_org.describe(record, request)
        response = JsonResponse(
            data,
            content_type=chosen.media_type,
            json_dumps_params={"ensure_ascii": False, "indent": 1},
        )
    else:
        body = exports.serialize(chosen.build(record, request))
        response = HttpResponse(body, content_type=f"{chosen.media_type}; charset=utf-8")
    # Inline, so a browser shows the XML; the name is for those who save it.
    filename = f"memoria-{record.public_id}-{chosen.filename}"
    response["Content-Disposition"] = f'inline; filename="{filename}"'
    return response


@require_safe
def sitemap(request):
    """All public records in one file, or an index of files once one cannot hold them all."""
    if sitemaps.needs_index():
        return sitemap_views.index(request, sitemaps.SITEMAPS, sitemap_url_name="sitemap_section")
    return sitemap_views.sitemap(request, sitemaps.SITEMAPS)


@require_safe
def sitemap_section(request, section):
    return sitemap_views.sitemap(request, sitemaps.SITEMAPS, section=section)


@require_safe
def robots_txt(request):
    sitemap_url = request.build_absolute_uri(reverse("sitemap"))
    body = f"User-agent: *\nDisallow: /admin/\nSitemap: {sitemap_url}\n"
    return HttpResponse(body, content_type="text/plain; charset=utf-8")


@require_safe
def attached_file(request, name):
    """A document's attached file, only for those allowed to see the document.

    Files are never served straight from the media folder: the public gets the file of a
    public document; staff who may view documents get any.
    """
    if request.user.has_perm("catalogue.view_document"):
        documents = Document.objects.all()
    else:
        documents = Document.objects.public()
    document = documents.filter(file=name).first()
    if document is None:
        raise Http404(_("No such file."))
    try:
        handle = document.file.open("rb")
    except FileNotFoundError:
        raise Http404(_("No such file.")) from None
    response = FileResponse(
        handle, content_type=uploads.content_type(name), filename=name.rsplit("/", 1)[-1]
    )
    response["X-Content-Type-Options"] = "nosniff"
    # Asked again each time, so a file stops being served the moment its record is hidden.
    response["Cache-Control"] = "private, no-cache"
    return response
