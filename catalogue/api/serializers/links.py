"""Relationships and links, each as seen from one of its records."""

from drf_spectacular.utils import extend_schema_field
from rest_framework import serializers

from ...models import (
    CaseLink,
    CaseParty,
    DocumentLink,
    EventParticipant,
    Membership,
    OrganizationRelation,
)
from .fields import EDTFField, SummarySerializer, brief, summary


class DatedLinkSerializer(serializers.ModelSerializer):
    """What every relationship shares: its dates, the document that evidences it, a note."""

    dates = EDTFField()
    evidence = summary(allow_null=True)

    dated_fields = ["dates", "date_earliest", "date_latest", "evidence", "note"]


class MembershipSerializer(DatedLinkSerializer):
    organization = summary()

    class Meta:
        model = Membership
        fields = ["organization", "kind", "role", *DatedLinkSerializer.dated_fields]


class MemberSerializer(DatedLinkSerializer):
    person = summary()

    class Meta:
        model = Membership
        fields = ["person", "kind", "role", *DatedLinkSerializer.dated_fields]


class RelationSerializer(DatedLinkSerializer):
    """A relation between organizations, read from one end: `direction` says which."""

    organization = serializers.SerializerMethodField()
    direction = serializers.SerializerMethodField()
    category = serializers.CharField(read_only=True)

    class Meta:
        model = OrganizationRelation
        fields = [
            "direction",
            "kind",
            "category",
            "organization",
            "description",
            *DatedLinkSerializer.dated_fields,
        ]

    @extend_schema_field(SummarySerializer)
    def get_organization(self, relation):
        other = relation.target if self.context.get("direction") == "out" else relation.source
        return brief(other, self.context)

    def get_direction(self, relation) -> str:
        # "out": this organization is the subject ("X is part of Y"); "in": the object.
        return self.context.get("direction", "out")


class AgentField(serializers.Field):
    """The person or organization at one end of a link."""

    def __init__(self, **kwargs):
        super().__init__(source="*", read_only=True, **kwargs)

    def to_representation(self, link):
        return brief(link.agent, self.context)


class PartySerializer(DatedLinkSerializer):
    agent = extend_schema_field(SummarySerializer)(AgentField)()

    class Meta:
        model = CaseParty
        fields = [
            "agent",
            "role",
            "role_detail",
            "outcome",
            "sentence",
            "outcome_detail",
            *DatedLinkSerializer.dated_fields,
        ]


class CaseRoleSerializer(DatedLinkSerializer):
    case = summary()

    class Meta:
        model = CaseParty
        fields = [
            "case",
            "role",
            "role_detail",
            "outcome",
            "sentence",
            "outcome_detail",
            *DatedLinkSerializer.dated_fields,
        ]


class ParticipantSerializer(DatedLinkSerializer):
    agent = extend_schema_field(SummarySerializer)(AgentField)()

    class Meta:
        model = EventParticipant
        fields = ["agent", "role", "role_detail", *DatedLinkSerializer.dated_fields]


class EventRoleSerializer(DatedLinkSerializer):
    event = summary()

    class Meta:
        model = EventParticipant
        fields = ["event", "role", "role_detail", *DatedLinkSerializer.dated_fields]


class LinkedRecordSerializer(serializers.ModelSerializer):
    """A record a document is linked to: its creator, subject, a case it belongs to…"""

    record = serializers.SerializerMethodField()

    class Meta:
        model = DocumentLink
        fields = ["role", "record", "note"]

    @extend_schema_field(SummarySerializer)
    def get_record(self, link):
        return brief(link.target, self.context)


class LinkingDocumentSerializer(serializers.ModelSerializer):
    """A document about a record, with the role the record has in it."""

    document = summary()

    class Meta:
        model = DocumentLink
        fields = ["document", "role", "note"]

    def to_representation(self, link):
        # The fields above, without a field object per value: a case can list thousands.
        document = self.fields["document"].to_representation(link.document)
        return {"document": document, "role": link.role, "note": link.note}


class CaseLinkSerializer(serializers.ModelSerializer):
    case = serializers.SerializerMethodField()
    direction = serializers.SerializerMethodField()

    class Meta:
        model = CaseLink
        fields = ["direction", "kind", "case", "note"]

    @extend_schema_field(SummarySerializer)
    def get_case(self, link):
        other = link.to_case if self.context.get("direction") == "out" else link.from_case
        return brief(other, self.context)

    def get_direction(self, link) -> str:
        # "out": this case is the subject ("this case is an appeal of …"); "in": the object.
        return self.context.get("direction", "out")


class NameSerializer(serializers.Serializer):
    name = serializers.CharField(read_only=True)
    kind = serializers.CharField(read_only=True)
    language = serializers.CharField(
        source="language.code", read_only=True, allow_null=True, help_text="ISO 639-3"
    )
    note = serializers.CharField(read_only=True)


class TranslationSerializer(serializers.Serializer):
    """The record's title and main text in another language: a document's scope and content,
    a person's biography, an organization's history, a case's summary, an event's
    description. Empty where only one of them is translated."""

    language = serializers.CharField(source="language.code", read_only=True, help_text="ISO 639-3")
    title = serializers.CharField(read_only=True)
    text = serializers.CharField(read_only=True)


class IdentifierSerializer(serializers.Serializer):
    scheme = serializers.CharField(read_only=True)
    value = serializers.CharField(read_only=True)
    url = serializers.CharField(read_only=True)


class LanguageSerializer(serializers.Serializer):
    code = serializers.CharField(read_only=True, help_text="ISO 639-3")
    name = serializers.CharField(read_only=True)


def directed(serializer_class, direction):
    """A list field whose serializer knows which end of the relation the record is."""

    class Directed(serializers.ListField):
        def __init__(self, **kwargs):
            super().__init__(child=serializer_class(), read_only=True, **kwargs)

        def to_representation(self, data):
            # One serializer for the whole list: its fields are built once.
            child = serializer_class(context={**self.context, "direction": direction})
            return [child.to_representation(item) for item in data]

    return Directed
