"""What every import template shares: matching, drafts, history, messages, related rows.

A resource is django-import-export's mapping of one template (columns) to one model. Ours
add: matching on public id, then legacy id (through ImportKey), then the natural key;
records created as drafts; saving through `services.save_record`; one history revision per
import (per chunk of a long one), attributed to the importing user; "skipped" for rows that
say what the catalogue already says; references to rows later in the same file.
"""

import copy

import reversion
from django.core.exceptions import NON_FIELD_ERRORS, ValidationError
from django.db import transaction
from django.utils.translation import gettext as _
from import_export import fields, resources

from ... import search, services
from ...models import ImportKey, Record
from ...models.imports import key_type
from ..widgets import NotYetImported, Reference, Text, message_of, normal_text


class Column(fields.Field):
    """One column of a template: the header is the field's name."""

    def __init__(self, name, widget=None, readonly=False, attribute=None):
        super().__init__(
            attribute=attribute or name,
            column_name=name,
            widget=widget or Text(),
            readonly=readonly,
        )

    def same(self, cell, exported):
        return self.widget.same(cell, exported)


class Stashed(Column):
    """A column written after its record is saved: other names, identifiers, languages...

    Import keeps the cleaned value on the instance; `write(instance, value)` stores it once the
    instance has a primary key.
    """

    def __init__(self, name, widget=None, write=None, read=None):
        super().__init__(name, widget)
        self._write = write
        self._read = read

    def save(self, instance, row, is_m2m=False, **kwargs):
        stash(instance)[self.column_name] = self.clean(row, **kwargs)

    def get_value(self, instance):
        if instance.pk is None:
            return None
        return self._read(instance) if self._read else getattr(instance, self.attribute)

    def write(self, instance, value):
        if self._write is not None:
            self._write(instance, value)


def stash(instance):
    if not hasattr(instance, "_import_stash"):
        instance._import_stash = {}
    return instance._import_stash


class PublicIdWidget(Text):
    def clean(self, value, row=None, **kwargs):
        text = normal_text(value).lower()
        if text and not (len(text) <= 20 and text.isalnum() and text.isascii()):
            raise ValueError(
                _("“%(value)s” is not a public id: those are letters and digits, e.g. %(example)s.")
                % {"value": text, "example": "k3v9x2m7qa"}
            )
        return text or None


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

    def get_instance(self, instance_loader, row):
        model = self._meta.model
        legacy = normal_text(row.get("legacy_id"))
        self._key_state = None
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
        if not instances:
            return
        instances = self.fresh(instances)
        self.after_chunk(instances)
        with reversion.create_revision():
            if self.user is not None and self.user.is_authenticated:
                reversion.set_user(self.user)
            reversion.set_comment(
                _("Imported from %(file)s") % {"file": self.file_name or _("a CSV file")}
            )
            for instance in instances:
                reversion.add_to_revision(instance)

    def fresh(self, instances):
        """The saved rows read again, with what the history follows read in a few queries."""
        model = self._meta.model
        lookups = [field.name for field in model._meta.many_to_many]
        if reversion.is_registered(model):
            lookups += list(reversion.revisions._get_options(model).follow)
        lookups += self.also_prefetch
        by_pk = {}
        for instance in instances:
            by_pk[instance.pk] = instance
        return list(model.objects.filter(pk__in=list(by_pk)).prefetch_related(*set(lookups)))

    also_prefetch = []

    def after_chunk(self, instances):
        """Work done once per chunk for its saved rows (the search index, for records)."""

    def finish(self):
        """Resolve the references to rows later in the file; return [(row, column, message)]
        of those still not found. The records it changed are in `resolved`, for the caller
        to add to the history once the import is known to be good."""
        errors, resolved = [], []
        self.resolved = resolved
        pending, self.pending = self.pending, []
        for model, pk, attribute, column, value, row in pending:
            field = self.fields[column]
            try:
                target = field.widget.find(value)
            except ValueError as error:
                errors.append((row, column, message_of(error)))
                continue
            if target is None:
                errors.append((row, column, field.widget.not_found(value)))
                continue
            instance = model.objects.get(pk=pk)
            setattr(instance, attribute, target)
            try:
                instance.full_clean()
            except ValidationError as error:
                for name, messages in error.message_dict.items():
                    errors.append((row, name if name != NON_FIELD_ERRORS else None, messages[0]))
                continue
            with transaction.atomic():
                self.save(instance)
            resolved.append(instance)
        return errors


class NoDiff:
    """The preview shows each row's outcome and errors, not a field-by-field diff, which
    would read every related row twice for each of 100,000 rows."""

    def __init__(self, resource, instance, new):
        pass

    def compare_with(self, resource, instance):
        pass

    def as_html(self):
        return []


class RecordResource(CatalogueResource):
    """A record's template: public id and legacy id first, status exported but never imported.

    New records are drafts, whoever imports: publishing stays a deliberate step. An update
    leaves the status alone, and a record that has left draft is changed only by someone who
    may publish it.
    """

    public_id = Column("public_id", PublicIdWidget())
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


def copy_instance(instance):
    return copy.deepcopy(instance)
