"""Our templates of relationships: one per kind, each end a reference to a record.

A legal case's parties import as case_party rows; a document's creators and subjects as
document_link rows. Import the records first, then their relationships.
"""

from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _

from ...models import (
    CaseLink,
    CaseParty,
    Document,
    DocumentLink,
    Event,
    EventParticipant,
    LegalCase,
    Membership,
    Organization,
    OrganizationRelation,
    Person,
    Record,
)
from ..widgets import Choice, Reference, Text, normal_text
from .base import CatalogueResource, Column


class IdWidget(Text):
    def clean(self, value, row=None, **kwargs):
        text = normal_text(value)
        if text and not text.isdigit():
            raise ValueError(
                _("“%(value)s” is not an id: leave it empty for a new row.") % {"value": text}
            )
        return int(text) if text else None


def ends_of(link):
    """The records a relationship ties together (the evidence it cites is not one)."""
    return [
        value
        for field in link._meta.concrete_fields
        if field.is_relation
        and field.name != "evidence"
        and issubclass(field.related_model, Record)
        and (value := getattr(link, field.name)) is not None
    ]


class LinkResource(CatalogueResource):
    """A relationship's template: its id (from an export), then its ends and details.

    Matching: the id column, then legacy_id, then its ends and kind (`natural_key`).
    """

    id = Column("id", IdWidget())
    natural_key = ()

    class Meta(CatalogueResource.Meta):
        abstract = True

    def get_instance(self, instance_loader, row):
        pk = IdWidget().clean(row.get("id"))
        if pk and (found := self._meta.model.objects.filter(pk=pk).first()):
            return found
        return super().get_instance(instance_loader, row)

    def find_by_natural_key(self, row):
        lookup = {}
        for name in self.natural_key:
            field = self.fields[name]
            try:
                lookup[name] = field.clean(row) if name in row else None
            except ValueError:
                return None  # the row's own error says which reference was not found
        if not any(isinstance(value, Record) for value in lookup.values()):
            return None
        return self._meta.model.objects.filter(**lookup).first()

    def import_field(self, field, instance, row, is_m2m=False, **kwargs):
        if field.column_name == "id":
            return  # a new row gets its own id
        super().import_field(field, instance, row, is_m2m, **kwargs)

    def before_save_instance(self, instance, row, **kwargs):
        # As in the admin: a relationship stays open while one of its records is a draft;
        # after that, only to those who may publish every one of them.
        if self.user is None:
            return
        ends = ends_of(instance)
        if any(record.status == Record.Status.DRAFT for record in ends):
            return
        for record in ends:
            meta = record._meta
            if not self.user.has_perm(f"{meta.app_label}.publish_{meta.model_name}"):
                raise ValidationError(
                    _(
                        "Every record this row links has left draft: only archivists who "
                        "may publish them can change their relationships."
                    )
                )


def ref(model):
    return Reference(model)


RELATIONSHIP_TAIL = ["dates", "evidence", "sources", "note"]


def tail():
    return {
        "dates": Column("dates"),
        "evidence": Column("evidence", ref(Document)),
        "sources": Column("sources"),
        "note": Column("note"),
    }


class MembershipResource(LinkResource):
    person = Column("person", ref(Person))
    organization = Column("organization", ref(Organization))
    kind = Column("kind", Choice(Membership.Kind, default=Membership.Kind.MEMBER))
    role = Column("role")
    locals().update(tail())
    natural_key = ("person", "organization", "kind")

    class Meta:
        model = Membership
        fields = ["id", "legacy_id", "person", "organization", "kind", "role", *RELATIONSHIP_TAIL]
        import_order = export_order = fields


class OrganizationRelationResource(LinkResource):
    locals()["source"] = Column("source", ref(Organization))
    kind = Column("kind", Choice(OrganizationRelation.Kind))
    target = Column("target", ref(Organization))
    description = Column("description")
    locals().update(tail())
    natural_key = ("source", "kind", "target")

    class Meta:
        model = OrganizationRelation
        fields = ["id", "legacy_id", "source", "kind", "target", "description", *RELATIONSHIP_TAIL]
        import_order = export_order = fields


class CasePartyResource(LinkResource):
    case = Column("case", ref(LegalCase))
    person = Column("person", ref(Person))
    organization = Column("organization", ref(Organization))
    role = Column("role", Choice(CaseParty.Role))
    role_detail = Column("role_detail")
    outcome = Column("outcome", Choice(CaseParty.Outcome))
    sentence = Column("sentence")
    outcome_detail = Column("outcome_detail")
    locals().update(tail())
    natural_key = ("case", "person", "organization", "role")

    class Meta:
        model = CaseParty
        fields = [
            "id",
            "legacy_id",
            "case",
            "person",
            "organization",
            "role",
            "role_detail",
            "outcome",
            "sentence",
            "outcome_detail",
            *RELATIONSHIP_TAIL,
        ]
        import_order = export_order = fields


class EventParticipantResource(LinkResource):
    event = Column("event", ref(Event))
    person = Column("person", ref(Person))
    organization = Column("organization", ref(Organization))
    role = Column("role", Choice(EventParticipant.Role, default=EventParticipant.Role.PARTICIPANT))
    role_detail = Column("role_detail")
    locals().update(tail())
    natural_key = ("event", "person", "organization", "role")

    class Meta:
        model = EventParticipant
        fields = [
            "id",
            "legacy_id",
            "event",
            "person",
            "organization",
            "role",
            "role_detail",
            *RELATIONSHIP_TAIL,
        ]
        import_order = export_order = fields


class CaseLinkResource(LinkResource):
    from_case = Column("from_case", ref(LegalCase))
    kind = Column("kind", Choice(CaseLink.Kind))
    to_case = Column("to_case", ref(LegalCase))
    note = Column("note")
    natural_key = ("from_case", "kind", "to_case")

    class Meta:
        model = CaseLink
        fields = ["id", "legacy_id", "from_case", "kind", "to_case", "note"]
        import_order = export_order = fields


class DocumentLinkResource(LinkResource):
    document = Column("document", ref(Document))
    role = Column("role", Choice(DocumentLink.Role, default=DocumentLink.Role.SUBJECT))
    person = Column("person", ref(Person))
    organization = Column("organization", ref(Organization))
    legal_case = Column("legal_case", ref(LegalCase))
    event = Column("event", ref(Event))
    note = Column("note")
    natural_key = ("document", "role", "person", "organization", "legal_case", "event")

    class Meta:
        model = DocumentLink
        fields = [
            "id",
            "legacy_id",
            "document",
            "role",
            "person",
            "organization",
            "legal_case",
            "event",
            "note",
        ]
        import_order = export_order = fields
