"""A record's own pages: the record, its citations, exports and attached file."""

from functools import wraps

from django.http import (
    FileResponse,
    Http404,
    HttpResponse,
    HttpResponsePermanentRedirect,
    JsonResponse,
)
from django.shortcuts import get_object_or_404, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_safe

from .. import (
    citations,
    exports,
    related,
    schema_org,
    timeline,
    uploads,
)
from ..models import BY_SLUG, Document, Merge


def public_record(slug, public_id, queryset=None):
    """The record as the public may see it: 404 unless public, withheld fields blanked.
    `queryset(model)`: the public records of its type, as the caller reads them."""
    record_type = BY_SLUG[slug]
    records = queryset(record_type.model) if queryset else record_type.model.objects.public()
    record = get_object_or_404(records, public_id=public_id)
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
    record_type, record = public_record(slug, public_id, related.page_queryset)
    lists = related.page_lists(record)
    context = {
        "record_type": record_type,
        "record": record,
        "shown": record.localized(),
        "citation": citations.text(record, request),
        "jsonld": schema_org.safe_json(schema_org.describe(record, request, lists)),
        "exports": exports.formats_of(record_type.model),
        "timeline": agent_timeline(record) if record_type.name in AGENTS else None,
        **lists,
    }
    return render(request, f"catalogue/{record_type.name}_detail.html", context)


AGENTS = ("person", "organization")


def agent_timeline(record):
    """A person's or organization's life along the years, over the documents about them per
    year, each year a link to those documents: all from the lists the page has read."""
    documents = reverse("document_list")
    name, value = record.record_type, record.public_id
    return timeline.build(
        timeline.agent_rows(record),
        timeline.counted_years(link.document for link in record.public_documents),
        lambda first, last: f"{documents}?{name}={value}&date_from={first:04d}&date_to={last:04d}",
        timeline.documents_counted,
    )


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
