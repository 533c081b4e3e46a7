"""What every record's admin shares: the roles' locks, compact inlines, publishing."""

from django.contrib import admin, messages
from django.db import models
from django.forms import Textarea
from django.urls import reverse
from django.utils.html import format_html
from django.utils.translation import gettext_lazy as _
from django.utils.translation import ngettext
from reversion.admin import VersionAdmin

from .. import services
from ..models import (
    Record,
)
from .imports import CsvImportExport

COMPACT_TEXT = {models.TextField: {"widget": Textarea(attrs={"rows": 2, "cols": 40})}}

CONTROL_FIELDSETS = (
    (_("Sources"), {"fields": ["sources"]}),
    (
        _("Publication and control"),
        {
            "fields": [
                "status",
                ("access", "embargo_until"),
                "public_id",
                "archivist_note",
                "created_at",
                "updated_at",
            ]
        },
    ),
)
PUBLISHING_FIELDS = ["status", "access", "embargo_until"]


# Roles: cataloguers edit drafts; what has left draft is changed by those who may publish it.


def publish_permission(record):
    meta = record._meta
    return f"{meta.app_label}.publish_{meta.model_name}"


def may_edit(user, records):
    """A link or record is open to edit while one of its records is a draft; after that, only
    to those who may publish every one of them."""
    return any(record.status == Record.Status.DRAFT for record in records) or all(
        user.has_perm(publish_permission(record)) for record in records
    )


class LockedOnceLive:
    """For inlines: the rows of a record that has left draft follow the record's lock."""

    def has_add_permission(self, request, obj):
        return super().has_add_permission(request, obj) and self._open(request, obj)

    def has_change_permission(self, request, obj=None):
        return super().has_change_permission(request, obj) and self._open(request, obj)

    def has_delete_permission(self, request, obj=None):
        return super().has_delete_permission(request, obj) and self._open(request, obj)

    def _open(self, request, parent):
        return parent is None or may_edit(request.user, [parent])


def link_to(obj):
    if obj is None:
        return "–"
    meta = obj._meta
    url = reverse(f"admin:{meta.app_label}_{meta.model_name}_change", args=[obj.pk])
    return format_html('<a href="{}">{}</a>', url, obj)


# Inlines


class ReadOnlyAdmin(admin.ModelAdmin):
    """For what the catalogue writes itself (tombstones, merges): read, never edited here."""

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False


class CompactInline(LockedOnceLive, admin.TabularInline):
    extra = 0
    formfield_overrides = COMPACT_TEXT
    show_change_link = True


class RecordAdmin(CsvImportExport, VersionAdmin):
    """Every change is kept as a revision (who, when, what), with revert and recovery.

    Lists import and export CSV in the record type's template (`admin/imports.py`).
    """

    actions = ["publish", "withdraw", "return_to_draft"]
    history_latest_first = True
    list_filter = ["status", "access"]
    list_per_page = 50
    readonly_fields = ["public_id", "created_at", "updated_at", "computed_dates"]
    save_on_top = True
    formfield_overrides = {
        models.TextField: {"widget": Textarea(attrs={"rows": 4, "cols": 80})},
        models.URLField: {"assume_scheme": "https"},  # a link typed without a scheme
    }

    def has_publish_permission(self, request):
        return request.user.has_perm(publish_permission(self.model))

    def has_change_permission(self, request, obj=None):
        allowed = super().has_change_permission(request, obj)
        return allowed and (obj is None or may_edit(request.user, [obj]))

    def has_delete_permission(self, request, obj=None):
        allowed = super().has_delete_permission(request, obj)
        return allowed and (obj is None or may_edit(request.user, [obj]))

    def get_readonly_fields(self, request, obj=None):
        fields = list(super().get_readonly_fields(request, obj))
        if not self.has_publish_permission(request):
            fields += PUBLISHING_FIELDS
        return fields

    def save_model(self, request, obj, form, change):
        # Saved in save_related, with its inlines, by the service that keeps the search
        # index and tombstones in step.
        if not change and not self.has_publish_permission(request):
            obj.status = Record.Status.DRAFT

    def save_related(self, request, form, formsets, change):
        services.save_record(
            form.instance,
            save_related=lambda: super(RecordAdmin, self).save_related(
                request, form, formsets, change
            ),
        )

    def delete_model(self, request, obj):
        services.delete_records(type(obj).objects.filter(pk=obj.pk))

    def delete_queryset(self, request, queryset):
        services.delete_records(queryset)

    @admin.display(description=_("Computed date range"))
    def computed_dates(self, obj):
        if not (obj.date_earliest or obj.date_latest):
            return _("None: no date, or an open range.")
        return f"{obj.date_earliest or '…'} – {obj.date_latest or '…'}"

    def _change_status(self, request, queryset, status):
        changed, refused = services.change_status(queryset, status, request.user)
        label = Record.Status(status).label
        self.message_user(
            request,
            ngettext(
                "%(count)d record set to %(status)s.",
                "%(count)d records set to %(status)s.",
                len(changed),
            )
            % {"count": len(changed), "status": label},
            messages.SUCCESS,
        )
        if refused:
            names = "; ".join(
                f"{record} ({', '.join(record.publication_gaps)})" for record in refused
            )
            self.message_user(
                request,
                _("Not published, because they lack what publishing needs: %(names)s.")
                % {"names": names},
                messages.WARNING,
            )

    @admin.action(description=_("Publish selected records"), permissions=["publish"])
    def publish(self, request, queryset):
        self._change_status(request, queryset, Record.Status.PUBLISHED)

    @admin.action(
        description=_("Withdraw selected records from public view"), permissions=["publish"]
    )
    def withdraw(self, request, queryset):
        self._change_status(request, queryset, Record.Status.WITHDRAWN)

    @admin.action(description=_("Return selected records to draft"), permissions=["publish"])
    def return_to_draft(self, request, queryset):
        self._change_status(request, queryset, Record.Status.DRAFT)
