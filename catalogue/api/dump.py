"""The bulk dump: every public record as the API gives it, one JSON object per line, gzipped."""

import gzip
import json
import os
import tempfile
from pathlib import Path

from django.conf import settings
from django.core.serializers.json import DjangoJSONEncoder

from .. import selectors
from ..views import KINDS
from .views import DUMP_NAME, VIEWSETS

CHUNK = 500


def records():
    """(kind, public view) of every public record, type by type, in a steady order."""
    for kind in KINDS:
        queryset = (
            kind.model.objects.public()
            .prefetch_related(*selectors.API_PREFETCHES[kind.model])
            .order_by("pk")
        )
        for record in queryset.iterator(chunk_size=CHUNK):
            yield kind, record.public_view()


def write(folder=None):
    """Write the dump beside the old one, then swap it in; return {type: count}."""
    folder = Path(folder or settings.MEMORIA_DUMP_ROOT)
    folder.mkdir(parents=True, exist_ok=True)
    context = {"base_url": settings.MEMORIA_BASE_URL}
    counts = {kind.key: 0 for kind in KINDS}
    handle, temporary = tempfile.mkstemp(dir=folder, prefix=".dump-", suffix=".tmp")
    try:
        with os.fdopen(handle, "wb") as raw, gzip.open(raw, "wt", encoding="utf-8") as out:
            for kind, record in records():
                data = VIEWSETS[kind.key].serializer_class(record, context=context).data
                out.write(json.dumps(data, cls=DjangoJSONEncoder, ensure_ascii=False))
                out.write("\n")
                counts[kind.key] += 1
        os.chmod(temporary, 0o644)
        # A partner downloading meanwhile gets the whole old file or the whole new one.
        os.replace(temporary, folder / DUMP_NAME)
    except BaseException:
        Path(temporary).unlink(missing_ok=True)
        raise
    return counts
