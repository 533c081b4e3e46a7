"""Merging two authority records that name the same person or organization, and undoing it.

A merge moves every row tied to the merged-away record onto the kept one, deletes the
merged-away record through `services` (so search and tombstones follow) and keeps a snapshot in
a `Merge`, from which its public id redirects and the merge can be undone.
"""

from .merge import merge, plan
from .rules import (
    FIELDS,
    MOVES,
    MergeError,
    counts,
    default_choices,
    leaves_public_view,
    merged_sources,
)
from .undo import undo

__all__ = [
    "FIELDS",
    "MOVES",
    "MergeError",
    "counts",
    "default_choices",
    "leaves_public_view",
    "merge",
    "merged_sources",
    "plan",
    "undo",
]
