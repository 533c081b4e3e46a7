from django.contrib import admin, messages
from django.core.exceptions import PermissionDenied
from django.db import models
from django.forms import Textarea
from django.urls import reverse
from django.utils import timezone
from django.utils.html import format_html, format_html_join
from django.utils.safestring import mark_safe
from django.utils.translation import gettext_lazy as _
from django.utils.translation import ngettext
from reversion.admin import VersionAdmin

from . import services
from .models import (
    AboutText,
    ApiKey,
    ApiKeyUsage,
    CaseLink,
    CaseParty,
    Document,
    DocumentLink,
    DocumentTranslation,
    Event,
    EventParticipant,
    EventTranslation,
    Language,
    LegalCase,
    LegalCaseTranslation,
    Membership,
    Organization,
    OrganizationIdentifier,
    OrganizationName,
    OrganizationRelation,
    OrganizationTranslation,
    Person,
    PersonIdentifier,
    PersonName,
    PersonTranslation,
    Record,
    Tombstone,
)

admin.site.site_header = _("Memoria: archivists' workspace")
admin.site.site_title = _("Memoria admin")
admin.site.index_title = _("Catalogue")

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


def record_ends(link):
    """The records a relationship or link ties together (the evidence it cites is not one)."""
    return [
        value
        for field in link._meta.concrete_fields
        if field.is_relation
        and field.name != "evidence"
        and issubclass(field.related_model, Record)
        and (value := getattr(link, field.name)) is not None
    ]


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


class CompactInline(LockedOnceLive, admin.TabularInline):
    extra = 0
    formfield_overrides = COMPACT_TEXT
    show_change_link = True


class PersonNameInline(CompactInline):
    model = PersonName
    fields = ["name", "kind", "language", "note"]
    show_change_link = False


class PersonIdentifierInline(CompactInline):
    model = PersonIdentifier
    fields = ["scheme", "value"]
    show_change_link = False


class OrganizationNameInline(PersonNameInline):
    model = OrganizationName


class OrganizationIdentifierInline(PersonIdentifierInline):
    model = OrganizationIdentifier


class TranslationInline(CompactInline):
    """The record's title and main text in other languages, one row per language."""

    fields = ["language", "title", "text"]
    autocomplete_fields = ["language"]
    show_change_link = False
    formfield_overrides = {models.TextField: {"widget": Textarea(attrs={"rows": 4, "cols": 60})}}


def translations_inline(model):
    return type(f"{model.__name__}Inline", (TranslationInline,), {"model": model})


RELATIONSHIP_TAIL = ["dates", "evidence", "sources", "note"]


class PersonMembershipInline(CompactInline):
    model = Membership
    fk_name = "person"
    fields = ["organization", "kind", "role", *RELATIONSHIP_TAIL]
    autocomplete_fields = ["organization", "evidence"]
    verbose_name_plural = _("Memberships (relations to organizations)")


class OrganizationMembershipInline(CompactInline):
    model = Membership
    fk_name = "organization"
    fields = ["person", "kind", "role", *RELATIONSHIP_TAIL]
    autocomplete_fields = ["person", "evidence"]
    verbose_name_plural = _("Members and office holders")


class RelationOutInline(CompactInline):
    model = OrganizationRelation
    fk_name = "source"
    fields = ["kind", "target", "description", *RELATIONSHIP_TAIL]
    autocomplete_fields = ["target", "evidence"]
    verbose_name_plural = _("Relations from this organization")


class RelationInInline(CompactInline):
    model = OrganizationRelation
    fk_name = "target"
    fields = ["source", "kind", "description", *RELATIONSHIP_TAIL]
    autocomplete_fields = ["source", "evidence"]
    verbose_name_plural = _("Relations to this organization")


class CasePartyInline(CompactInline):
    model = CaseParty
    fk_name = "case"
    fields = [
        "person",
        "organization",
        "role",
        "role_detail",
        "outcome",
        "sentence",
        "outcome_detail",
        "evidence",
        "sources",
    ]
    autocomplete_fields = ["person", "organization", "evidence"]


class AgentCasePartyInline(CompactInline):
    model = CaseParty
    fields = ["case", "role", "role_detail", "outcome", "sentence", "evidence"]
    autocomplete_fields = ["case", "evidence"]
    verbose_name_plural = _("Parts in legal cases")


class PersonCasePartyInline(AgentCasePartyInline):
    fk_name = "person"


class OrganizationCasePartyInline(AgentCasePartyInline):
    fk_name = "organization"


class CaseLinkInline(CompactInline):
    model = CaseLink
    fk_name = "from_case"
    fields = ["kind", "to_case", "note"]
    autocomplete_fields = ["to_case"]
    verbose_name_plural = _("Links to other cases")


class EventParticipantInline(CompactInline):
    model = EventParticipant
    fk_name = "event"
    fields = ["person", "organization", "role", "role_detail", *RELATIONSHIP_TAIL]
    autocomplete_fields = ["person", "organization", "evidence"]


class AgentEventInline(CompactInline):
    model = EventParticipant
    fields = ["event", "role", "role_detail", "dates", "evidence"]
    autocomplete_fields = ["event", "evidence"]
    verbose_name_plural = _("Parts in events")


class PersonEventInline(AgentEventInline):
    fk_name = "person"


class OrganizationEventInline(AgentEventInline):
    fk_name = "organization"


class DocumentLinkInline(CompactInline):
    model = DocumentLink
    fk_name = "document"
    fields = ["role", "person", "organization", "legal_case", "event", "note"]
    autocomplete_fields = ["person", "organization", "legal_case", "event"]
    verbose_name_plural = _("Creators, subjects and mentions (access points)")


class DocumentsAboutInline(CompactInline):
    """The documents linked to a person, organization, case or event, seen from that record."""

    model = DocumentLink
    fields = ["document", "role", "note"]
    autocomplete_fields = ["document"]
    verbose_name_plural = _("Documents")


def documents_inline(fk):
    return type(f"Documents{fk.title()}Inline", (DocumentsAboutInline,), {"fk_name": fk})


# Records


class RecordAdmin(VersionAdmin):
    """Every change is kept as a revision (who, when, what), with revert and recovery."""

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
            names = ", ".join(str(record) for record in refused)
            self.message_user(
                request,
                _("Not published, because they cite no sources: %(names)s.") % {"names": names},
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


@admin.register(Document)
class DocumentAdmin(RecordAdmin):
    list_display = ["reference_code", "title", "level", "kind", "dates", "status", "updated_at"]
    list_display_links = ["reference_code", "title"]
    list_filter = ["status", "access", "level", "kind", "languages"]
    search_fields = ["reference_code", "title", "creator_name", "scope_and_content"]
    autocomplete_fields = ["parent", "languages"]
    readonly_fields = [*RecordAdmin.readonly_fields, "parts"]
    inlines = [translations_inline(DocumentTranslation), DocumentLinkInline]
    fieldsets = (
        (
            _("Identity statement"),
            {
                "fields": [
                    "reference_code",
                    "title",
                    "level",
                    "parent",
                    "dates",
                    "computed_dates",
                    "extent_and_medium",
                ]
            },
        ),
        (_("Context"), {"fields": ["creator_name", "publisher", "archival_history"]}),
        (_("Content and structure"), {"fields": ["kind", "scope_and_content", "parts"]}),
        (
            _("Conditions of access and use"),
            {"fields": ["conditions_of_access", "conditions_of_reproduction", "languages"]},
        ),
        (_("Allied materials"), {"fields": ["location_of_originals", "url", "file"]}),
        *CONTROL_FIELDSETS,
    )

    @admin.display(description=_("Parts (lower levels)"))
    def parts(self, obj):
        children = obj.children.all() if obj.pk else []
        if not children:
            return "–"
        return format_html_join(mark_safe("<br>"), "{}", ((link_to(c),) for c in children))


@admin.register(Person)
class PersonAdmin(RecordAdmin):
    list_display = [
        "authorized_name",
        "dates_of_existence",
        "nationality",
        "protected",
        "status",
        "updated_at",
    ]
    list_filter = ["status", "access", "protected"]
    search_fields = ["authorized_name", "other_names__name", "biography"]
    inlines = [
        PersonNameInline,
        translations_inline(PersonTranslation),
        PersonIdentifierInline,
        PersonMembershipInline,
        PersonCasePartyInline,
        PersonEventInline,
        documents_inline("person"),
    ]
    fieldsets = (
        (_("Identity"), {"fields": ["authorized_name"]}),
        (
            _("Description"),
            {
                "fields": [
                    ("birth_date", "birth_place"),
                    ("death_date", "death_place"),
                    "computed_dates",
                    "nationality",
                    "biography",
                    "functions",
                ]
            },
        ),
        (_("Protection"), {"fields": ["protected", "personal_details"]}),
        *CONTROL_FIELDSETS,
    )

    @admin.display(description=_("Dates of existence"))
    def dates_of_existence(self, obj):
        return obj.dates_of_existence or "–"


@admin.register(Organization)
class OrganizationAdmin(RecordAdmin):
    list_display = ["authorized_name", "acronym", "kind", "dates", "country", "status"]
    list_filter = ["status", "access", "kind", "country"]
    search_fields = ["authorized_name", "acronym", "other_names__name"]
    inlines = [
        OrganizationNameInline,
        translations_inline(OrganizationTranslation),
        OrganizationIdentifierInline,
        OrganizationMembershipInline,
        RelationOutInline,
        RelationInInline,
        OrganizationCasePartyInline,
        OrganizationEventInline,
        documents_inline("organization"),
    ]
    fieldsets = (
        (_("Identity"), {"fields": ["authorized_name", "acronym", "kind"]}),
        (
            _("Description"),
            {"fields": ["dates", "computed_dates", "country", "history", "functions"]},
        ),
        *CONTROL_FIELDSETS,
    )


@admin.register(LegalCase)
class LegalCaseAdmin(RecordAdmin):
    list_display = [
        "title",
        "case_number",
        "court",
        "jurisdiction",
        "case_status",
        "date_decided",
        "status",
    ]
    list_filter = ["status", "access", "jurisdiction", "kind", "case_status"]
    list_select_related = ["court"]
    search_fields = ["title", "case_number", "court__authorized_name", "court_detail"]
    autocomplete_fields = ["court", "events"]
    inlines = [
        translations_inline(LegalCaseTranslation),
        CasePartyInline,
        CaseLinkInline,
        documents_inline("legal_case"),
    ]
    fieldsets = (
        (_("Identity"), {"fields": ["title", "case_number"]}),
        (_("Court"), {"fields": ["court", "court_detail", "jurisdiction", "kind"]}),
        (
            _("Dates and status"),
            {"fields": ["date_filed", "date_decided", "computed_dates", "case_status"]},
        ),
        (_("Content"), {"fields": ["summary", "outcome", "events"]}),
        *CONTROL_FIELDSETS,
    )


@admin.register(Event)
class EventAdmin(RecordAdmin):
    list_display = ["name", "kind", "dates", "place", "status"]
    list_filter = ["status", "access", "kind"]
    search_fields = ["name", "place", "description"]
    inlines = [
        translations_inline(EventTranslation),
        EventParticipantInline,
        documents_inline("event"),
    ]
    fieldsets = (
        (_("Identity"), {"fields": ["name", "kind"]}),
        (_("Description"), {"fields": ["dates", "computed_dates", "place", "description"]}),
        *CONTROL_FIELDSETS,
    )


# Relationships, also listed on their own so archivists can review them across records


class LinkAdmin(VersionAdmin):
    """Relationships and links listed on their own; live ones follow their records' lock."""

    def has_change_permission(self, request, obj=None):
        allowed = super().has_change_permission(request, obj)
        return allowed and (obj is None or may_edit(request.user, record_ends(obj)))

    def has_delete_permission(self, request, obj=None):
        allowed = super().has_delete_permission(request, obj)
        return allowed and (obj is None or may_edit(request.user, record_ends(obj)))

    def save_model(self, request, obj, form, change):
        if not may_edit(request.user, record_ends(obj)):
            raise PermissionDenied
        super().save_model(request, obj, form, change)


class RelationshipAdmin(LinkAdmin):
    formfield_overrides = COMPACT_TEXT
    list_per_page = 100
    readonly_fields = ["date_earliest", "date_latest"]


@admin.register(Membership)
class MembershipAdmin(RelationshipAdmin):
    list_display = ["person", "kind", "role", "organization", "dates"]
    list_filter = ["kind"]
    list_select_related = ["person", "organization"]
    search_fields = ["person__authorized_name", "organization__authorized_name", "role"]
    autocomplete_fields = ["person", "organization", "evidence"]


@admin.register(OrganizationRelation)
class OrganizationRelationAdmin(RelationshipAdmin):
    list_display = ["source", "kind", "target", "description", "dates"]
    list_filter = ["kind"]
    list_select_related = ["source", "target"]
    search_fields = ["source__authorized_name", "target__authorized_name", "description"]
    autocomplete_fields = ["source", "target", "evidence"]


@admin.register(CaseParty)
class CasePartyAdmin(RelationshipAdmin):
    list_display = ["case", "person", "organization", "role", "outcome", "sentence"]
    list_filter = ["role", "outcome"]
    list_select_related = ["case", "person", "organization"]
    search_fields = ["case__title", "person__authorized_name", "organization__authorized_name"]
    autocomplete_fields = ["case", "person", "organization", "evidence"]


@admin.register(EventParticipant)
class EventParticipantAdmin(RelationshipAdmin):
    list_display = ["event", "person", "organization", "role", "role_detail"]
    list_filter = ["role"]
    list_select_related = ["event", "person", "organization"]
    search_fields = ["event__name", "person__authorized_name", "organization__authorized_name"]
    autocomplete_fields = ["event", "person", "organization", "evidence"]


@admin.register(CaseLink)
class CaseLinkAdmin(LinkAdmin):
    list_display = ["from_case", "kind", "to_case", "note"]
    list_filter = ["kind"]
    list_select_related = ["from_case", "to_case"]
    search_fields = ["from_case__title", "to_case__title"]
    autocomplete_fields = ["from_case", "to_case"]


@admin.register(DocumentLink)
class DocumentLinkAdmin(LinkAdmin):
    list_display = ["document", "role", "target"]
    list_filter = ["role"]
    list_select_related = ["document", "person", "organization", "legal_case", "event"]
    search_fields = [
        "document__reference_code",
        "document__title",
        "person__authorized_name",
        "organization__authorized_name",
        "legal_case__title",
        "event__name",
    ]
    autocomplete_fields = ["document", "person", "organization", "legal_case", "event"]


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
class TombstoneAdmin(admin.ModelAdmin):
    """What partners are told was removed from public view; written by the catalogue only."""

    list_display = ["public_id", "record_type", "removed_at"]
    list_filter = ["record_type"]
    search_fields = ["public_id"]
    date_hierarchy = "removed_at"

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False


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
