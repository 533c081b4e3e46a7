"""The five record types, and the deletions feed."""

from urllib.parse import urlencode

from django.urls import reverse
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import extend_schema_field
from rest_framework import serializers

from ...exports import formats_of
from ...models import (
    Document,
    Event,
    LegalCase,
    Organization,
    Person,
    Tombstone,
)
from ...related import LISTED_DOCUMENTS
from .fields import (
    OPTIONAL_URI,
    EDTFField,
    OptionalURLField,
    SummarySerializer,
    absolute,
    summary,
)
from .links import (
    CaseLinkSerializer,
    CaseRoleSerializer,
    EventRoleSerializer,
    IdentifierSerializer,
    LanguageSerializer,
    LinkedRecordSerializer,
    LinkingDocumentSerializer,
    MemberSerializer,
    MembershipSerializer,
    NameSerializer,
    ParticipantSerializer,
    PartySerializer,
    RelationSerializer,
    TranslationSerializer,
    directed,
)


class RecordSerializer(serializers.ModelSerializer):
    """Identity, links and dates every record type shares."""

    id = serializers.CharField(source="public_id", read_only=True)
    type = serializers.SerializerMethodField()
    url = serializers.SerializerMethodField()
    html_url = serializers.SerializerMethodField()
    sources = serializers.ListField(
        source="source_list", child=serializers.CharField(), read_only=True
    )
    created = serializers.DateTimeField(source="created_at", read_only=True)
    modified = serializers.DateTimeField(
        source="last_changed",
        read_only=True,
        help_text="When the record last changed for the public: use with modified_since.",
    )

    translations = TranslationSerializer(many=True, read_only=True)
    exports = serializers.SerializerMethodField()

    head_fields = ["id", "type", "url", "html_url"]
    tail_fields = ["translations", "sources", "exports", "created", "modified"]

    def get_type(self, record) -> str:
        return record.record_type

    @extend_schema_field(OpenApiTypes.URI)
    def get_url(self, record):
        return SummarySerializer(context=self.context).get_url(record)

    @extend_schema_field(OpenApiTypes.URI)
    def get_html_url(self, record):
        return absolute(self.context, record.get_absolute_url())

    @extend_schema_field(
        {
            "type": "object",
            "description": "The record in standard formats: dublin_core and json_ld for "
            "every type, ead3 for documents, eac_cpf for persons and organizations.",
            "additionalProperties": {"type": "string", "format": "uri"},
            "example": {"dublin_core": "https://…/dc.xml", "json_ld": "https://…/schema.jsonld"},
        }
    )
    def get_exports(self, record):
        return {
            fmt.api_name: absolute(self.context, reverse(url_name, args=[record.public_id]))
            for fmt, url_name in formats_of(type(record))
        }


class DocumentSerializer(RecordSerializer):
    dates = EDTFField()
    parent = summary(source="public_parent", allow_null=True)
    languages = LanguageSerializer(many=True, read_only=True)
    external_url = OptionalURLField(source="url")
    file_url = serializers.SerializerMethodField()
    links = LinkedRecordSerializer(source="public_links", many=True, read_only=True)

    class Meta:
        model = Document
        fields = [
            *RecordSerializer.head_fields,
            "reference_code",
            "title",
            "level",
            "kind",
            "dates",
            "date_earliest",
            "date_latest",
            "parent",
            "extent_and_medium",
            "creator_name",
            "publisher",
            "scope_and_content",
            "archival_history",
            "languages",
            "conditions_of_access",
            "conditions_of_reproduction",
            "location_of_originals",
            "external_url",
            "file_url",
            "links",
            *RecordSerializer.tail_fields,
        ]

    @extend_schema_field(OPTIONAL_URI)
    def get_file_url(self, document):
        if not document.file:
            return None
        return absolute(self.context, reverse("file", args=[document.file.name]))


class DocumentsAbout(serializers.Serializer):
    """The documents about a record: in full on its detail and in the dump, the first
    `LISTED_DOCUMENTS` in a list of records, with how many there are and where they all are."""

    documents = LinkingDocumentSerializer(source="public_documents", many=True, read_only=True)
    documents_total = serializers.SerializerMethodField(
        help_text="How many public documents are about the record. A list of records gives "
        f"the first {LISTED_DOCUMENTS} of each in `documents`; its detail gives them all."
    )
    documents_url = serializers.SerializerMethodField(
        help_text="The documents about the record, as a list of documents to page through."
    )

    fields_about = ["documents", "documents_total", "documents_url"]

    def get_documents_total(self, record) -> int:
        total = getattr(record, "documents_total", None)
        return len(record.public_documents) if total is None else total

    @extend_schema_field(OpenApiTypes.URI)
    def get_documents_url(self, record):
        found = urlencode({record.record_type: record.public_id})
        return absolute(self.context, f"{reverse('api:document-list')}?{found}")


class AgentSerializer(DocumentsAbout, RecordSerializer):
    other_names = NameSerializer(many=True, read_only=True)
    identifiers = IdentifierSerializer(many=True, read_only=True)
    case_roles = CaseRoleSerializer(source="public_case_roles", many=True, read_only=True)
    event_roles = EventRoleSerializer(source="public_event_roles", many=True, read_only=True)

    related_fields = ["case_roles", "event_roles", *DocumentsAbout.fields_about]


class PersonSerializer(AgentSerializer):
    birth_date = EDTFField()
    death_date = EDTFField()
    nationality = serializers.ListField(child=serializers.CharField(), read_only=True)
    memberships = MembershipSerializer(source="public_memberships", many=True, read_only=True)

    class Meta:
        model = Person
        fields = [
            *RecordSerializer.head_fields,
            "authorized_name",
            "other_names",
            "identifiers",
            "birth_date",
            "birth_place",
            "death_date",
            "death_place",
            "date_earliest",
            "date_latest",
            "nationality",
            "biography",
            "functions",
            "personal_details",
            "memberships",
            *AgentSerializer.related_fields,
            *RecordSerializer.tail_fields,
        ]


class OrganizationSerializer(AgentSerializer):
    dates = EDTFField()
    country = serializers.CharField(read_only=True, allow_null=True)
    members = MemberSerializer(source="public_members", many=True, read_only=True)
    relations_out = directed(RelationSerializer, "out")(source="public_relations_out")
    relations_in = directed(RelationSerializer, "in")(source="public_relations_in")
    cases_heard = summary(source="public_cases_heard", many=True)

    class Meta:
        model = Organization
        fields = [
            *RecordSerializer.head_fields,
            "authorized_name",
            "acronym",
            "other_names",
            "identifiers",
            "kind",
            "dates",
            "date_earliest",
            "date_latest",
            "country",
            "history",
            "functions",
            "members",
            "relations_out",
            "relations_in",
            "cases_heard",
            *AgentSerializer.related_fields,
            *RecordSerializer.tail_fields,
        ]

    def to_representation(self, organization):
        data = super().to_representation(organization)
        data["country"] = organization.country.code or None
        return data


class LegalCaseSerializer(DocumentsAbout, RecordSerializer):
    court = summary(source="public_court", allow_null=True)
    date_filed = EDTFField()
    date_decided = EDTFField()
    parties = PartySerializer(source="public_parties", many=True, read_only=True)
    links_out = directed(CaseLinkSerializer, "out")(source="public_links_out")
    links_in = directed(CaseLinkSerializer, "in")(source="public_links_in")
    events = summary(source="public_events", many=True)

    class Meta:
        model = LegalCase
        fields = [
            *RecordSerializer.head_fields,
            "title",
            "case_number",
            "court",
            "court_detail",
            "jurisdiction",
            "kind",
            "case_status",
            "date_filed",
            "date_decided",
            "date_earliest",
            "date_latest",
            "summary",
            "outcome",
            "parties",
            "links_out",
            "links_in",
            "events",
            *DocumentsAbout.fields_about,
            *RecordSerializer.tail_fields,
        ]


class EventSerializer(DocumentsAbout, RecordSerializer):
    dates = EDTFField()
    participants = ParticipantSerializer(source="public_participants", many=True, read_only=True)
    legal_cases = summary(source="public_legal_cases", many=True)

    class Meta:
        model = Event
        fields = [
            *RecordSerializer.head_fields,
            "name",
            "kind",
            "dates",
            "date_earliest",
            "date_latest",
            "place",
            "description",
            "participants",
            "legal_cases",
            *DocumentsAbout.fields_about,
            *RecordSerializer.tail_fields,
        ]


class DeletionSerializer(serializers.ModelSerializer):
    """A record that was public and is no longer: remove it from your copy."""

    id = serializers.CharField(source="public_id", read_only=True)
    type = serializers.CharField(source="record_type", read_only=True)
    removed = serializers.DateTimeField(source="removed_at", read_only=True)

    class Meta:
        model = Tombstone
        fields = ["id", "type", "removed"]
