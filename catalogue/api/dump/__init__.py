"""The bulk dump: every public record as the API gives it, one JSON object per line, gzipped.

`writing` makes the file (`manage.py dump_public_records`, nightly); `serving` gives it as the
catalogue stands at each request.
"""

from .serving import current, last_modified, stream
from .writing import write

__all__ = ["current", "last_modified", "stream", "write"]
