"""Our templates of the five record types: one column per field, named as the field."""

from django.conf import settings

from ...models import (
    CATALOGUE_LANGUAGE,
    Document,
    Language,
)
from ..widgets import (
    Choice,
    Date,
    Languages,
    Reference,
    normal_text,
)
from .base import Column, RecordResource, Stashed, stash

# Translations: a title and a text column per language of the site other than the catalogue's.
TRANSLATION_TAGS = [code for code, _name in settings.LANGUAGES if code != CATALOGUE_LANGUAGE]


def translation_columns():
    columns = {}
    for tag in TRANSLATION_TAGS:
        columns[f"title_{tag}"] = Stashed(
            f"title_{tag}", read=lambda r, t=tag: translated(r, t, "title")
        )
        columns[f"text_{tag}"] = Stashed(
            f"text_{tag}", read=lambda r, t=tag: translated(r, t, "text")
        )
    return columns


def translated(record, tag, part):
    for translation in record.translations.all():
        if translation.language.tag == tag:
            return getattr(translation, part)
    return ""


def write_translations(record, values):
    for tag in TRANSLATION_TAGS:
        title_column, text_column = f"title_{tag}", f"text_{tag}"
        if title_column not in values and text_column not in values:
            continue
        language = Language.objects.filter(iso639_1=tag).first() or Language.objects.get(code=tag)
        existing = record.translations.filter(language=language).first()
        title = values.get(title_column, existing.title if existing else "")
        text = values.get(text_column, existing.text if existing else "")
        if not (title or text):
            if existing:
                existing.delete()
            continue
        record.translations.update_or_create(
            language=language, defaults={"title": title or "", "text": text or ""}
        )


class TranslatedRecordResource(RecordResource):
    class Meta(RecordResource.Meta):
        abstract = True

    def write_related(self, instance):
        super().write_related(instance)
        write_translations(instance, stash(instance))


def write_languages(record, languages):
    record.languages.set(languages)


class DocumentResource(TranslatedRecordResource):
    reference_code = Column("reference_code")
    title = Column("title")
    level = Column("level", Choice(Document.Level, default=Document.Level.ITEM))
    parent = Column("parent", Reference(Document, defer=True))
    dates = Column("dates")
    extent_and_medium = Column("extent_and_medium")
    creator_name = Column("creator_name")
    publisher = Column("publisher")
    archival_history = Column("archival_history")
    kind = Column("kind", Choice(Document.Kind))
    scope_and_content = Column("scope_and_content")
    languages = Stashed("languages", Languages(), write=write_languages)
    conditions_of_access = Column("conditions_of_access")
    conditions_of_reproduction = Column("conditions_of_reproduction")
    location_of_originals = Column("location_of_originals")
    url = Column("url")
    access = Column("access", Choice(Document.Access, default=Document.Access.OPEN))
    embargo_until = Column("embargo_until", Date())
    sources = Column("sources")
    archivist_note = Column("archivist_note")
    locals().update(translation_columns())

    class Meta:
        model = Document
        fields = [
            "public_id",
            "legacy_id",
            "reference_code",
            "title",
            "level",
            "parent",
            "dates",
            "extent_and_medium",
            "creator_name",
            "publisher",
            "archival_history",
            "kind",
            "scope_and_content",
            "languages",
            "conditions_of_access",
            "conditions_of_reproduction",
            "location_of_originals",
            "url",
            "access",
            "embargo_until",
            "sources",
            "archivist_note",
            *[f"{part}_{tag}" for tag in TRANSLATION_TAGS for part in ("title", "text")],
            "status",
        ]
        import_order = export_order = fields

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["parent"].widget.source = lambda: self.source

    def find_by_natural_key(self, row):
        code = normal_text(row.get("reference_code"))
        return Document.objects.filter(reference_code=code).first() if code else None
