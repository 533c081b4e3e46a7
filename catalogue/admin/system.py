"""What the catalogue keeps beside its records: the About page, languages, tombstones, keys."""

from django.contrib import admin, messages
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from django.utils.translation import ngettext
from reversion.admin import VersionAdmin

from ..models import (
    AboutText,
    ApiKey,
    ApiKeyUsage,
    Language,
    Tombstone,
)
from .base import ReadOnlyAdmin


@admin.register(AboutText)
class AboutTextAdmin(VersionAdmin):
    """The archive's About page: one text per language, shown in the reader's."""

    list_display = ["title", "language", "published", "updated_at"]
    fields = ["language", "title", "summary", "body", "published"]


@admin.register(Language)
class LanguageAdmin(admin.ModelAdmin):
    list_display = ["name", "code", "iso639_1"]
    search_fields = ["name", "code", "iso639_1"]


@admin.register(Tombstone)
class TombstoneAdmin(ReadOnlyAdmin):
    """What partners are told was removed from public view; written by the catalogue only."""

    list_display = ["public_id", "record_type", "removed_at"]
    list_filter = ["record_type"]
    search_fields = ["public_id"]
    date_hierarchy = "removed_at"


class ApiKeyUsageInline(admin.TabularInline):
    model = ApiKeyUsage
    fields = ["day", "requests"]
    readonly_fields = fields
    extra = 0
    max_num = 0
    can_delete = False
    verbose_name_plural = _("Requests per day (latest first)")


@admin.register(ApiKey)
class ApiKeyAdmin(admin.ModelAdmin):
    """Partner institutions' keys: issued here, shown once, revoked with an action."""

    list_display = ["institution", "prefix", "contact_email", "rate_per_hour", "state"]
    list_filter = [("revoked_at", admin.EmptyFieldListFilter)]
    search_fields = ["institution", "contact_name", "contact_email", "prefix"]
    readonly_fields = ["prefix", "created_at", "last_used_at", "total_requests"]
    fields = [
        "institution",
        "contact_name",
        "contact_email",
        "note",
        "rate_per_hour",
        "prefix",
        "created_at",
        "last_used_at",
        "total_requests",
        "revoked_at",
    ]
    inlines = [ApiKeyUsageInline]
    actions = ["revoke"]

    @admin.display(description=_("state"))
    def state(self, key):
        return _("active") if key.is_active else _("revoked")

    @admin.display(description=_("requests in all"))
    def total_requests(self, key):
        return sum(usage.requests for usage in key.usage.all())

    def save_model(self, request, obj, form, change):
        if change:
            return super().save_model(request, obj, form, change)
        secret = obj.issue()
        super().save_model(request, obj, form, change)
        self.message_user(
            request,
            _(
                "The key for %(institution)s is %(key)s. Copy it now and send it to them "
                "securely: it is not stored and cannot be shown again."
            )
            % {"institution": obj.institution, "key": secret},
            messages.WARNING,
        )

    @admin.action(description=_("Revoke selected keys"), permissions=["change"])
    def revoke(self, request, queryset):
        count = queryset.filter(revoked_at__isnull=True).update(revoked_at=timezone.now())
        self.message_user(
            request,
            ngettext("%(count)d key revoked.", "%(count)d keys revoked.", count) % {"count": count},
            messages.SUCCESS,
        )
