"""Read-only endpoints: every list starts from `.public()` and serializes public views."""

from django.http import (
    Http404,
    HttpResponsePermanentRedirect,
    JsonResponse,
    StreamingHttpResponse,
)
from django.shortcuts import get_object_or_404
from django.urls import reverse
from django.utils.cache import get_conditional_response
from django.utils.http import http_date, quote_etag
from django.utils.translation import gettext as _
from django.views import defaults
from django_filters.rest_framework import DjangoFilterBackend
from drf_spectacular.utils import (
    OpenApiResponse,
    extend_schema,
    extend_schema_view,
    inline_serializer,
)
from rest_framework import mixins, serializers, viewsets
from rest_framework.decorators import api_view
from rest_framework.exceptions import NotFound, ParseError, ValidationError
from rest_framework.response import Response
from rest_framework.views import APIView
from rest_framework.views import exception_handler as drf_exception_handler

from .. import filters, related
from ..models import BY_NAME, RECORD_TYPES, Merge, Tombstone
from . import dump
from . import serializers as api
from .paging import HarvestPagination, RecordOrdering

DUMP_NAME = "memoria-public.jsonl.gz"

ErrorSerializer = inline_serializer(
    "Error",
    {
        "detail": serializers.CharField(help_text="What went wrong, in words."),
        "errors": serializers.DictField(
            child=serializers.ListField(child=serializers.CharField()),
            required=False,
            help_text="For a parameter that is not valid: its name, with what is wrong.",
        ),
    },
)
ERRORS = {
    400: OpenApiResponse(ErrorSerializer, description="A parameter is not valid."),
    401: OpenApiResponse(ErrorSerializer, description="The API key is not valid or revoked."),
    429: OpenApiResponse(ErrorSerializer, description="Too many requests: see Retry-After."),
}


def base_url(request):
    return request.build_absolute_uri("/").rstrip("/")


def exception_handler(exc, context):
    """Every error is JSON with a `detail` message; invalid parameters also list `errors`."""
    response = drf_exception_handler(exc, context)
    if response is not None and isinstance(exc, ValidationError):
        errors = response.data if isinstance(response.data, dict) else {"": response.data}
        response.data = {"detail": _("Some parameters are not valid."), "errors": errors}
    return response


def not_found(request, exception):
    """JSON for unknown API addresses; the catalogue's own page for the rest of the site."""
    if request.path.startswith("/api/"):
        return JsonResponse({"detail": _("There is no such API address.")}, status=404)
    return defaults.page_not_found(request, exception)


class CatalogueFilterBackend(DjangoFilterBackend):
    """The public pages' FilterSet of each record type, with the API's parameter names."""

    def get_filterset_class(self, view, queryset=None):
        return getattr(view, "filterset_class", None)


class ParametersChecked:
    """Refuse parameters the endpoint does not know, so a misspelt filter is not ignored."""

    general_parameters = {"cursor", "page_size", "ordering"}

    def known_parameters(self):
        filterset = getattr(self, "filterset_class", None)
        return self.general_parameters | set(filterset.base_filters if filterset else ())

    def initial(self, request, *args, **kwargs):
        super().initial(request, *args, **kwargs)
        known = self.known_parameters() if self.action == "list" else set()
        unknown = sorted(set(request.query_params) - known)
        if unknown:
            raise ParseError(
                _("Unknown parameters: %(unknown)s. This endpoint takes: %(known)s.")
                % {
                    "unknown": ", ".join(unknown),
                    "known": ", ".join(sorted(known)) or _("none"),
                }
            )


class RecordViewSet(ParametersChecked, viewsets.ReadOnlyModelViewSet):
    model = None
    serializer_class = None
    lookup_field = "public_id"
    lookup_url_kwarg = "id"
    lookup_value_regex = "[^/]+"
    filter_backends = [CatalogueFilterBackend, RecordOrdering]
    pagination_class = HarvestPagination
    default_ordering = "created"

    @property
    def filterset_class(self):
        return API_FILTERSETS[self.model]

    def get_queryset(self):
        listed = related.prefetches(self.model, listed=self.action == "list")
        return self.model.objects.public().prefetch_related(*listed)

    def get_serializer_context(self):
        return {**super().get_serializer_context(), "base_url": base_url(self.request)}

    def paginate_queryset(self, queryset):
        page = super().paginate_queryset(queryset)
        if hasattr(self.model, "document_links"):
            related.count_documents_about(page)
        return [record.public_view() for record in page]

    def get_object(self):
        record = get_object_or_404(self.get_queryset(), public_id=self.kwargs["id"])
        return record.public_view()

    def retrieve(self, request, *args, **kwargs):
        try:
            record = self.get_object()
        except Http404:
            # A merged-away record's id leads to the record it was merged into, if public.
            kept = Merge.objects.public_successor(self.model, self.kwargs["id"])
            if kept is None:
                raise
            url = reverse(f"api:{self.model.record_type}-detail", args=[kept.public_id])
            return HttpResponsePermanentRedirect(request.build_absolute_uri(url))
        response = Response(self.get_serializer(record).data)
        # With the ETag that ConditionalGetMiddleware adds, a client can revalidate cheaply.
        response["Last-Modified"] = http_date(record.last_changed.timestamp())
        return response


API_FILTERSETS = {model: filters.for_api(fs) for model, fs in filters.FILTERSETS.items()}


def record_viewset(name, serializer_class, description):
    record_type = BY_NAME[name]
    viewset = type(
        f"{record_type.model.__name__}ViewSet",
        (RecordViewSet,),
        {"model": record_type.model, "serializer_class": serializer_class},
    )
    not_found = OpenApiResponse(ErrorSerializer, description="No public record has this id.")
    moved = OpenApiResponse(
        description="The record was merged into another: Location gives the kept record."
    )
    documented = extend_schema_view(
        list=extend_schema(responses={200: serializer_class(many=True), **ERRORS}),
        retrieve=extend_schema(
            responses={200: serializer_class, 301: moved, 404: not_found, **ERRORS}
        ),
    )
    return extend_schema(tags=[record_type.slug], description=description)(documented(viewset))


DocumentViewSet = record_viewset(
    "document",
    api.DocumentSerializer,
    "Archival descriptions (ISAD(G)): fonds, series, files and items.",
)
PersonViewSet = record_viewset(
    "person", api.PersonSerializer, "Authority records of persons (ISAAR(CPF))."
)
OrganizationViewSet = record_viewset(
    "organization", api.OrganizationSerializer, "Authority records of organizations."
)
LegalCaseViewSet = record_viewset(
    "case", api.LegalCaseSerializer, "Legal cases, their parties and outcomes."
)
EventViewSet = record_viewset("event", api.EventSerializer, "Events and their participants.")
VIEWSETS = {
    viewset.model.record_type: viewset
    for viewset in (
        DocumentViewSet,
        PersonViewSet,
        OrganizationViewSet,
        LegalCaseViewSet,
        EventViewSet,
    )
}


class DeletionPagination(HarvestPagination):
    ordering = ("removed_at", "pk")


@extend_schema(tags=["sync"], responses={200: api.DeletionSerializer(many=True), **ERRORS})
class DeletionViewSet(ParametersChecked, mixins.ListModelMixin, viewsets.GenericViewSet):
    """Records that were public and are no longer: withdrawn, hidden or deleted.

    Remove these from your copy. Ask with `removed_since` set to the start of your last sync.
    """

    serializer_class = api.DeletionSerializer
    filter_backends = [CatalogueFilterBackend]
    filterset_class = filters.TombstoneFilterSet
    pagination_class = DeletionPagination
    general_parameters = {"cursor", "page_size"}

    def get_queryset(self):
        return Tombstone.objects.current()


@extend_schema(
    tags=["sync"],
    responses={
        (200, "application/gzip"): OpenApiResponse(
            description="Every public record, one JSON object per line, gzipped."
        ),
        304: OpenApiResponse(description="Not modified since your copy."),
        404: OpenApiResponse(ErrorSerializer, description="No dump has been made yet."),
        429: ERRORS[429],
    },
)
class DumpView(APIView):
    """Every public record in one gzipped JSON Lines file, as the catalogue stands now.

    Each line is one record as its detail endpoint gives it. Download this instead of
    paging through everything, then keep up with `modified_since` and the deletions feed.
    The archive writes the file nightly; a record changed since is served as it stands, and
    one no longer public is left out, from the next request on.
    """

    def get(self, request):
        if request.query_params:
            raise ParseError(_("This endpoint takes no parameters."))
        current = dump.current()
        if current is None:
            raise NotFound(
                _(
                    "No dump has been made yet for the catalogue as it stands. "
                    "Page through the API instead."
                )
            )
        etag = quote_etag(current.etag)
        modified = dump.last_modified(current)
        not_modified = get_conditional_response(
            request, etag=etag, last_modified=int(modified.timestamp())
        )
        if not_modified is not None:
            return not_modified
        response = StreamingHttpResponse(dump.stream(current), content_type="application/gzip")
        response["Content-Disposition"] = f'attachment; filename="{DUMP_NAME}"'
        response["ETag"] = etag
        response["Last-Modified"] = http_date(modified.timestamp())
        return response


@extend_schema(exclude=True)
@api_view(["GET", "HEAD"])
def api_root(request):
    """Where everything is: start here."""

    def url(name, *args):
        return request.build_absolute_uri(reverse(f"api:{name}", args=args))

    return Response(
        {
            **{type_.slug: url(f"{type_.name}-list") for type_ in RECORD_TYPES},
            "deletions": url("deletions-list"),
            "dump": url("dump"),
            "schema": url("schema"),
            "docs": url("docs"),
        }
    )
