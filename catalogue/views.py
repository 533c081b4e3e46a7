"""Public pages. Every record and list starts from `.public()`; views stay thin."""

from dataclasses import dataclass

from django.contrib.sitemaps import views as sitemap_views
from django.core.paginator import EmptyPage, Paginator
from django.http import FileResponse, Http404, HttpResponse, JsonResponse
from django.shortcuts import get_object_or_404, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_safe

from . import citations, exports, filters, schema_org, search, selectors, uploads
from .exports import sitemaps
from .models import Document, Event, LegalCase, Organization, Person

PAGE_SIZE = 20


@dataclass(frozen=True)
class Kind:
    key: str  # the search index's and URL names' word for it
    slug: str  # the URL's
    model: type
    filterset: type

    @property
    def label(self):
        return self.model._meta.verbose_name

    @property
    def label_plural(self):
        return self.model._meta.verbose_name_plural


KINDS = [
    Kind("document", "documents", Document, filters.DocumentFilterSet),
    Kind("person", "persons", Person, filters.PersonFilterSet),
    Kind("organization", "organizations", Organization, filters.OrganizationFilterSet),
    Kind("case", "cases", LegalCase, filters.LegalCaseFilterSet),
    Kind("event", "events", Event, filters.EventFilterSet),
]
BY_SLUG = {kind.slug: kind for kind in KINDS}
BY_KEY = {kind.key: kind for kind in KINDS}
BY_MODEL = {kind.model: kind for kind in KINDS}


@dataclass(frozen=True)
class Export:
    key: str  # the URL name's suffix
    filename: str  # the last part of the URL
    label: str
    media_type: str
    models: tuple  # the record types it describes
    build: object = None  # (record, request) -> lxml element, for XML formats

    def url_name(self, kind):
        return f"{kind.key}_{self.key}"


AUTHORITIES = (Person, Organization)
EXPORTS = [
    Export(
        "ead3",
        "ead3.xml",
        gettext_lazy("EAD3 finding aid (XML)"),
        "application/xml",
        (Document,),
        exports.ead3,
    ),
    Export(
        "eac_cpf",
        "eac-cpf.xml",
        gettext_lazy("EAC-CPF authority record (XML)"),
        "application/xml",
        AUTHORITIES,
        exports.eac_cpf,
    ),
    Export(
        "dc",
        "dc.xml",
        gettext_lazy("Dublin Core (XML)"),
        "application/xml",
        tuple(kind.model for kind in KINDS),
        exports.dublin_core,
    ),
    Export(
        "jsonld",
        "schema.jsonld",
        gettext_lazy("schema.org (JSON-LD)"),
        "application/ld+json",
        tuple(kind.model for kind in KINDS),
    ),
]
EXPORTS_BY_KEY = {export.key: export for export in EXPORTS}


def exports_of(kind):
    """The export formats of a record type, each with its URL name for that type."""
    return [(export, export.url_name(kind)) for export in EXPORTS if kind.model in export.models]


def bad_request(request, message):
    return render(request, "catalogue/bad_request.html", {"message": message}, status=400)


def page_number(request):
    """The requested page as a whole number of at least 1, or None when it is not one."""
    raw = request.GET.get("page", "1").strip() or "1"
    if not raw.isdigit() or not 1 <= int(raw) <= 10_000:
        return None
    return int(raw)


@require_safe
def home(request):
    counts = [(kind, kind.model.objects.public().count()) for kind in KINDS]
    recent = Document.objects.public().order_by("-pk")[:6]  # ids grow with each addition
    return render(request, "catalogue/home.html", {"counts": counts, "recent": recent})


@require_safe
def search_page(request):
    number = page_number(request)
    if number is None:
        return bad_request(request, _("The page number must be a whole number from 1."))
    text = request.GET.get("q", "")
    query = search.parse(text)
    chosen = request.GET.get("type", "")
    if chosen and chosen not in BY_KEY:
        return bad_request(request, _("Choose a record type from the list."))
    sort = request.GET.get("sort", "relevance")
    if sort not in search.SORTS:
        return bad_request(request, _("Choose a sort order from the list."))
    context = {"text": text, "query": query, "chosen": chosen, "sort": sort, "kinds": KINDS}
    if query:
        counts = search.counts(query)
        total = counts[chosen] if chosen else sum(counts.values())
        kinds = [chosen] if chosen else None
        offset = (number - 1) * PAGE_SIZE
        found = search.results(query, kinds, sort, offset, PAGE_SIZE) if offset < total else []
        context |= {
            "counts": [(kind, counts[kind.key]) for kind in KINDS],
            "total": total,
            "results": [(BY_KEY[key], record) for key, record in found],
            "page": Paginator(range(total), PAGE_SIZE).get_page(number),
            "page_number": number,
        }
    return render(request, "catalogue/search.html", context)


@require_safe
def browse(request, slug):
    kind = BY_SLUG[slug]
    number = page_number(request)
    if number is None:
        return bad_request(request, _("The page number must be a whole number from 1."))
    filterset = kind.filterset(request.GET, queryset=kind.model.objects.public(), request=request)
    context = {"kind": kind, "filterset": filterset, "kinds": KINDS}
    if not filterset.is_valid():
        context |= {"results": [], "errors": filterset.errors}
        return render(request, "catalogue/browse.html", context, status=400)

    query = search.parse(filterset.form.cleaned_data.get("q") or "")
    sort = filterset.form.cleaned_data.get("sort") or ("relevance" if query else "date")
    queryset = filterset.qs
    if sort == "relevance" and query:
        queryset = search.in_relevance_order(queryset, query, kind.key)
    elif sort == "relevance":
        queryset = queryset.order_by("date_earliest", "pk")
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
        "facets": filterset.facet_counts(),
        "linked": filterset.linked_records(),
        "query": query,
        "sort": sort,
    }
    return render(request, "catalogue/browse.html", context)


def public_record(slug, public_id):
    """The record as the public may see it: 404 unless public, withheld fields blanked."""
    kind = BY_SLUG[slug]
    record = get_object_or_404(kind.model.objects.public(), public_id=public_id)
    return kind, record.public_view()


@require_safe
def detail(request, slug, public_id):
    kind, record = public_record(slug, public_id)
    related = selectors.CONTEXTS[kind.model](record)
    context = {
        "kind": kind,
        "record": record,
        "citation": citations.text(record, request),
        "jsonld": schema_org.safe_json(schema_org.describe(record, request, related)),
        "exports": exports_of(kind),
        **related,
    }
    return render(request, f"catalogue/{kind.key}_detail.html", context)


@require_safe
def cite(request, slug, public_id, fmt):
    _kind, record = public_record(slug, public_id)
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
def export(request, slug, public_id, fmt):
    _kind, record = public_record(slug, public_id)
    chosen = EXPORTS_BY_KEY[fmt]
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
