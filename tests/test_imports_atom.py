"""AtoM's own CSV files import as they are: the examples AtoM ships, and a long generated one."""

import csv
import io
from pathlib import Path

import pytest
from django.contrib.auth.models import Permission
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from reversion.models import Version

from catalogue.imports import get_type, run_import
from catalogue.imports.atom import detect
from catalogue.imports.atom.values import language, parallel
from catalogue.models import (
    Document,
    DocumentLink,
    ImportKey,
    Language,
    Membership,
    Organization,
    Person,
    Record,
    SearchEntry,
)
from devtools import atom_csv

from . import factories

pytestmark = pytest.mark.django_db

EXAMPLES = Path(__file__).parent / "data" / "atom"
ISAD = EXAMPLES / "example_information_objects_isad.csv"
RAD = EXAMPLES / "example_information_objects_rad.csv"
AUTHORITIES = EXAMPLES / "example_authority_records.csv"
RELATIONSHIPS = EXAMPLES / "example_authority_record_relationships.csv"
EVENTS = EXAMPLES / "example_events.csv"


def atom_import(type_name, source, dry_run=False):
    """Import an AtoM file (a path, or its text) through the runner `import_csv` uses."""
    data = source.read_bytes() if isinstance(source, Path) else source.encode("utf-8")
    return run_import(io.BytesIO(data), get_type(type_name), dry_run=dry_run, file_name="test.csv")


def errors_of(report):
    return [(error.row, error.column, error.message) for error in report.errors]


def notes_of(report):
    return "\n".join(report.notes)


def reversed_rows(path):
    lines = path.read_text(encoding="utf-8").splitlines(keepends=True)
    return lines[0] + "".join(reversed(lines[1:]))


def test_the_isad_example_lands_as_a_fonds_with_its_item_inside():
    run = atom_import("atom-description", ISAD)

    assert errors_of(run) == []
    fonds = Document.objects.get(reference_code="F1")
    item = Document.objects.get(parent=fonds)
    assert (fonds.title, fonds.level, fonds.kind) == ("Example fonds", "fonds", "archival_group")
    assert (item.reference_code, item.title, item.level) == ("F1-IT-1", "Example Item", "item")
    assert fonds.extent_and_medium == "Example fonds Extent and medium (ISAD 3.1.5)"
    assert fonds.scope_and_content == "Example fonds Scope and content (ISAD 3.3.1)"
    assert fonds.archival_history == "Example fonds Archival history (ISAD 3.2.3)"
    assert fonds.conditions_of_access == "Example fonds Conditions governing access (ISAD, 3.4.1)"
    assert fonds.location_of_originals.endswith("(ISAD 3.5.1)")
    assert fonds.conditions_of_reproduction.endswith("(ISAD 3.4.2)")
    assert fonds.sources == "Example fonds Sources (Control area)"
    assert fonds.url.endswith("newman.monitor.jpg")
    assert {lang.iso639_1 for lang in fonds.languages.all()} == {"en", "fr"}
    assert {lang.iso639_1 for lang in item.languages.all()} == {"en", "es"}


def test_the_isad_example_is_a_draft_though_published_in_atom_and_says_so():
    report = atom_import("atom-description", ISAD)

    fonds = Document.objects.get(reference_code="F1")
    assert fonds.status == Record.Status.DRAFT
    assert "Row 2: Published in AtoM: imported as a draft" in notes_of(report)


def test_event_dates_become_edtf_and_their_display_text_is_kept():
    atom_import("atom-description", ISAD)

    fonds = Document.objects.get(reference_code="F1")
    item = Document.objects.get(reference_code="F1-IT-1")
    assert fonds.dates == "2015-01-01/2016-12-31"
    assert item.dates == "2015-01-01/2016-12-31"
    assert str(fonds.date_earliest) == "2015-01-01"
    assert "Creation (Creator (ISAD 3.2.1)): January 1, 2015 - December 31, 2016" in (
        fonds.archivist_note
    )
    # AtoM's legacy 2016-00-00 reads as the year 2016.
    assert "Accumulation (Accumulator (ISAD 3.2.1)): 2016" in fonds.archivist_note
    assert fonds.archivist_note.startswith("Example fonds Archivist's notes (ISAD 3.7.1)")


def test_event_actors_become_creators_with_their_history_and_name_access_points_subjects():
    run = atom_import("atom-description", ISAD)

    fonds = Document.objects.get(reference_code="F1")
    creator = Person.objects.get(authorized_name="Creator (ISAD 3.2.1)")
    accumulator = Person.objects.get(authorized_name="Accumulator (ISAD 3.2.1)")
    assert creator.biography.startswith("Example fonds Creator history (ISAD 3.2.2)")
    assert accumulator.biography == "History of Accumulator"
    assert creator.status == Record.Status.DRAFT
    links = {(link.role, str(link.target), link.note) for link in fonds.links.all()}
    assert links == {
        ("creator", "Creator (ISAD 3.2.1)", ""),
        ("creator", "Accumulator (ISAD 3.2.1)", "Accumulation"),
        ("subject", "Name access point 1", ""),
        ("subject", "Name access point 2", ""),
    }
    assert fonds.creator_name == "Creator (ISAD 3.2.1); Accumulator (ISAD 3.2.1)"
    assert (
        "4 names were not found and are added as draft persons (AtoM does not say whether a "
        "name is a person or a body: check them): Creator (ISAD 3.2.1), Accumulator (ISAD "
        "3.2.1), Name access point 1, Name access point 2."
    ) in notes_of(run)
    # The item's NULL actor is no actor.
    assert not Document.objects.get(reference_code="F1-IT-1").links.exists()


def test_names_in_a_description_link_to_existing_records_by_any_form_of_name():
    organization = factories.organization(authorized_name="Creator (ISAD 3.2.1)")
    person = factories.person(authorized_name="Someone Else")
    person.other_names.create(name="Name access point 1")

    atom_import("atom-description", ISAD)

    fonds = Document.objects.get(reference_code="F1")
    assert fonds.links.get(role="creator", organization=organization)
    assert fonds.links.get(role="subject", person=person)
    organization.refresh_from_db()
    assert organization.history.startswith("Example fonds Creator history")
    assert not Organization.objects.exclude(pk=organization.pk).exists()


def test_the_tree_is_built_whatever_the_order_of_the_rows():
    run = atom_import("atom-description", reversed_rows(ISAD))

    assert errors_of(run) == []
    item = Document.objects.get(title="Example Item")
    assert item.parent.reference_code == "F1"
    assert item.reference_code == "F1-IT-1"


def test_importing_the_same_file_again_updates_and_never_duplicates():
    atom_import("atom-description", ISAD)
    again = atom_import("atom-description", ISAD)

    assert Document.objects.count() == 2
    assert Person.objects.count() == 4
    assert DocumentLink.objects.count() == 4
    assert again.counts == {"new": 0, "update": 0, "skip": 2}
    changed = ISAD.read_text(encoding="utf-8").replace("Example Item,Item", "Better Item,Item")
    third = atom_import("atom-description", changed)
    assert third.counts == {"new": 0, "update": 1, "skip": 1}
    assert Document.objects.get(reference_code="F1-IT-1").title == "Better Item"
    assert Document.objects.count() == 2


def test_an_unknown_parent_is_an_error_naming_it_and_nothing_is_written():
    text = ISAD.read_text(encoding="utf-8").replace("\n2,1,,", "\n2,99,,")
    run = atom_import("atom-description", text)

    assert [(line, column) for line, column, _m in errors_of(run)] == [(3, "parentId")]
    assert "“99”" in errors_of(run)[0][2]
    assert not Document.objects.exists()
    assert not Person.objects.exists()
    assert not ImportKey.objects.exists()


def test_a_reference_code_already_in_the_catalogue_is_an_error_naming_its_description():
    factories.document(reference_code="F1", title="Our own fonds")

    report = atom_import("atom-description", ISAD)

    [(line, column, message), (item_line, item_column, item_message)] = errors_of(report)
    assert (line, column) == (2, "identifier")
    assert "“Our own fonds”" in message
    assert (item_line, item_column) == (3, "parentId")
    assert "legacyId “1”, has an error of its own" in item_message
    assert Document.objects.count() == 1


def test_a_dry_run_reports_everything_and_writes_nothing():
    run = atom_import("atom-description", ISAD, dry_run=True)

    assert run.counts["new"] == 2
    assert errors_of(run) == []
    assert not run.written
    assert not Document.objects.exists()


def test_columns_with_no_place_here_are_reported_as_not_imported():
    run = atom_import("atom-description", ISAD)

    notes = notes_of(run)
    assert "Not imported, having no place in this catalogue: " in notes
    assert "repository (2 rows)" in notes
    assert "physicalObjectName (2 rows)" in notes
    assert "subjectAccessPoints (2 rows)" in notes
    assert "title (" not in notes


def test_a_row_repeating_a_legacy_id_in_another_culture_is_a_translation():
    lines = ISAD.read_text(encoding="utf-8").splitlines(keepends=True)
    french = (
        lines[1]
        .replace("Example fonds,Fonds", "Fonds d'exemple,Fonds")
        .replace("Example fonds Scope and content (ISAD 3.3.1)", "Portée et contenu")
    )
    french = french[: french.rstrip().rindex(",")] + ",fr\n"
    run = atom_import("atom-description", "".join([lines[0], lines[1], french, lines[2]]))

    assert errors_of(run) == []
    fonds = Document.objects.get(reference_code="F1")
    assert Document.objects.count() == 2
    translation = fonds.translations.get()
    assert (translation.language.iso639_1, translation.title, translation.text) == (
        "fr",
        "Fonds d'exemple",
        "Portée et contenu",
    )
    assert fonds.title == "Example fonds"
    entry = SearchEntry.objects.get(record_type="document", object_id=fonds.pk)
    assert "Fonds d'exemple" in entry.title


def test_the_rad_example_with_crlf_lines_imports_its_shared_columns():
    run = atom_import("atom-description", RAD)

    assert errors_of(run) == []
    assert Document.objects.count() == 2
    assert Document.objects.filter(parent__isnull=False).count() == 1
    assert "not imported: accessionNumber" not in notes_of(run)
    assert "radGeneralMaterialDesignation" in notes_of(run)


def test_the_authority_example_lands_as_a_person_and_an_organization():
    run = atom_import("atom-authority", AUTHORITIES)

    assert errors_of(run) == []
    person = Person.objects.get(authorized_name="Example person (ISAAR 5.1.2)")
    body = Organization.objects.get(authorized_name="Example Corporation (ISAAR 5.1.2)")
    assert (person.birth_date, person.death_date) == ("1940", "2020")
    assert body.dates == "2000/.."
    assert person.biography.startswith("Example History (ISAAR 5.2.2)")
    assert "Places: Example Places (ISAAR 5.2.3)" in person.biography
    assert body.history.startswith("Example Corporation history (ISAAR 5.2.2)")
    assert "Example Mandates/sources of authority (ISAAR 5.2.6)" in body.functions
    assert "Occupation access point 1 (A note can be associated" in person.functions
    assert person.sources == "Example Sources (ISAAR 5.4.8)"
    assert person.archivist_note.startswith("Example Maintenance notes (ISAAR 5.4.9)")
    assert "1940 - 2020 (ISAAR 5.2.1)" in person.archivist_note
    forms = {(n.name, n.kind) for n in person.other_names.all()}
    assert ("Example Parallel forms of name (ISAAR 5.1.3)", "translation") in forms
    assert ("Example second standardized form", "variant") in forms
    assert ("Example second other form", "alias") in forms
    assert len(forms) == 6
    assert [i.value for i in body.identifiers.all()] == ["CORP-ID (ISAAR 5.1.6)"]
    assert person.status == body.status == Record.Status.DRAFT
    assert "digitalObjectURI (1 row)" in notes_of(run)


def test_authority_records_imported_again_are_updated_not_duplicated():
    atom_import("atom-authority", AUTHORITIES)
    atom_import("atom-authority", AUTHORITIES)

    assert Person.objects.count() == 1
    assert Organization.objects.count() == 1
    assert Person.objects.get().other_names.count() == 6


def test_a_family_is_imported_as_an_organization():
    text = AUTHORITIES.read_text(encoding="utf-8").replace(",Corporate body,", ",Family,")
    run = atom_import("atom-authority", text)

    assert Organization.objects.filter(authorized_name__startswith="Example Corporation").exists()
    assert "Row 3: A family is imported as an organization." in notes_of(run)


def test_the_relationship_example_lands_as_a_membership():
    atom_import("atom-authority", AUTHORITIES)
    run = atom_import("atom-relationship", RELATIONSHIPS)

    assert errors_of(run) == []
    membership = Membership.objects.get()
    assert membership.person.authorized_name == "Example person (ISAAR 5.1.2)"
    assert membership.organization.authorized_name == "Example Corporation (ISAAR 5.1.2)"
    assert (membership.kind, membership.role) == ("member", "is controlled by")
    assert membership.dates == "2010-01-01/2015-12-31"
    assert membership.note.startswith("Example Person worked at Example Corporation (ISAAR 5.3.3)")
    assert "2010 - 2015 (ISAAR 5.3.4)" in membership.note
    atom_import("atom-relationship", RELATIONSHIPS)
    assert Membership.objects.count() == 1


def test_a_relationship_to_an_unknown_record_is_an_error_naming_it():
    factories.person(authorized_name="Example person (ISAAR 5.1.2)")
    run = atom_import("atom-relationship", RELATIONSHIPS)

    [(line, column, message)] = errors_of(run)
    assert (line, column) == (2, "objectAuthorizedFormOfName")
    assert "Example Corporation (ISAAR 5.1.2)" in message
    assert not Membership.objects.exists()


def test_organizations_relate_with_our_kinds_reading_atom_types_the_right_way_round():
    older = factories.organization(authorized_name="Older body")
    newer = factories.organization(authorized_name="Newer body")
    text = (
        "subjectAuthorizedFormOfName,relationType,objectAuthorizedFormOfName,description,"
        "date,startDate,endDate,culture\n"
        "Older body,is the predecessor of,Newer body,,,1990,,en\n"
        "Older body,is the cousin of,Newer body,Distant,,,,en\n"
    )
    run = atom_import("atom-relationship", text)

    assert errors_of(run) == []
    successor = newer.relations_out.get(kind="successor_of")
    assert (successor.target, successor.dates) == (older, "1990")
    other = older.relations_out.get(kind="other")
    assert (other.description, other.note) == ("is the cousin of", "Distant")


def test_the_events_example_links_agents_to_descriptions_imported_before():
    atom_import("atom-description", ISAD)
    run = atom_import("atom-event", EVENTS)

    assert errors_of(run) == []
    fonds = Document.objects.get(reference_code="F1")
    mentioned = {(str(link.target), link.note) for link in fonds.links.filter(role="mentioned")}
    assert mentioned == {
        ("Example Event Actor 1", "AtoM event: Published"),
        ("Example Event Actor 2", "AtoM event: Edited"),
    }


def test_events_for_a_description_never_imported_are_an_error():
    run = atom_import("atom-event", EVENTS)

    assert [(line, column) for line, column, _m in errors_of(run)] == [
        (2, "legacyId"),
        (3, "legacyId"),
    ]
    assert not Person.objects.exists()


def test_each_example_file_is_recognised_by_its_header():
    for path, name in [
        (ISAD, "atom-description"),
        (RAD, "atom-description"),
        (AUTHORITIES, "atom-authority"),
        (RELATIONSHIPS, "atom-relationship"),
        (EVENTS, "atom-event"),
    ]:
        header = next(csv.reader(io.StringIO(path.read_text(encoding="utf-8"))))
        assert detect(header).name == name
    assert detect(["reference_code", "title"]) is None


def test_a_file_that_is_not_the_kind_of_atom_file_chosen_is_refused_with_a_message():
    report = atom_import("atom-description", "name,place\nArchive,Lima\n")
    assert [(e.row, e.message) for e in report.errors] == [
        (
            1,
            "This is not AtoM archival descriptions (ISAD CSV): its header has none of the "
            "columns legacyId, levelOfDescription, title.",
        )
    ]
    detected = atom_import("atom", "name,place\nArchive,Lima\n")
    assert "not one of AtoM's CSV files" in detected.errors[0].message


def test_parallel_event_columns_are_read_position_by_position_with_null_as_a_gap():
    row = {"eventActors": "name 1|name 2", "eventActorHistories": "NULL|history 2"}

    assert parallel(row, "eventActors", "eventActorHistories") == [
        {"eventActors": "name 1", "eventActorHistories": ""},
        {"eventActors": "name 2", "eventActorHistories": "history 2"},
    ]


def test_a_language_the_catalogue_lacks_is_added_from_its_two_letter_code():
    assert not Language.objects.filter(iso639_1="nl").exists()

    dutch = language("nl", "language")

    assert (dutch.code, dutch.iso639_1, dutch.name) == ("nld", "nl", "Dutch")


def test_an_import_is_one_revision_in_each_records_history_attributed_to_the_archivist(
    archivist,
):
    data = ISAD.read_bytes()
    run_import(io.BytesIO(data), get_type("atom"), user=archivist, file_name="fonds.csv")

    fonds = Document.objects.get(reference_code="F1")
    (version,) = Version.objects.get_for_object(fonds)
    assert version.revision.user == archivist
    assert version.revision.get_comment() == "Imported from fonds.csv (AtoM CSV)"
    creator = Person.objects.get(authorized_name="Creator (ISAD 3.2.1)")
    assert Version.objects.get_for_object(creator).get().revision == version.revision


def test_a_dry_run_leaves_no_history():
    atom_import("atom-description", ISAD, dry_run=True)

    assert not Version.objects.exists()


def test_a_published_description_is_changed_again_only_by_an_archivist_who_may_publish(
    archivist,
):
    atom_import("atom-description", ISAD)
    Document.objects.filter(reference_code="F1").update(status=Record.Status.PUBLISHED)
    archivist.user_permissions.clear()
    archivist.groups.clear()
    archivist.user_permissions.add(Permission.objects.get(codename="add_document"))
    changed = ISAD.read_text(encoding="utf-8").replace("Example fonds,Fonds", "Renamed,Fonds")

    report = run_import(io.BytesIO(changed.encode()), get_type("atom-description"), user=archivist)

    assert [(e.row, e.column) for e in report.errors] == [(2, "legacyId"), (3, "parentId")]
    assert "only archivists who may publish" in report.errors[0].message
    assert Document.objects.get(reference_code="F1").title == "Example fonds"


def test_a_generated_export_in_shuffled_order_imports_whole_through_the_runner():
    stream = io.StringIO()
    atom_csv.write(stream, 300, seed=7, translated_every=50)

    report = atom_import("atom", stream.getvalue())

    assert errors_of(report) == []
    assert report.counts["new"] == 306  # 300 descriptions and 6 translations
    assert Document.objects.count() == 300
    assert Document.objects.filter(parent=None).count() == 1
    assert Document.objects.filter(level="item", parent__level="file").exists()
    assert not Document.objects.filter(level="item", parent=None).exists()
    assert Document.objects.filter(translations__language__iso639_1="es").count() == 6
    again = atom_import("atom", stream.getvalue())
    assert again.counts == {"new": 0, "update": 0, "skip": 306}
    assert Document.objects.count() == 300


def document_admin_resource_index(name):
    from django.contrib import admin

    classes = admin.site._registry[Document].get_import_resource_classes(None)
    return next(i for i, c in enumerate(classes) if getattr(c, "format_name", "") == name)


def test_an_archivist_loads_an_atom_export_in_the_admin_sees_the_dry_run_and_confirms(
    archivist_client, archivist
):
    import_url = reverse("admin:catalogue_document_import")
    assert (
        "AtoM archival descriptions (ISAD CSV)" in archivist_client.get(import_url).content.decode()
    )
    form = {"format": "0", "resource": str(document_admin_resource_index("atom-description"))}
    upload = SimpleUploadedFile("fonds.csv", reversed_rows(ISAD).encode(), "text/csv")

    preview = archivist_client.post(import_url, {**form, "import_file": upload})

    content = preview.content.decode()
    assert preview.status_code == 200
    assert "2 new, 0 to update, 0 unchanged" in content
    assert "Published in AtoM: imported as a draft" in content
    assert "Not imported, having no place in this catalogue" in content
    assert not Document.objects.exists()
    confirm_form = preview.context["confirm_form"]
    done = archivist_client.post(
        reverse("admin:catalogue_document_process_import"),
        {name: confirm_form[name].value() for name in confirm_form.fields},
        follow=True,
    )
    assert "Import finished: 2 new, 0 updated, 0 unchanged" in done.content.decode()
    item = Document.objects.get(reference_code="F1-IT-1")
    assert item.parent.reference_code == "F1"
    assert Version.objects.get_for_object(item).get().revision.user == archivist


def test_the_admin_preview_lists_an_atom_error_with_its_row_and_column(archivist_client):
    text = ISAD.read_text(encoding="utf-8").replace("\n2,1,,", "\n2,99,,")
    upload = SimpleUploadedFile("fonds.csv", text.encode(), "text/csv")
    form = {"format": "0", "resource": str(document_admin_resource_index("atom-description"))}

    preview = archivist_client.post(
        reverse("admin:catalogue_document_import"), {**form, "import_file": upload}
    )

    content = preview.content.decode()
    assert "1 error: nothing will be imported" in content
    assert "<td>3</td><td>parentId</td>" in content
    assert not Document.objects.exists()


def test_the_persons_and_relationships_admins_offer_atom_files_too():
    from django.contrib import admin

    def names(model):
        classes = admin.site._registry[model].get_import_resource_classes(None)
        return {getattr(c, "format_name", "") for c in classes}

    assert "atom-authority" in names(Person)
    assert "atom-authority" in names(Organization)
    assert "atom-relationship" in names(Membership)


SMALL_HEADER = (
    "legacyId,parentId,qubitParentSlug,identifier,title,levelOfDescription,"
    "eventStartDates,eventEndDates,culture\n"
)


def test_a_part_is_placed_under_an_existing_description_named_by_its_slug():
    fonds = factories.document(reference_code="PE-MEM-1", level="fonds")
    text = SMALL_HEADER + f"7,,{fonds.public_id},S1,Letters,Series,1990,1995,en\n"

    report = atom_import("atom-description", text)

    assert errors_of(report) == []
    series = Document.objects.get(title="Letters")
    assert (series.parent, series.reference_code, series.dates) == (
        fonds,
        "PE-MEM-1-S1",
        "1990/1995",
    )


def test_identifiers_become_reference_codes_and_the_preview_says_how():
    text = SMALL_HEADER + "a 1,,,Box 12 / A,Box twelve,File,,,en\nb2,,,,Untitled,,,,en\n"

    report = atom_import("atom-description", text)

    assert errors_of(report) == []
    assert Document.objects.get(title="Box twelve").reference_code == "Box-12-/-A"
    assert Document.objects.get(title="Untitled").reference_code == "b2"
    notes = notes_of(report)
    assert "identifier “Box 12 / A” is written “Box-12-/-A” in the reference code" in notes
    assert "Row 3: No identifier: the reference code is made from the legacyId." in notes
    assert "Row 3: No level of description: imported as an item." in notes


def test_a_long_extent_is_shortened_and_kept_whole_in_the_note():
    extent = "12 boxes of correspondence, " * 20
    text = SMALL_HEADER.replace("culture", "extentAndMedium,culture") + (
        f'1,,,B1,Letters,Series,,,"{extent}",en\n'
    )

    report = atom_import("atom-description", text)

    assert errors_of(report) == []
    letters = Document.objects.get()
    assert len(letters.extent_and_medium) == 300
    assert extent.strip() in letters.archivist_note


def test_a_level_we_do_not_have_is_an_error_that_lists_ours():
    report = atom_import("atom-description", SMALL_HEADER + "1,,,X1,Odd,Shelf,,,en\n")

    [(line, column, message)] = errors_of(report)
    assert (line, column) == (2, "levelOfDescription")
    assert "Fonds, Sub-fonds, Collection, Series, Sub-series, File, Item" in message


def test_an_authority_row_repeating_its_legacy_id_in_another_culture_is_a_translation():
    text = (
        "legacyId,culture,typeOfEntity,authorizedFormOfName,history\n"
        "p1,en,Person,Ana Pérez,A lawyer.\n"
        "p1,es,Person,Ana Pérez,Una abogada.\n"
    )

    report = atom_import("atom-authority", text)

    assert errors_of(report) == []
    person = Person.objects.get()
    translation = person.translations.get()
    assert (translation.language.iso639_1, translation.title, translation.text) == (
        "es",
        "",
        "Una abogada.",
    )
    assert ImportKey.objects.get(source="atom", legacy_id="p1").object_id == person.pk


def test_without_legacy_ids_an_authority_row_repeating_a_name_in_another_culture_translates_it():
    text = (
        "culture,typeOfEntity,authorizedFormOfName,history\n"
        "en,Corporate body,Comisión de la Verdad,A commission.\n"
        "es,Corporate body,Comisión de la Verdad,Una comisión.\n"
    )

    report = atom_import("atom-authority", text)

    assert errors_of(report) == []
    body = Organization.objects.get()
    assert body.history == "A commission."
    assert body.translations.get().text == "Una comisión."
