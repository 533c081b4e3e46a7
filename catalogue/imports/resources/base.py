"""What every import template shares: matching, drafts, history, messages, related rows.

A resource is django-import-export's mapping of one template (columns) to one model. Ours
add: matching on public id, then legacy id (through ImportKey), then the natural key;
records created as drafts; saving through `services.save_record`; one history revision per
import (per chunk of a long one), attributed to the importing user; "skipped" for rows that
say what the catalogue already says; references to rows later in the same file.
"""

import reversion
from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _
from import_export import resources

from ... import search, services
from ...models import ImportKey, Record
from ...models.imports import key_type
from ..widgets import NotYetImported, Reference, normal_text
from . import chunks
from .columns import Column, NoDiff, PublicIdWidget, Stashed, stash

__all__ = ["CatalogueResource", "Column", "RecordResource", "Stashed", "stash"]


class CatalogueResource(resources.ModelResource):
    """The base of every template (records and relationships); see the module's docstring.

    `source` names the system legacy ids come from ("csv" by default); `user` is who imports
    (None: the command line, which is trusted); `file_name` names the file in the history.
    """

    legacy_id = Stashed("legacy_id")

    # Columns an export writes but an import leaves alone (publication is a deliberate step).
    export_only = ()
    # True where a new row's lookups (public id, legacy id, natural key) prove that the
    # record's unique fields are free, so that validation need not ask again.
    new_is_unique = False

    class Meta:
        abstract = True
        clean_model_instances = True
        skip_unchanged = True
        report_skipped = True
        skip_html_diff = True
        use_transactions = True
        import_id_fields = ()

    @classmethod
    def get_display_name(cls):
        """How the import form offers this template: "Memoria template: documents"."""
        return _("Memoria template: %(rows)s") % {"rows": cls._meta.model._meta.verbose_name_plural}

    def __init__(self, source="csv", user=None, file_name="", finish_in_import=True, **kwargs):
        super().__init__(**kwargs)
        self.source = source or "csv"
        self.user = user
        self.file_name = file_name
        self.finish_in_import = finish_in_import
        self.pending = []  # (model, pk, attribute, column, value, row number)
        self._key_state = None
        self._keys = {}  # legacy id → object id, for the chunk being imported
        self.resolved = []
        self.notes = []
        self.row_numbers = None
        self._saved = []
        self._legacy_ids = None
        # References find legacy ids of this import's source.
        for field in self.fields.values():
            for widget in (field.widget, getattr(field.widget, "reference", None)):
                if isinstance(widget, Reference):
                    widget.source = self.get_source

    def get_source(self):
        return self.source

    # Columns

    @classmethod
    def column_names(cls):
        return [field.column_name for field in cls().get_export_fields()]

    def known_columns(self):
        return {field.column_name for field in self.get_export_fields()}

    def get_import_fields(self):
        return [f for f in super().get_import_fields() if f.column_name not in self.export_only]

    def get_user_visible_fields(self):
        return self.get_export_fields()

    def get_import_id_fields(self):
        return []

    def _check_import_id_fields(self, headers):
        return

    # Finding the record a row is about

    def before_import_row(self, row, **kwargs):
        self._key_state = None  # what get_instance learnt of this row's legacy id

    def get_instance(self, instance_loader, row):
        model = self._meta.model
        legacy = normal_text(row.get("legacy_id"))
        if legacy:
            pk = self._keys.get(legacy)
            if pk and (found := model.objects.filter(pk=pk).first()):
                found._import_key_known = True
                return found
            self._key_state = "stale" if pk else "absent"
        return self.find_by_natural_key(row)

    def find_by_natural_key(self, row):
        return None

    def after_init_instance(self, instance, new, row, **kwargs):
        instance._import_new = new
        if self._key_state == "absent" and not getattr(instance, "_import_key_known", False):
            instance._import_key_absent = True

    def validate_instance(self, instance, import_validation_errors=None, validate_unique=True):
        # A reference found by its widget exists: checking it again costs a query a row.
        checked = [
            field.attribute
            for field in self.get_import_fields()
            if isinstance(field.widget, Reference)
            and getattr(instance, f"{field.attribute}_id", None) is not None
        ]
        errors = dict(import_validation_errors or {})
        if instance.pk is None and self.new_is_unique:
            # The lookups that found no record for this row (public id, legacy id, the
            # natural key) were the uniqueness checks.
            validate_unique = False
        try:
            instance.full_clean(
                exclude=[*errors, *checked],
                validate_unique=validate_unique,
                validate_constraints=validate_unique,
            )
        except ValidationError as error:
            errors = error.update_error_dict(errors)
        if errors:
            raise ValidationError(errors)

    # Importing a row

    def before_import(self, dataset, **kwargs):
        self.row_numbers = getattr(dataset, "memoria_rows", None)
        self.notes = list(getattr(dataset, "memoria_notes", ()))
        unknown = [h for h in dataset.headers or () if h and h not in self.known_columns()]
        if unknown:
            self.notes.append(
                _("These columns are not part of the template and are not imported: %(names)s.")
                % {"names": ", ".join(unknown)}
            )
        if self.user is None:
            self.user = kwargs.get("user")
        self.file_name = self.file_name or kwargs.get("file_name") or ""
        # The chunk's legacy ids, looked up at once rather than a query a row.
        legacy_ids = (
            {normal_text(v) for v in dataset["legacy_id"]} - {""}
            if "legacy_id" in (dataset.headers or ())
            else set()
        )
        self._keys = dict(
            ImportKey.objects.filter(
                source=self.source,
                record_type=key_type(self._meta.model),
                legacy_id__in=legacy_ids,
            ).values_list("legacy_id", "object_id")
        )

    def dataset_number(self, sheet_row):
        """The dataset's row number (from 1) of a spreadsheet row."""
        if self.row_numbers and sheet_row in self.row_numbers:
            return self.row_numbers.index(sheet_row) + 1
        return sheet_row - 1

    def sheet_row(self, number):
        """The spreadsheet row (the header is row 1) of the dataset's row `number` (from 1)."""
        if self.row_numbers and 0 < number <= len(self.row_numbers):
            return self.row_numbers[number - 1]
        return number + 1

    def import_field(self, field, instance, row, is_m2m=False, **kwargs):
        try:
            super().import_field(field, instance, row, is_m2m, **kwargs)
        except NotYetImported as later:
            setattr(instance, field.attribute, None)
            stash(instance).setdefault("_later", []).append(
                (field.attribute, field.column_name, later.value, kwargs.get("row_number"))
            )

    def import_instance(self, instance, row, **kwargs):
        self.check_may_change(instance)
        super().import_instance(instance, row, **kwargs)

    def check_may_change(self, instance):
        """A relationship or record that has left draft is changed only by those who may
        publish it, as in the admin."""

    def skip_row(self, instance, original, row, import_validation_errors=None):
        if import_validation_errors or original is None or original.pk is None:
            return False
        if stash(instance).get("_later"):
            return False
        for field in self.get_import_fields():
            if field.column_name not in row:
                continue
            if not field.same(row[field.column_name], self.export_field(field, original)):
                return False
        return True

    def get_diff_class(self):
        return NoDiff

    def export_field(self, field, instance, **kwargs):
        if field.column_name == "legacy_id":
            return self.legacy_id_of(instance)
        return super().export_field(field, instance, **kwargs)

    def filter_export(self, queryset, **kwargs):
        """The list to export, with what its columns read fetched in a few queries."""
        queryset = super().filter_export(queryset, **kwargs)
        model = queryset.model
        self._legacy_ids = dict(
            ImportKey.objects.filter(source=self.source, record_type=key_type(model))
            .values_list("object_id", "legacy_id")
            .iterator()
        )
        names = {field.name for field in model._meta.get_fields()}
        references = [
            f.attribute
            for f in self.get_export_fields()
            if isinstance(f.widget, Reference) and f.attribute in names
        ]
        related = {
            "translations": "translations__language",
            "other_names": "other_names__language",
            "identifiers": "identifiers",
            "languages": "languages",
            "events": "events",
        }
        prefetch = [lookup for name, lookup in related.items() if name in names]
        return queryset.select_related(*references).prefetch_related(*prefetch)

    def legacy_id_of(self, instance):
        if instance.pk is None:
            return ""
        if self._legacy_ids is not None:
            return self._legacy_ids.get(instance.pk, "")
        return ImportKey.objects.legacy_id_of(self.source, instance)

    # Saving

    def do_instance_save(self, instance, is_create):
        self.save(instance)
        self.write_related(instance)

    def save(self, instance):
        instance.save()

    def write_related(self, instance):
        values = stash(instance)
        for field in self.get_import_fields():
            if isinstance(field, Stashed) and field.column_name in values:
                if field.column_name == "legacy_id":
                    self.remember(instance, values["legacy_id"])
                else:
                    field.write(instance, values[field.column_name])

    def remember(self, instance, legacy_id):
        if getattr(instance, "_import_key_known", False) or not legacy_id:
            return
        if getattr(instance, "_import_key_absent", False):
            ImportKey.objects.create(
                source=self.source,
                record_type=key_type(instance),
                legacy_id=legacy_id,
                object_id=instance.pk,
            )
        else:
            ImportKey.objects.remember(self.source, instance, legacy_id)
        instance._import_key_known = True
        self._keys[legacy_id] = instance.pk

    def after_save_instance(self, instance, row, **kwargs):
        self._saved.append(instance)
        for attribute, column, value, number in stash(instance).pop("_later", ()):
            self.pending.append(
                (type(instance), instance.pk, attribute, column, value, self.sheet_row(number))
            )

    # The whole import

    def import_data(
        self,
        dataset,
        dry_run=False,
        raise_errors=False,
        use_transactions=None,
        collect_failed_rows=False,
        rollback_on_validation_errors=True,
        **kwargs,
    ):
        # All or nothing: an invalid row rolls back the rows before it too (the runner,
        # which imports in chunks inside one transaction of its own, passes False).
        return super().import_data(
            dataset,
            dry_run=dry_run,
            raise_errors=raise_errors,
            use_transactions=use_transactions,
            collect_failed_rows=collect_failed_rows,
            rollback_on_validation_errors=rollback_on_validation_errors,
            **kwargs,
        )

    def import_data_inner(self, dataset, dry_run, raise_errors, using_transactions, *args, **kw):
        self._saved = []
        self._key_state = None
        for field in self.fields.values():
            if isinstance(field.widget, Reference):
                field.widget.found.clear()  # found records are remembered for one chunk
        # Versions are added once the rows are known to be good: a rolled-back row must not
        # reach the history through a revision the request opened (RevisionMiddleware).
        with reversion.create_revision(manage_manually=True):
            result = super().import_data_inner(
                dataset, dry_run, raise_errors, using_transactions, *args, **kw
            )
            if self.finish_in_import:
                for row, column, message in self.finish():
                    result.append_invalid_row(
                        self.dataset_number(row), {}, ValidationError({column: [message]})
                    )
            if not dry_run and not result.has_errors() and not result.has_validation_errors():
                self.add_to_history([*self._saved, *self.resolved])
        result.memoria_notes = self.notes
        result.memoria_row_numbers = self.row_numbers
        self._saved = []
        return result

    def add_to_history(self, instances):
        """One revision for these saved records, by the importing user; search entries too."""
        chunks.add_to_history(self, instances)

    # What the history follows is read for a chunk at once (`chunks.fresh`); records add
    # what their search entries read.
    also_prefetch = []

    def after_chunk(self, instances):
        """Work done once per chunk for its saved rows (the search index, for records)."""

    def finish(self, history=False, batch=1000):
        """Resolve the references to rows later in the file; return [(row, column, message)]
        of those still not found.

        With `history`, the records it changes are added to the history every `batch` of
        them (the runner's way: its one transaction is rolled back if anything failed);
        otherwise they are left in `resolved`, for the caller to add once the import is
        known to be good.
        """
        return chunks.resolve_later_references(self, history, batch)


class RecordResource(CatalogueResource):
    """A record's template: public id and legacy id first, status exported but never imported.

    New records are drafts, whoever imports: publishing stays a deliberate step. An update
    leaves the status alone, and a record that has left draft is changed only by someone who
    may publish it.
    """

    public_id = Column("public_id", PublicIdWidget())
    public_id.saves_null_values = False  # an empty cell: a new record gets a new public id
    legacy_id = Stashed("legacy_id")
    status = Column("status", readonly=True)

    export_only = ("status",)

    class Meta(CatalogueResource.Meta):
        abstract = True

    def get_instance(self, instance_loader, row):
        public_id = PublicIdWidget().clean(row.get("public_id"))
        if public_id:
            found = self._meta.model.objects.filter(public_id=public_id).first()
            if found is not None:
                return found
        return super().get_instance(instance_loader, row)

    def after_init_instance(self, instance, new, row, **kwargs):
        super().after_init_instance(instance, new, row, **kwargs)
        if new:
            instance.status = Record.Status.DRAFT

    def import_field(self, field, instance, row, is_m2m=False, **kwargs):
        # An existing record keeps its public id; a new one may bring its own (a round trip).
        if field.column_name == "public_id" and instance.pk is not None:
            return
        super().import_field(field, instance, row, is_m2m, **kwargs)

    def check_may_change(self, instance):
        if instance.pk is None or instance.status == Record.Status.DRAFT or self.user is None:
            return
        meta = instance._meta
        if not self.user.has_perm(f"{meta.app_label}.publish_{meta.model_name}"):
            raise ValidationError(
                _(
                    "This %(type)s has left draft (%(status)s): only archivists who may "
                    "publish can change it. Ask one to import this row, or to return the "
                    "record to draft."
                )
                % {"type": meta.verbose_name, "status": instance.get_status_display()}
            )

    def save(self, instance):
        services.save_record(instance, index=False)

    def do_instance_save(self, instance, is_create):
        # Related rows (other names...) are written before the search entry, which lists them;
        # entries are written once per chunk (after_chunk).
        services.save_record(
            instance, save_related=lambda: self.write_related(instance), index=False
        )

    @property
    def also_prefetch(self):
        model = self._meta.model
        return ["translations", *(["other_names"] if hasattr(model, "other_names") else [])]

    def after_chunk(self, instances):
        search.index_many(instances)
