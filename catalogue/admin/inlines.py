"""The rows edited inside a record's page: names, identifiers, relationships, links."""

from django.db import models
from django.forms import Textarea
from django.utils.translation import gettext_lazy as _

from ..models import (
    CaseLink,
    CaseParty,
    DocumentLink,
    EventParticipant,
    Membership,
    OrganizationIdentifier,
    OrganizationName,
    OrganizationRelation,
    PersonIdentifier,
    PersonName,
)
from .base import CompactInline


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
