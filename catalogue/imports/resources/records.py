"""Our templates of the five record types: one column per field, named as the field."""

from django.conf import settings
from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _

from ...models import (
    CATALOGUE_LANGUAGE,
    Document,
    Event,
    Language,
    LegalCase,
    Organization,
    OrganizationName,
    Person,
    PersonName,
)
from ..widgets import (
    Boolean,
    Choice,
    Countries,
    Country,
    Date,
    Identifiers,
    Languages,
    NameForms,
    Reference,
    References,
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
    if getattr(record, "_import_new", False):
        # A new record has none yet: one insert, where set() would read them first.
        through = Document.languages.through
        through.objects.bulk_create(
            through(document_id=record.pk, language_id=language.pk) for language in languages
        )
    else:
        record.languages.set(languages)


def write_names(record, forms):
    record.other_names.all().delete()
    for form in forms:
        record.other_names.create(**form)


def write_identifiers(record, pairs):
    record.identifiers.all().delete()
    for scheme, value in pairs:
        record.identifiers.create(scheme=scheme, value=value)


def unique_match(model, **lookup):
    """The one record with these values; None if there is none; an error if several."""
    if not all(lookup.values()):
        return None
    found = list(model.objects.filter(**lookup)[:2])
    if len(found) > 1:
        raise ValidationError(
            _(
                "Several %(types)s have the same %(what)s: give the public_id of the one "
                "this row updates."
            )
            % {
                "types": model._meta.verbose_name_plural,
                "what": ", ".join(str(model._meta.get_field(name).verbose_name) for name in lookup),
            }
        )
    return found[0] if found else None


CONTROL_COLUMNS = ["access", "embargo_until", "sources", "archivist_note"]
TRANSLATION_COLUMNS = [f"{part}_{tag}" for tag in TRANSLATION_TAGS for part in ("title", "text")]


def control_columns(model):
    return {
        "access": Column("access", Choice(model.Access, default=model.Access.OPEN)),
        "embargo_until": Column("embargo_until", Date()),
        "sources": Column("sources"),
        "archivist_note": Column("archivist_note"),
    }


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
    locals().update(control_columns(Document))
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
            *CONTROL_COLUMNS,
            *TRANSLATION_COLUMNS,
            "status",
        ]
        import_order = export_order = fields

    new_is_unique = True  # a new row's reference code was looked up (find_by_natural_key)

    def before_import(self, dataset, **kwargs):
        super().before_import(dataset, **kwargs)
        codes = dataset["reference_code"] if "reference_code" in dataset.headers else ()
        self._codes = dict(
            Document.objects.filter(
                reference_code__in={normal_text(code) for code in codes} - {""}
            ).values_list("reference_code", "pk")
        )

    def find_by_natural_key(self, row):
        pk = self._codes.get(normal_text(row.get("reference_code")))
        return Document.objects.filter(pk=pk).first() if pk else None

    def after_save_instance(self, instance, row, **kwargs):
        super().after_save_instance(instance, row, **kwargs)
        self._codes[instance.reference_code] = instance.pk


class PersonResource(TranslatedRecordResource):
    authorized_name = Column("authorized_name")
    other_names = Stashed("other_names", NameForms(PersonName), write=write_names)
    identifiers = Stashed("identifiers", Identifiers(), write=write_identifiers)
    birth_date = Column("birth_date")
    birth_place = Column("birth_place")
    death_date = Column("death_date")
    death_place = Column("death_place")
    nationality = Column("nationality", Countries())
    biography = Column("biography")
    functions = Column("functions")
    personal_details = Column("personal_details")
    protected = Column("protected", Boolean())
    locals().update(control_columns(Person))
    locals().update(translation_columns())

    class Meta:
        model = Person
        fields = [
            "public_id",
            "legacy_id",
            "authorized_name",
            "other_names",
            "identifiers",
            "birth_date",
            "birth_place",
            "death_date",
            "death_place",
            "nationality",
            "biography",
            "functions",
            "personal_details",
            "protected",
            *CONTROL_COLUMNS,
            *TRANSLATION_COLUMNS,
            "status",
        ]
        import_order = export_order = fields

    def find_by_natural_key(self, row):
        return unique_match(Person, authorized_name=normal_text(row.get("authorized_name")))


class OrganizationResource(TranslatedRecordResource):
    authorized_name = Column("authorized_name")
    acronym = Column("acronym")
    kind = Column("kind", Choice(Organization.Kind, default=Organization.Kind.OTHER))
    other_names = Stashed("other_names", NameForms(OrganizationName), write=write_names)
    identifiers = Stashed("identifiers", Identifiers(), write=write_identifiers)
    dates = Column("dates")
    country = Column("country", Country())
    history = Column("history")
    functions = Column("functions")
    locals().update(control_columns(Organization))
    locals().update(translation_columns())

    class Meta:
        model = Organization
        fields = [
            "public_id",
            "legacy_id",
            "authorized_name",
            "acronym",
            "kind",
            "other_names",
            "identifiers",
            "dates",
            "country",
            "history",
            "functions",
            *CONTROL_COLUMNS,
            *TRANSLATION_COLUMNS,
            "status",
        ]
        import_order = export_order = fields

    def find_by_natural_key(self, row):
        return unique_match(Organization, authorized_name=normal_text(row.get("authorized_name")))


class EventResource(TranslatedRecordResource):
    name = Column("name")
    kind = Column("kind", Choice(Event.Kind, default=Event.Kind.OTHER))
    dates = Column("dates")
    place = Column("place")
    description = Column("description")
    locals().update(control_columns(Event))
    locals().update(translation_columns())

    class Meta:
        model = Event
        fields = [
            "public_id",
            "legacy_id",
            "name",
            "kind",
            "dates",
            "place",
            "description",
            *CONTROL_COLUMNS,
            *TRANSLATION_COLUMNS,
            "status",
        ]
        import_order = export_order = fields

    def find_by_natural_key(self, row):
        return unique_match(
            Event, name=normal_text(row.get("name")), dates=normal_text(row.get("dates"))
        )


def write_events(case, events):
    case.events.set(events)


class LegalCaseResource(TranslatedRecordResource):
    title = Column("title")
    case_number = Column("case_number")
    court = Column("court", Reference(Organization))
    court_detail = Column("court_detail")
    jurisdiction = Column("jurisdiction", Choice(LegalCase.Jurisdiction))
    kind = Column("kind", Choice(LegalCase.Kind))
    date_filed = Column("date_filed")
    date_decided = Column("date_decided")
    case_status = Column(
        "case_status", Choice(LegalCase.CaseStatus, default=LegalCase.CaseStatus.PENDING)
    )
    summary = Column("summary")
    outcome = Column("outcome")
    events = Stashed("events", References(Event), write=write_events)
    locals().update(control_columns(LegalCase))
    locals().update(translation_columns())

    class Meta:
        model = LegalCase
        fields = [
            "public_id",
            "legacy_id",
            "title",
            "case_number",
            "court",
            "court_detail",
            "jurisdiction",
            "kind",
            "date_filed",
            "date_decided",
            "case_status",
            "summary",
            "outcome",
            "events",
            *CONTROL_COLUMNS,
            *TRANSLATION_COLUMNS,
            "status",
        ]
        import_order = export_order = fields

    def find_by_natural_key(self, row):
        return unique_match(
            LegalCase,
            title=normal_text(row.get("title")),
            case_number=normal_text(row.get("case_number")),
        )
