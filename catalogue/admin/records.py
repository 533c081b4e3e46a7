"""The five record types' pages."""

from django.contrib import admin
from django.utils.html import format_html_join
from django.utils.safestring import mark_safe
from django.utils.translation import gettext_lazy as _

from ..models import (
    Document,
    DocumentTranslation,
    Event,
    EventTranslation,
    LegalCase,
    LegalCaseTranslation,
    Organization,
    OrganizationTranslation,
    Person,
    PersonTranslation,
)
from .base import CONTROL_FIELDSETS, RecordAdmin, link_to
from .inlines import (
    CaseLinkInline,
    CasePartyInline,
    DocumentLinkInline,
    EventParticipantInline,
    OrganizationCasePartyInline,
    OrganizationEventInline,
    OrganizationIdentifierInline,
    OrganizationMembershipInline,
    OrganizationNameInline,
    PersonCasePartyInline,
    PersonEventInline,
    PersonIdentifierInline,
    PersonMembershipInline,
    PersonNameInline,
    RelationInInline,
    RelationOutInline,
    documents_inline,
    translations_inline,
)
from .merging import MergeActions


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
class PersonAdmin(MergeActions, RecordAdmin):
    actions = [*RecordAdmin.actions, "merge_selected"]
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
class OrganizationAdmin(MergeActions, RecordAdmin):
    actions = [*RecordAdmin.actions, "merge_selected"]
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
