"""Our templates, one per record type and relationship, registered as import types."""

from .. import ImportType, register
from .records import DocumentResource

register(ImportType("document", DocumentResource, label="documents"))
