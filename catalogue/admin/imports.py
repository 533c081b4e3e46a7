"""CSV import and export in the admin: upload → preview → confirm, and lists as CSV.

django-import-export runs the flow; what is ours is the template (the resource of each
model, `catalogue.imports.resources`), the CSV dialects we read, the preview's wording, and
who may import: staff who may both add and change the model's records.
"""

from django import forms
from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.http import HttpResponse, HttpResponseRedirect
from django.urls import path, reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from import_export.admin import ExportActionMixin, ImportMixin
from import_export.forms import ImportForm

from ..imports import CsvProblem, MemoriaCSV, admin_resources
from ..imports.csvfile import check_size, rows_to_csv
from ..imports.resources import BY_MODEL
from ..imports.runner import Report


class CsvImportForm(ImportForm):
    """The upload form: a file over the size limit is refused before it is read."""

    def __init__(self, formats, resources, **kwargs):
        super().__init__(formats, resources, **kwargs)
        self.fields["import_file"].label = gettext_lazy("CSV file to import")
        self.fields["import_file"].help_text = gettext_lazy(
            "In this list's template (download it above), UTF-8 or Windows-1252, separated "
            "by commas, semicolons or tabs. Nothing is written until you confirm the preview."
        )

    def clean_import_file(self):
        upload = self.cleaned_data["import_file"]
        try:
            check_size(upload.size)
        except CsvProblem as problem:
            raise forms.ValidationError(str(problem)) from None
        return upload


class CsvImportExport(ImportMixin, ExportActionMixin):
    """For a record's or relationship's admin: Import, Export (the current filtered list),
    "Export selected" as an action, and the empty template to download."""

    formats = [MemoriaCSV]
    import_form_class = CsvImportForm
    import_template_name = "admin/catalogue/import.html"
    import_export_change_list_template = "admin/catalogue/change_list_csv.html"
    # One template per list, so there is nothing to choose: the list itself is the file.
    skip_export_form = True
    skip_export_form_from_action = True
    show_change_form_export = False
    import_error_display = ("message",)

    def get_resource_classes(self, request=None):
        return [BY_MODEL[self.model]]

    def get_import_resource_classes(self, request):
        # Our template first, then other systems' files that make these records (AtoM's).
        return [BY_MODEL[self.model], *admin_resources(self.model)]

    def get_import_resource_kwargs(self, request, **kwargs):
        # Each resource's own source: "csv" for our templates, "atom" for AtoM's files.
        return {"user": request.user}

    def get_export_resource_kwargs(self, request, **kwargs):
        return {"user": request.user, "source": "csv"}

    def has_import_permission(self, request):
        return self.has_add_permission(request) and self.has_change_permission(request)

    def has_export_permission(self, request):
        return self.has_view_permission(request)

    def get_export_filename(self, request, queryset, file_format):
        return f"{self.model._meta.model_name}-{timezone.localdate().isoformat()}.csv"

    def add_data_read_fail_error_to_form(self, form, e):
        if isinstance(e, CsvProblem):
            form.add_error("import_file", str(e))
        else:
            form.add_error(
                "import_file",
                _("The file could not be read as CSV (%(error)s). Save it as CSV and try again.")
                % {"error": e},
            )

    def get_urls(self):
        meta = self.model._meta
        return [
            path(
                "csv-template/",
                self.admin_site.admin_view(self.empty_template),
                name=f"{meta.app_label}_{meta.model_name}_csv_template",
            ),
            *super().get_urls(),
        ]

    def empty_template(self, request):
        """The template's header row, to fill in: the same columns an export has."""
        if not self.has_export_permission(request):
            raise PermissionDenied
        resource = BY_MODEL[self.model]
        response = HttpResponse(
            rows_to_csv(resource.column_names(), []), content_type="text/csv; charset=utf-8"
        )
        name = f"{self.model._meta.model_name}-template.csv"
        response["Content-Disposition"] = f'attachment; filename="{name}"'
        return response

    def process_import(self, request, **kwargs):
        # The confirmation names the file, its format and its template by what the preview
        # wrote in the form; anything else is answered like a file that has gone.
        choices = {
            "format": len(self.get_import_formats()),
            "resource": len(self.get_import_resource_classes(request)),
        }
        for name, count in choices.items():
            value = request.POST.get(name, "")
            if value and not (value.isdigit() and int(value) < count):
                return self._upload_again(request)
        try:
            return super().process_import(request, **kwargs)
        except FileNotFoundError:
            return self._upload_again(request)

    def _upload_again(self, request):
        # The file is kept only from the preview to the confirmation: it has gone (cleared, or
        # the confirmation names a file, format or template that never was). Nothing is written.
        self.message_user(
            request,
            _("The uploaded file is no longer here: upload it again to import it."),
            messages.ERROR,
        )
        meta = self.model._meta
        return HttpResponseRedirect(reverse(f"admin:{meta.app_label}_{meta.model_name}_import"))

    def import_action(self, request, **kwargs):
        response = super().import_action(request, **kwargs)
        context = getattr(response, "context_data", None)
        if context is not None and context.get("result") is not None:
            context["preview"] = preview_of(context["result"])
        return response

    def add_success_message(self, result, request):
        report = preview_of(result)
        counts = report.counts
        self.message_user(
            request,
            _(
                "Import finished: %(new)d new, %(update)d updated, %(skip)d unchanged. New "
                "records are drafts."
            )
            % counts,
        )


def preview_of(result):
    """What the preview shows: notes, each row's outcome, and each error with its column."""
    numbers = getattr(result, "memoria_row_numbers", None)

    def row_of(number):
        if numbers and 0 < number <= len(numbers):
            return numbers[number - 1]
        return number + 1

    report = Report()
    report.add(result, row_of)
    report.notes = list(getattr(result, "memoria_notes", ()))
    report.total = result.total_rows
    return report
