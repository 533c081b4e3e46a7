"""The kinds of AtoM CSV file, by import type name, and how a header tells them apart."""

from .authorities import Authorities
from .descriptions import Descriptions
from .events import Events
from .relationships import Relationships

FORMATS = {f.name: f for f in (Descriptions, Authorities, Relationships, Events)}


def detect(header):
    """The AtoM format whose columns this header has, or None."""
    return next((f for f in FORMATS.values() if f.detects(header)), None)
