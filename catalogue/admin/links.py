"""Relationships and links listed on their own, so archivists can review them across records."""

from django.contrib import admin
from django.core.exceptions import PermissionDenied
from reversion.admin import VersionAdmin

from ..models import (
    CaseLink,
    CaseParty,
    DocumentLink,
    EventParticipant,
    Membership,
    OrganizationRelation,
)
from .base import COMPACT_TEXT, may_edit, record_ends
from .imports import CsvImportExport


class LinkAdmin(CsvImportExport, VersionAdmin):
    """Relationships and links listed on their own; live ones follow their records' lock.

    Each list imports and exports CSV in its relationship's template.
    """

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
