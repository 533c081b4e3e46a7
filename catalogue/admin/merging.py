"""Merging duplicate persons and organizations: the action, the side-by-side page, the list of
suggested duplicates, and the read-only list of merges with their undo."""

from django.contrib import admin, messages
from django.core.exceptions import PermissionDenied
from django.core.paginator import Paginator
from django.http import Http404, HttpResponseBadRequest, HttpResponseRedirect
from django.shortcuts import get_object_or_404
from django.template.response import TemplateResponse
from django.urls import path, reverse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django_countries.fields import Country, MultipleCountriesDescriptor

from .. import duplicates, merging
from ..models import Merge, Record
from .base import ReadOnlyAdmin, publish_permission

SUGGESTIONS_PER_PAGE = 50


def may_merge(user, model, records=()):
    """Merging edits one record and deletes the other; where a record has left draft it also
    needs the permission to publish, as editing it would. `records=None` asks for both."""
    meta = model._meta
    if not (
        user.has_perm(f"{meta.app_label}.change_{meta.model_name}")
        and user.has_perm(f"{meta.app_label}.delete_{meta.model_name}")
    ):
        return False
    drafts = records is not None and all(r.status == Record.Status.DRAFT for r in records)
    return drafts or user.has_perm(publish_permission(model))


def shown(record, field):
    """A field's value as the archivist reads it: labels of choices, names of countries."""
    value = getattr(record, field)
    if isinstance(value, MultipleCountriesDescriptor):
        return ", ".join(country.name for country in value)
    if isinstance(value, Country):
        return value.name
    if record._meta.get_field(field).choices and value:
        return getattr(record, f"get_{field}_display")()
    return value


def side(record, other):
    """What the comparison page shows of one record."""
    return {
        "record": record,
        "is_public": record.is_public,
        "names": list(record.other_names.all()),
        "identifiers": list(record.identifiers.all()),
        "leaves_public_view": merging.leaves_public_view(record, other),
    }


def row_id(text):
    """A row's id from a parameter, or None when it is not one the database can hold."""
    text = str(text).strip()
    return int(text) if text.isdigit() and 0 < int(text) < 2**63 else None


class MergeActions:
    """For the Persons and Organizations admins: merge two selected records, and list the
    suggested duplicates."""

    change_list_template = "admin/catalogue/merging_change_list.html"

    def get_actions(self, request):
        actions = super().get_actions(request)
        if not may_merge(request.user, self.model):
            actions.pop("merge_selected", None)
        return actions

    @admin.action(description=gettext_lazy("Merge selected records"))
    def merge_selected(self, request, queryset):
        pks = list(queryset.values_list("pk", flat=True)[:3])
        if len(pks) != 2:
            self.message_user(
                request,
                _("Select exactly two records to merge: the one to keep and its duplicate."),
                messages.ERROR,
            )
            return None
        return HttpResponseRedirect(self.merge_url(*sorted(pks)))

    def merge_url(self, a, b):
        meta = self.model._meta
        return reverse(f"admin:{meta.app_label}_{meta.model_name}_merge") + f"?a={a}&b={b}"

    def get_urls(self):
        meta = self.model._meta
        name = f"{meta.app_label}_{meta.model_name}"
        return [
            path("merge/", self.admin_site.admin_view(self.merge_view), name=f"{name}_merge"),
            path(
                "duplicates/",
                self.admin_site.admin_view(self.duplicates_view),
                name=f"{name}_duplicates",
            ),
            *super().get_urls(),
        ]

    def _pair(self, request):
        data = request.POST if request.method == "POST" else request.GET
        pks = [row_id(data.get("a", "")), row_id(data.get("b", ""))]
        if None in pks:
            return None
        found = self.model.objects.in_bulk(pks)
        if len(found) != 2:
            return None
        return found[pks[0]], found[pks[1]]

    def merge_view(self, request):
        pair = self._pair(request)
        if pair is None:
            return HttpResponseBadRequest(_("Choose two existing records of this type to merge."))
        a, b = pair
        if not may_merge(request.user, self.model, pair):
            raise PermissionDenied
        fields = merging.FIELDS[self.model]
        if request.method == "POST":
            keep = request.POST.get("keep")
            if keep not in ("a", "b"):
                return HttpResponseBadRequest(_("Choose the record to keep."))
            kept, other = (a, b) if keep == "a" else (b, a)
            choices = {
                field: "kept" if request.POST.get(f"field_{field}", keep) == keep else "other"
                for field in fields
            }
            try:
                merge = merging.merge(kept, other, request.user, choices)
            except merging.MergeError as error:
                self.message_user(request, str(error), messages.ERROR)
            else:
                said = _("Merged %(other)s into %(kept)s.") % {
                    "other": merge.merged_name,
                    "kept": merge.kept_name,
                }
                self.message_user(
                    request, " ".join([said, *merge.summary.splitlines()]), messages.SUCCESS
                )
                meta = self.model._meta
                return HttpResponseRedirect(
                    reverse(f"admin:{meta.app_label}_{meta.model_name}_change", args=[kept.pk])
                )
        defaults = merging.default_choices(a, b)
        rows = [
            {
                "name": field,
                "label": self.model._meta.get_field(field).verbose_name,
                "a": shown(a, field),
                "b": shown(b, field),
                "choose_b": defaults[field] == "other",
                "same": getattr(a, field) == getattr(b, field),
            }
            for field in fields
        ]
        context = {
            **self.admin_site.each_context(request),
            "opts": self.model._meta,
            "title": _("Merge two records"),
            "a": side(a, b),
            "b": side(b, a),
            "rows": rows,
            "counts": [
                (label, n_a, n_b)
                for (label, n_a), (_label, n_b) in zip(
                    merging.counts(a), merging.counts(b), strict=True
                )
            ],
            "sources": merging.merged_sources(a, b),
        }
        return TemplateResponse(request, "admin/catalogue/merge.html", context)

    def duplicates_view(self, request):
        if not self.has_view_permission(request):
            raise PermissionDenied
        raw = request.GET.get("page", "1")
        if not raw.isdigit() or int(raw) < 1:
            return HttpResponseBadRequest(_("The page number must be a whole number from 1."))
        pairs = duplicates.suggestions(self.model)
        page = Paginator(pairs, SUGGESTIONS_PER_PAGE).get_page(int(raw))
        shown = duplicates.described(self.model, page.object_list)
        merging_allowed = may_merge(request.user, self.model)
        context = {
            **self.admin_site.each_context(request),
            "opts": self.model._meta,
            "title": _("Suggested duplicates: %(records)s")
            % {"records": self.model._meta.verbose_name_plural},
            "page": page,
            "pairs": [
                (pair, self.merge_url(pair.a.pk, pair.b.pk) if merging_allowed else "")
                for pair in shown
            ],
            "total": len(pairs),
        }
        return TemplateResponse(request, "admin/catalogue/duplicates.html", context)


@admin.register(Merge)
class MergeAdmin(ReadOnlyAdmin):
    """Merges, as history: read-only, each with a button to undo it."""

    list_display = [
        "merged_name",
        "merged_public_id",
        "kept_name",
        "kept_public_id",
        "merged_at",
        "user",
        "undone_at",
    ]
    list_filter = ["record_type", ("undone_at", admin.EmptyFieldListFilter)]
    search_fields = ["merged_name", "merged_public_id", "kept_name", "kept_public_id"]
    date_hierarchy = "merged_at"
    list_select_related = ["user"]
    fields = [
        "record_type",
        "merged_name",
        "merged_public_id",
        "kept_name",
        "kept_public_id",
        "merged_at",
        "user",
        "summary",
        "undone_at",
        "undone_by",
    ]
    readonly_fields = fields
    change_form_template = "admin/catalogue/merge_change_form.html"

    def get_urls(self):
        return [
            path(
                "<int:pk>/undo/",
                self.admin_site.admin_view(self.undo_view),
                name="catalogue_merge_undo",
            ),
            *super().get_urls(),
        ]

    def change_view(self, request, object_id, form_url="", extra_context=None):
        extra_context = {**(extra_context or {}), "undo_url": None}
        merge = Merge.objects.filter(pk=object_id).first() if object_id.isdigit() else None
        if merge and not merge.undone_at and may_merge(request.user, merge.model, None):
            extra_context["undo_url"] = reverse("admin:catalogue_merge_undo", args=[merge.pk])
        return super().change_view(request, object_id, form_url, extra_context)

    def undo_view(self, request, pk):
        if row_id(pk) is None:  # larger than any row id: the database would refuse to compare
            raise Http404
        merge = get_object_or_404(Merge, pk=pk)
        # Undoing puts a public record back in public view: only a publisher may.
        if not may_merge(request.user, merge.model, None):
            raise PermissionDenied
        back = reverse("admin:catalogue_merge_change", args=[merge.pk])
        if request.method != "POST":
            return HttpResponseRedirect(back)
        try:
            notes = merging.undo(merge, request.user)
        except merging.MergeError as error:
            self.message_user(request, str(error), messages.ERROR)
        else:
            self.message_user(
                request,
                " ".join(
                    [
                        _("Undid the merge: %(name)s (%(public_id)s) is back.")
                        % {"name": merge.merged_name, "public_id": merge.merged_public_id},
                        *notes,
                    ]
                ),
                messages.SUCCESS,
            )
        return HttpResponseRedirect(back)
