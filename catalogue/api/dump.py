"""The bulk dump: every public record as the API gives it, one JSON object per line, gzipped."""

import gzip
import json
import os
import tempfile
from pathlib import Path

from django.conf import settings
from django.core.serializers.json import DjangoJSONEncoder

from .. import related
from ..models import RECORD_MODELS
from .views import DUMP_NAME, VIEWSETS

CHUNK = 500


def records():
    """Public views of every public record, type by type, in a steady order."""
    for model in RECORD_MODELS:
        queryset = model.objects.public().prefetch_related(*related.prefetches(model))
        for record in queryset.order_by("pk").iterator(chunk_size=CHUNK):
            yield record.public_view()


def write(folder=None):
    """Write the dump beside the old one, then swap it in; return {type: count}."""
    folder = Path(folder or settings.MEMORIA_DUMP_ROOT)
    folder.mkdir(parents=True, exist_ok=True)
    context = {"base_url": settings.MEMORIA_BASE_URL}
    counts = {model.record_type: 0 for model in RECORD_MODELS}
    handle, temporary = tempfile.mkstemp(dir=folder, prefix=".dump-", suffix=".tmp")
    try:
        with os.fdopen(handle, "wb") as raw, gzip.open(raw, "wt", encoding="utf-8") as out:
            for record in records():
                data = VIEWSETS[record.record_type].serializer_class(record, context=context).data
                out.write(json.dumps(data, cls=DjangoJSONEncoder, ensure_ascii=False))
                out.write("\n")
                counts[record.record_type] += 1
        os.chmod(temporary, 0o644)
        # A partner downloading meanwhile gets the whole old file or the whole new one.
        os.replace(temporary, folder / DUMP_NAME)
    except BaseException:
        Path(temporary).unlink(missing_ok=True)
        raise
    return counts
