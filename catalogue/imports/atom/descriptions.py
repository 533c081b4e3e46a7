"""AtoM's archival description CSV (ISAD(G) template, and the RAD one's shared columns).

Each row is a description; `legacyId` and `parentId` build the tree in any row order (a row
repeating an earlier `legacyId` in another `culture` is a translation of it). Descriptions are
matched again through the keymap, so importing the same file twice updates them.
"""

from collections import defaultdict

from django.core.exceptions import ValidationError
from django.core.validators import URLValidator
from django.db.models import Q
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from ... import services
from ...models import (
    CATALOGUE_LANGUAGE,
    Document,
    DocumentLink,
    DocumentTranslation,
    ImportKey,
    Record,
    language_tag,
)
from . import agents, dates
from .agents import CREATION_TYPES, link_role
from .base import Action, AtomFormat, check_may_change
from .values import RowError, cell, kind, level, parallel, reference_code
from .values import values as multi

EVENT_COLUMNS = (
    "eventActors",
    "eventActorHistories",
    "eventTypes",
    "eventDates",
    "eventStartDates",
    "eventEndDates",
)

# Our field ← AtoM's column, for plain text.
TEXT_COLUMNS = {
    "title": "title",
    "extent_and_medium": "extentAndMedium",
    "archival_history": "archivalHistory",
    "scope_and_content": "scopeAndContent",
    "conditions_of_access": "accessConditions",
    "conditions_of_reproduction": "reproductionConditions",
    "location_of_originals": "locationOfOriginals",
    "sources": "sources",
    "url": "digitalObjectURI",
}
EXTENT_MAX = Document._meta.get_field("extent_and_medium").max_length
FIELD_COLUMNS = {
    **TEXT_COLUMNS,
    "reference_code": "identifier",
    "level": "levelOfDescription",
    "kind": "levelOfDescription",
    "parent": "parentId",
    "dates": "eventStartDates",
    "archivist_note": "archivistNote",
    "creator_name": "eventActors",
}


class Descriptions(AtomFormat):
    name = "atom-description"
    label = gettext_lazy("AtoM archival descriptions (ISAD CSV)")
    model = Document
    signature = frozenset({"legacyId", "title", "levelOfDescription"})
    columns = frozenset(
        {
            *TEXT_COLUMNS.values(),
            *EVENT_COLUMNS,
            *("legacyId", "parentId", "qubitParentSlug", "identifier", "levelOfDescription"),
            *("language", "nameAccessPoints", "genreAccessPoints", "archivistNote"),
            *("publicationStatus", "culture"),
        }
    )
    not_imported = frozenset(
        {
            *("accessionNumber", "repository", "acquisition", "appraisal", "accruals"),
            *("arrangement", "script", "languageNote", "physicalCharacteristics"),
            *("findingAids", "locationOfCopies", "relatedUnitsOfDescription"),
            *("publicationNote", "digitalObjectPath", "generalNote", "subjectAccessPoints"),
            *("placeAccessPoints", "descriptionIdentifier", "institutionIdentifier", "rules"),
            *("descriptionStatus", "levelOfDetail", "revisionHistory"),
            *("languageOfDescription", "scriptOfDescription", "physicalObjectName"),
            *("physicalObjectLocation", "physicalObjectType", "alternativeIdentifiers"),
            *("alternativeIdentifierLabels", "eventDescriptions", "eventPlaces"),
        }
    )

    def __init__(self):
        self.cultures = {}  # legacyId → the culture of its record's own row
        self.imported = {}  # legacyId → the description this run made or updated from it
        self.legacy_ids = set()  # every legacyId and parentId in the file
        self.keys = None  # legacyId → object id in the keymap, for the file's legacyIds

    def error_column(self, field_name):
        return FIELD_COLUMNS.get(field_name, field_name)

    def order(self, rows):
        """Parents before their parts, each translation after its record, else file order.

        A row that cannot be placed (its legacyId repeated in the same culture, or its
        parents making a loop) comes back as a RowError, so the preview names it.
        """
        first, placed = {}, []
        translations = defaultdict(list)
        for index, (line, row) in enumerate(rows):
            legacy_id = cell(row, "legacyId")
            self.legacy_ids |= {legacy_id, cell(row, "parentId")} - {""}
            if legacy_id in first:
                line_0, row_0 = rows[first[legacy_id]]
                if cell(row, "culture") == cell(row_0, "culture"):
                    message = _(
                        "legacyId “%(id)s” is already the description on line %(line)d; a "
                        "repeated legacyId is a translation and needs another culture."
                    ) % {"id": legacy_id, "line": line_0}
                    placed.append((line, RowError("legacyId", message)))
                else:
                    translations[first[legacy_id]].append((line, row))
                continue
            if legacy_id:
                first[legacy_id] = index
        children, roots = defaultdict(list), []
        for legacy_id, index in first.items():
            row = rows[index][1]
            parent = "" if cell(row, "qubitParentSlug") else cell(row, "parentId")
            if parent in first and parent != legacy_id:
                children[first[parent]].append(index)
            else:
                roots.append(index)
        roots += [i for i, (_l, row) in enumerate(rows) if not cell(row, "legacyId")]
        reached = []
        stack = sorted(roots, reverse=True)
        while stack:
            index = stack.pop()
            reached.append(index)
            stack.extend(sorted(children[index], reverse=True))
        for index in reached:
            placed.append(rows[index])
            placed.extend(translations[index])
        for index in sorted(set(first.values()) - set(reached)):
            line, row = rows[index]
            message = _(
                "parentId “%(parent)s” makes a loop: this description would be a part of itself."
            ) % {"parent": cell(row, "parentId")}
            placed.append((line, RowError("parentId", message)))
        return placed

    def import_row(self, row, run):
        legacy_id = cell(row, "legacyId")
        if not legacy_id:
            raise RowError(
                "legacyId",
                _(
                    "Give each description a legacyId: the import remembers it, so that "
                    "importing the file again updates the description rather than adding one."
                ),
            )
        if legacy_id in self.cultures:
            return self.import_translation(legacy_id, row, run)
        self.cultures[legacy_id] = cell(row, "culture")
        return self.import_description(legacy_id, row, run)

    def import_description(self, legacy_id, row, run):
        pk = self.known_key(legacy_id, run)
        document = Document.objects.filter(pk=pk).first() if pk else None
        action = Action.UPDATE if document else Action.NEW
        document = document or Document(status=Record.Status.DRAFT)
        check_may_change(document, run, "legacyId")
        before = snapshot(document)
        notes = []
        parent = self.parent(row, run)
        document.parent = parent
        for field, column in TEXT_COLUMNS.items():
            setattr(document, field, cell(row, column))
        if document.url:
            try:
                URLValidator()(document.url)
            except ValidationError:
                raise RowError(
                    "digitalObjectURI",
                    _("“%(value)s” is not a web address; give one starting with https://.")
                    % {"value": document.url},
                ) from None
        document.reference_code, note = reference_code(
            cell(row, "identifier"), legacy_id, parent.reference_code if parent else ""
        )
        notes.append(note)
        document.level, note = level(cell(row, "levelOfDescription"))
        notes.append(note)
        document.kind = kind(document.level, multi(row, "genreAccessPoints"))
        events = [self.event(slot) for slot in parallel(row, *EVENT_COLUMNS)]
        document.dates = dates.main_date(events)
        creators = [e["actor"] for e in events if e["actor"] and e["creates"]]
        document.creator_name = "; ".join(creators)[:300]
        document.archivist_note = dates.note_with_dates(cell(row, "archivistNote"), events)
        extent = cell(row, "extentAndMedium")
        if len(extent) > EXTENT_MAX:
            # Our extent is a short statement; AtoM's can run to paragraphs. Kept whole.
            document.extent_and_medium = extent[: EXTENT_MAX - 1] + "…"
            document.archivist_note += "\n\n" + _("Extent and medium in AtoM: %(text)s") % {
                "text": extent
            }
            notes.append(_("The extent and medium is shortened; the whole is in the note."))
        languages = [run.language(code, "language") for code in multi(row, "language")]
        if cell(row, "publicationStatus").casefold() == "published" and action == Action.NEW:
            notes.append(_("Published in AtoM: imported as a draft, to publish here."))
        culture = language_tag(cell(row, "culture"))
        if culture and culture != CATALOGUE_LANGUAGE:
            notes.append(
                _("Its culture is “%(culture)s”; the catalogue's own language is “%(ours)s”.")
                % {"culture": culture, "ours": CATALOGUE_LANGUAGE}
            )
        # Of the constraints, only the reference code's can fail here (the tree's order rules
        # out a description inside itself): asked once, with a message of our own.
        # The parent was just read, so it exists: checking it again costs a query a row.
        document.full_clean(exclude=["parent"], validate_unique=False, validate_constraints=False)
        taken = Document.objects.filter(reference_code=document.reference_code)
        if document.pk:
            taken = taken.exclude(pk=document.pk)
        if other := taken.first():
            raise RowError(
                "identifier",
                _(
                    "The reference code %(code)s is already that of “%(title)s”, which this "
                    "file did not import. Change this description's identifier."
                )
                % {"code": document.reference_code, "title": other.title},
            )
        changed = before != snapshot(document) or {lang.pk for lang in languages} != (
            set(document.languages.values_list("pk", flat=True)) if document.pk else set()
        )
        if changed or action == Action.NEW:
            services.save_record(
                document, lambda: write_languages(document, languages, new=pk is None), index=False
            )
        if pk is None:
            ImportKey.objects.create(
                source=run.source,
                record_type="document",
                legacy_id=legacy_id,
                object_id=document.pk,
            )
        elif pk != document.pk:  # the description it named was deleted since
            ImportKey.objects.remember(run.source, document, legacy_id)
        self.imported[legacy_id] = document
        links = self.link_agents(document, row, events, run, new=action == Action.NEW)
        if action == Action.UPDATE and not changed and not links:
            action = Action.SKIP
        return action, document, [n for n in notes if n]

    def known_key(self, legacy_id, run):
        """The document a legacyId became in an earlier import, or None; the file's keys are
        read at once, a thousand a query, rather than one a row."""
        if self.keys is None:
            ids = sorted(self.cultures.keys() | self.legacy_ids)
            self.keys = {}
            for start in range(0, len(ids), 1000):
                self.keys.update(
                    ImportKey.objects.filter(
                        source=run.source,
                        record_type="document",
                        legacy_id__in=ids[start : start + 1000],
                    ).values_list("legacy_id", "object_id")
                )
        if legacy_id in self.keys:
            return self.keys[legacy_id]
        return ImportKey.objects.lookup(run.source, "document", legacy_id)

    def parent(self, row, run):
        slug = cell(row, "qubitParentSlug")
        if slug:
            found = Document.objects.filter(Q(public_id=slug) | Q(reference_code=slug)).first()
            if found is None:
                raise RowError(
                    "qubitParentSlug",
                    _("No description here has the public identifier or reference code “%(slug)s”.")
                    % {"slug": slug},
                )
            return found
        parent_id = cell(row, "parentId")
        if not parent_id:
            return None
        if parent_id in self.imported:
            return self.imported[parent_id]
        if parent_id in self.cultures:  # its row came first, and failed
            raise RowError(
                "parentId",
                _("Its parent, legacyId “%(id)s”, has an error of its own: correct that row.")
                % {"id": parent_id},
            )
        pk = self.known_key(parent_id, run)
        found = Document.objects.filter(pk=pk).first() if pk else None
        if found is None:
            raise RowError(
                "parentId",
                _(
                    "parentId “%(id)s” is not the legacyId of a description in this file "
                    "or in an earlier AtoM import."
                )
                % {"id": parent_id},
            )
        return found

    @staticmethod
    def event(slot):
        event_type = slot["eventTypes"] or "Creation"
        return {
            "actor": slot["eventActors"],
            "history": slot["eventActorHistories"],
            "type": event_type,
            "creates": event_type.casefold() in CREATION_TYPES,
            "text": slot["eventDates"],
            "edtf": dates.interval(slot["eventStartDates"], slot["eventEndDates"]),
        }

    def link_agents(self, document, row, events, run, new):
        """Link the creators and name access points; the number of links added."""
        added, made = 0, set()
        wanted = [(e["actor"], e["history"], *link_role(e["type"])) for e in events if e["actor"]]
        wanted += [(n, "", DocumentLink.Role.SUBJECT, "") for n in multi(row, "nameAccessPoints")]
        for name, history, role, note in wanted:
            agent, _created = agents.find_or_create(name, run, history)
            target = {agent.record_type: agent}
            if new and (role, agent) not in made:  # nothing to look for on a new description
                DocumentLink.objects.create(document=document, role=role, note=note, **target)
            elif not new:
                _link, created = DocumentLink.objects.get_or_create(
                    document=document, role=role, defaults={"note": note}, **target
                )
                added += created
            made.add((role, agent))
        return added

    def import_translation(self, legacy_id, row, run):
        document = self.imported.get(legacy_id)
        if document is None:  # its record's row failed; that row's error says why
            raise RowError("legacyId", _("The description this row translates was not imported."))
        check_may_change(document, run, "legacyId")
        culture = cell(row, "culture")
        if not culture:
            raise RowError("culture", _("Give the culture (language) of this translation."))
        lang = run.language(culture, "culture")
        if lang.tag == CATALOGUE_LANGUAGE:
            return (
                Action.SKIP,
                document,
                [_("The description itself is in this language: the row is not imported.")],
            )
        title, text = cell(row, "title"), cell(row, "scopeAndContent")
        existing = DocumentTranslation.objects.filter(record=document, language=lang).first()
        translation = existing or DocumentTranslation(record=document, language=lang)
        if existing and (existing.title, existing.text) == (title, text):
            return Action.SKIP, document, []
        translation.title, translation.text = title, text
        translation.full_clean()
        translation.save()
        note = _("Translation (%(language)s): only its title and scope and content are imported.")
        return (
            Action.UPDATE if existing else Action.NEW,
            document,
            [note % {"language": lang.tag}],
        )


def write_languages(document, languages, new):
    if new:  # nothing to compare with: adding them is enough
        document.languages.add(*languages)
    else:
        document.languages.set(languages)


def snapshot(document):
    """The values an import sets, to tell an update from a row that changes nothing."""
    fields = (*TEXT_COLUMNS, "reference_code", "level", "kind", "dates", "creator_name")
    return (document.parent_id, document.archivist_note, *(getattr(document, f) for f in fields))
