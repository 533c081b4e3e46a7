"""The whole catalogue in one archive file, and back into an empty database.

The archive is a zip file:

- `manifest.json`: format version, Memoria and Django versions, when it was made, the
  migrations the data was written under, rows per model, and the sha256 of every other member;
- `data.json`: every row of every model worth keeping, in Django's serialization format;
- `media/<name>`: every file a FileField refers to, under the name the field stores.

Primary keys are kept as they are, because history (django-reversion's versions) and the
admin's log refer to records by primary key. Content types and permissions are not kept:
`migrate` makes them, and the data refers to them by natural key.
"""

from .common import MANIFEST, BackupError, Summary, exported_models
from .reading import restore
from .writing import backup

__all__ = ["MANIFEST", "BackupError", "Summary", "backup", "exported_models", "restore"]
