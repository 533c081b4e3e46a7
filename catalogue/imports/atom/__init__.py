"""AtoM (Access to Memory) CSV files, imported as they are, with AtoM's own column names.

Four kinds of file, each a format: archival descriptions (`atom-description`), authority
records (`atom-authority`), relationships between authority records (`atom-relationship`)
and events (`atom-event`); `atom` takes any of them and tells which from the header
(`detect`). Identifiers AtoM gave (`legacyId`) are kept in the keymap (`ImportKey`, source
"atom"), so importing a file again updates what the first import made. Each format is
registered as an import type (`manage.py import_csv --type atom-…`) and offered by the
admin's Import of the records it makes.
"""

from ...models import Document, Membership, Organization, OrganizationRelation, Person
from .. import ImportType, register
from .base import SOURCE, Action, AtomFormat, RowResult, Run
from .formats import FORMATS, detect
from .resource import RESOURCES, DetectedResource, WholeCsvFile

ADMIN_MODELS = {
    "atom-description": (Document,),
    "atom-event": (Document,),
    "atom-authority": (Person, Organization),
    "atom-relationship": (Membership, OrganizationRelation),
}
for name, resource in RESOURCES.items():
    register(
        ImportType(
            name, resource, SOURCE, FORMATS[name].label, WholeCsvFile.open, ADMIN_MODELS[name]
        )
    )
register(ImportType("atom", DetectedResource, SOURCE, DetectedResource.label, WholeCsvFile.open))

__all__ = ["FORMATS", "SOURCE", "Action", "AtomFormat", "RowResult", "Run", "detect"]
