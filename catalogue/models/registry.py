"""The record types, listed once.

Pages, the API, OAI-PMH, exports, the sitemap, search and the admin go through every type by
reading this list; what each type is called and offers is declared on its model
(`record_type`, `slug`, `title_field`, `export_formats`).
"""

from dataclasses import dataclass

from .authorities import Organization, Person
from .cases import Event, LegalCase
from .documents import Document

# The order is the order of pages and lists, and part of the search index's entry ids:
# add a new type at the end.
RECORD_MODELS = (Document, Person, Organization, LegalCase, Event)


@dataclass(frozen=True)
class RecordType:
    """A record type as pages and templates name it."""

    model: type

    @property
    def name(self):
        return self.model.record_type

    @property
    def slug(self):
        return self.model.slug

    @property
    def title_field(self):
        return self.model.title_field

    @property
    def export_formats(self):
        return self.model.export_formats

    @property
    def label(self):
        return self.model._meta.verbose_name

    @property
    def label_plural(self):
        return self.model._meta.verbose_name_plural

    @classmethod
    def of(cls, record_or_model):
        return BY_NAME[record_or_model.record_type]


RECORD_TYPES = tuple(RecordType(model) for model in RECORD_MODELS)
BY_NAME = {record_type.name: record_type for record_type in RECORD_TYPES}
BY_SLUG = {record_type.slug: record_type for record_type in RECORD_TYPES}
RECORD_TYPE_CHOICES = [(model.record_type, model._meta.verbose_name) for model in RECORD_MODELS]
