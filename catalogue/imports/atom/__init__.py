"""AtoM (Access to Memory) CSV files, imported as they are, with AtoM's own column names.

Four kinds of file, each a format: archival descriptions (`atom-description`), authority
records (`atom-authority`), relationships between authority records (`atom-relationship`)
and events (`atom-event`). A file's header tells which it is (`detect`). Identifiers AtoM
gave (`legacyId`) are kept in the keymap (`ImportKey`, source "atom"), so importing a file
again updates what the first import made.
"""

from .authorities import Authorities
from .base import SOURCE, Action, AtomFormat, RowResult, Run
from .descriptions import Descriptions
from .events import Events
from .relationships import Relationships

FORMATS = {f.name: f for f in (Descriptions, Authorities, Relationships, Events)}


def detect(header):
    """The AtoM format whose columns this header has, or None."""
    return next((f for f in FORMATS.values() if f.detects(header)), None)


__all__ = ["FORMATS", "SOURCE", "Action", "AtomFormat", "RowResult", "Run", "detect"]
