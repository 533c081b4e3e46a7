"""The fields and compact summaries every serializer shares."""

from functools import lru_cache

from django.urls import get_script_prefix, get_urlconf, reverse
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import extend_schema_field
from rest_framework import serializers


def absolute(context, path):
    """An absolute URL: from the request, or from MEMORIA_BASE_URL outside one (the dump)."""
    return f"{context['base_url']}{path}"


class EDTFField(serializers.CharField):
    """An EDTF date string, or null when the record has none (or withholds it)."""

    def __init__(self, **kwargs):
        super().__init__(read_only=True, allow_null=True, **kwargs)

    def to_representation(self, value):
        return value or None


OPTIONAL_URI = {"type": "string", "format": "uri", "nullable": True}


@extend_schema_field(OPTIONAL_URI)
class OptionalURLField(serializers.URLField):
    """A link, or null when there is none."""

    def __init__(self, **kwargs):
        super().__init__(read_only=True, allow_null=True, **kwargs)

    def to_representation(self, value):
        return value or None


PLACEHOLDER = "0placeholder0"


@lru_cache(maxsize=64)
def _api_path_parts(record_type, script_prefix, urlconf):
    before, _, after = reverse(f"api:{record_type}-detail", args=[PLACEHOLDER]).partition(
        PLACEHOLDER
    )
    return before, after


def api_path(record):
    """A record's API address, as `detail_path` gives its page's: reversed once per type,
    then filled in, as a page of the API can name ten thousand related records. Public ids are
    letters and digits, which a path carries as they are."""
    before, after = _api_path_parts(record.record_type, get_script_prefix(), get_urlconf())
    return f"{before}{record.public_id}{after}"


class SummarySerializer(serializers.Serializer):
    """A related record in brief: enough to show it and to follow it."""

    id = serializers.CharField(source="public_id", read_only=True)
    type = serializers.SerializerMethodField()
    title = serializers.SerializerMethodField()
    url = serializers.SerializerMethodField()
    html_url = serializers.SerializerMethodField()

    def get_type(self, record) -> str:
        return record.record_type

    def get_title(self, record) -> str:
        return record.heading

    @extend_schema_field(OpenApiTypes.URI)
    def get_url(self, record):
        return absolute(self.context, api_path(record))

    @extend_schema_field(OpenApiTypes.URI)
    def get_html_url(self, record):
        return absolute(self.context, record.get_absolute_url())

    def to_representation(self, record):
        return brief(record, self.context)


def brief(record, context):
    """A record as `SummarySerializer` gives it, without a serializer or a field object per
    value: the API's lists and the dump hold thousands."""
    return {
        "id": record.public_id,
        "type": record.record_type,
        "title": record.heading,
        "url": absolute(context, api_path(record)),
        "html_url": absolute(context, record.get_absolute_url()),
    }


def summary(**kwargs):
    return SummarySerializer(read_only=True, **kwargs)
