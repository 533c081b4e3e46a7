"""AtoM's authority record CSV (ISAAR(CPF)): persons, corporate bodies and families.

`typeOfEntity` decides the record type: Person → person; Corporate body → organization; and
Family → organization too, because a family here is a group whose members are persons
(memberships), not one life with a birth and a death. A record is matched again by its
`legacyId` (when the file has one) through the keymap, else by its exact authorized name.
"""

from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from ... import services
from ...models import (
    CATALOGUE_LANGUAGE,
    Identifier,
    ImportKey,
    NameForm,
    Organization,
    Person,
    Record,
    language_tag,
)
from . import dates
from .base import Action, AtomFormat, check_may_change
from .values import RowError, cell
from .values import values as multi

ENTITY_TYPES = {"person": Person, "corporate body": Organization, "family": Organization}

# AtoM's name-form columns → (our kind, the note that keeps the ISAAR element).
NAME_FORMS = {
    "parallelFormsOfName": (NameForm.Kind.TRANSLATION, "Parallel form (ISAAR 5.1.3)"),
    "standardizedFormsOfName": (NameForm.Kind.VARIANT, "Standardized form (ISAAR 5.1.4)"),
    "otherFormsOfName": (NameForm.Kind.ALIAS, "Other form (ISAAR 5.1.5)"),
}
# ISAAR elements we have no field for, kept as labelled paragraphs of the history.
HISTORY_PARAGRAPHS = {
    "places": gettext_lazy("Places"),
    "legalStatus": gettext_lazy("Legal status"),
    "internalStructures": gettext_lazy("Internal structures/genealogy"),
    "generalContext": gettext_lazy("General context"),
}
FIELD_COLUMNS = {
    "authorized_name": "authorizedFormOfName",
    "birth_date": "datesOfExistence",
    "death_date": "datesOfExistence",
    "dates": "datesOfExistence",
    "biography": "history",
    "history": "history",
    "functions": "functions",
    "sources": "sources",
    "archivist_note": "maintenanceNotes",
}


class Authorities(AtomFormat):
    name = "atom-authority"
    label = gettext_lazy("AtoM authority records (ISAAR CSV)")
    model = Person
    signature = frozenset({"authorizedFormOfName", "typeOfEntity"})
    columns = frozenset(
        {
            *("legacyId", "culture", "typeOfEntity", "authorizedFormOfName"),
            *NAME_FORMS,
            *HISTORY_PARAGRAPHS,
            *("corporateBodyIdentifiers", "datesOfExistence", "history", "functions"),
            *("mandates", "sources", "maintenanceNotes", "actorOccupations"),
            "actorOccupationNotes",
        }
    )
    not_imported = frozenset(
        {
            *("descriptionIdentifier", "institutionIdentifier", "rules", "status"),
            *("levelOfDetail", "revisionHistory", "subjectAccessPoints", "placeAccessPoints"),
            *("digitalObjectPath", "digitalObjectURI"),
        }
    )

    def __init__(self):
        # legacyId (or, in a file without them, the name) → (record, culture) of its first row
        self.seen = {}

    def error_column(self, field_name):
        return FIELD_COLUMNS.get(field_name, field_name)

    def import_row(self, row, run):
        name = cell(row, "authorizedFormOfName")
        legacy_id = cell(row, "legacyId")
        key = legacy_id or f"name:{name}"
        if key in self.seen and cell(row, "culture") != self.seen[key][1]:
            return self.import_translation(key, row, run)
        if legacy_id in self.seen:
            raise RowError(
                "legacyId",
                _("legacyId “%(id)s” is repeated in the same culture.") % {"id": legacy_id},
            )
        if not name:
            raise RowError("authorizedFormOfName", _("Give the authorized form of name."))
        entity = cell(row, "typeOfEntity")
        model = ENTITY_TYPES.get(entity.casefold())
        notes = []
        if model is None and entity:
            raise RowError(
                "typeOfEntity",
                _("“%(value)s” is not a type of entity. Use Person, Corporate body or Family.")
                % {"value": entity},
            )
        if model is None:
            model = Person
            notes.append(_("No type of entity: imported as a person."))
        if entity.casefold() == "family":
            notes.append(_("A family is imported as an organization."))
        record = self.existing(model, legacy_id, name, run)
        action = Action.UPDATE if record else Action.NEW
        record = record or model(status=Record.Status.DRAFT)
        check_may_change(record, run, "authorizedFormOfName")
        record.authorized_name = name
        notes += self.fill(record, row)
        culture = language_tag(cell(row, "culture"))
        if culture and culture != CATALOGUE_LANGUAGE:
            notes.append(
                _("Its culture is “%(culture)s”; the catalogue's own language is “%(ours)s”.")
                % {"culture": culture, "ours": CATALOGUE_LANGUAGE}
            )
        record.full_clean()
        services.save_record(record, lambda: self.save_names(record, row), index=False)
        if legacy_id:
            ImportKey.objects.remember(run.source, record, legacy_id)
        self.seen.setdefault(key, (record, cell(row, "culture")))
        return action, record, notes

    @staticmethod
    def existing(model, legacy_id, name, run):
        if legacy_id:
            pk = ImportKey.objects.lookup(run.source, model.record_type, legacy_id)
            if pk:
                return model.objects.filter(pk=pk).first()
        return model.objects.filter(authorized_name=name).order_by("pk").first()

    def fill(self, record, row):
        """Set the record's fields from the row; the notes about what was not as given."""
        notes = []
        text = cell(row, "history")
        extra = [
            f"{label}: {cell(row, column)}"
            for column, label in HISTORY_PARAGRAPHS.items()
            if cell(row, column)
        ]
        setattr(record, record.translated_text, "\n\n".join([text, *extra]).strip())
        functions = [cell(row, "functions")]
        if isinstance(record, Organization):
            functions.append(cell(row, "mandates"))
        functions += occupations(row)
        record.functions = "\n".join(f for f in functions if f)
        record.sources = cell(row, "sources")
        maintenance = [cell(row, "maintenanceNotes")]
        if isinstance(record, Person) and cell(row, "mandates"):
            maintenance.append(_("Mandates: %(text)s") % {"text": cell(row, "mandates")})
        given = cell(row, "datesOfExistence")
        if given:
            # The text is kept whether or not it reads as dates: it often says more.
            maintenance.append(_("Dates of existence in AtoM: %(text)s") % {"text": given})
            read = dates.existence(given)
            if read is None or not self.set_dates(record, *read):
                notes.append(
                    _(
                        "Dates of existence “%(text)s” are not dates the import can read: "
                        "kept in the archivist's note."
                    )
                    % {"text": given}
                )
        record.archivist_note = "\n\n".join(m for m in maintenance if m)
        return notes

    @staticmethod
    def set_dates(record, start, end):
        """Set the dates of existence; False when they are one date that a person's birth
        and death cannot tell apart."""
        if isinstance(record, Organization):
            record.dates = start if start == end else f"{start}/{end}"
            return True
        if start == end:
            return False
        record.birth_date = start
        record.death_date = "" if end == ".." else end
        return True

    @staticmethod
    def save_names(record, row):
        """The record's other forms of name and identifiers, added where not there yet."""
        for column, (name_kind, note) in NAME_FORMS.items():
            for name in multi(row, column):
                record.other_names.get_or_create(
                    name=name[:300], kind=name_kind, defaults={"note": note}
                )
        for value in multi(row, "corporateBodyIdentifiers"):
            record.identifiers.get_or_create(scheme=Identifier.Scheme.OTHER, value=value[:200])

    def import_translation(self, key, row, run):
        record, _culture = self.seen[key]
        check_may_change(record, run, "legacyId")
        if not cell(row, "culture"):
            raise RowError("culture", _("Give the culture (language) of this translation."))
        lang = run.language(cell(row, "culture"), "culture")
        if lang.tag == CATALOGUE_LANGUAGE:
            return Action.SKIP, record, [_("The record itself is in this language.")]
        model = record.translations.model
        translation = model.objects.filter(record=record, language=lang).first()
        action = Action.UPDATE if translation else Action.NEW
        translation = translation or model(record=record, language=lang)
        name = cell(row, "authorizedFormOfName")
        translation.title = "" if name == record.authorized_name else name
        translation.text = cell(row, "history")
        translation.full_clean()
        translation.save()
        return action, record, []


def occupations(row):
    """AtoM's occupations with their notes, one per line (our functions and activities)."""
    names = multi(row, "actorOccupations")
    notes = [n.strip() for n in (row.get("actorOccupationNotes") or "").split("|")]
    lines = []
    for i, name in enumerate(names):
        note = notes[i] if i < len(notes) and notes[i] != "NULL" else ""
        lines.append(f"{name} ({note})" if note else name)
    return lines
