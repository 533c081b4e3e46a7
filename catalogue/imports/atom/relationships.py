"""AtoM's authority record relationship CSV: how two authority records relate.

A person and an organization become a membership; two organizations, a relation between
organizations. Both ends must already be in the catalogue (import the authority records
first): a missing one is an error that names it. Importing the file again updates the same
relationship rather than adding another.
"""

from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from ...models import Membership, OrganizationRelation, Person
from . import agents, dates
from .base import Action, AtomFormat
from .values import RowError, cell

# AtoM relation type (subject … object) → (our kind, True when ours reads object … subject).
ORGANIZATION_KINDS = {
    "is the superior of": (OrganizationRelation.Kind.GOVERNED, False),
    "controls": (OrganizationRelation.Kind.GOVERNED, False),
    "is controlled by": (OrganizationRelation.Kind.GOVERNED, True),
    "is the subordinate of": (OrganizationRelation.Kind.PART_OF, False),
    "is part of": (OrganizationRelation.Kind.PART_OF, False),
    "is the predecessor of": (OrganizationRelation.Kind.SUCCESSOR_OF, True),
    "is the successor of": (OrganizationRelation.Kind.SUCCESSOR_OF, False),
    "is the associate of": (OrganizationRelation.Kind.ALLIED_WITH, False),
    "is the business partner of": (OrganizationRelation.Kind.ALLIED_WITH, False),
}
# AtoM relation type, read from the person's side → our kind of membership.
MEMBERSHIP_KINDS = {
    "is controlled by": Membership.Kind.MEMBER,
    "is the subordinate of": Membership.Kind.MEMBER,
    "is the employee of": Membership.Kind.MEMBER,
    "is the member of": Membership.Kind.MEMBER,
    "is a member of": Membership.Kind.MEMBER,
    "is the superior of": Membership.Kind.LEADER,
    "controls": Membership.Kind.LEADER,
    "is the founder of": Membership.Kind.FOUNDER,
    "is the associate of": Membership.Kind.COLLABORATOR,
    "is the business partner of": Membership.Kind.COLLABORATOR,
}
FIELD_COLUMNS = {"dates": "startDate", "note": "description", "description": "description"}


class Relationships(AtomFormat):
    name = "atom-relationship"
    label = gettext_lazy("AtoM authority record relationships (CSV)")
    model = Membership
    signature = frozenset({"subjectAuthorizedFormOfName", "objectAuthorizedFormOfName"})
    columns = frozenset(
        {
            *("subjectAuthorizedFormOfName", "relationType", "objectAuthorizedFormOfName"),
            *("description", "date", "startDate", "endDate", "culture"),
        }
    )

    def error_column(self, field_name):
        return FIELD_COLUMNS.get(field_name, field_name)

    def import_row(self, row, run):
        subject = self.agent(row, "subjectAuthorizedFormOfName")
        target = self.agent(row, "objectAuthorizedFormOfName")
        relation_type = cell(row, "relationType")
        edtf = dates.interval(cell(row, "startDate"), cell(row, "endDate"))
        note = cell(row, "description")
        if cell(row, "date"):
            note = "\n".join(
                n for n in (note, _("Dates in AtoM: %(text)s") % {"text": cell(row, "date")}) if n
            )
        people = isinstance(subject, Person), isinstance(target, Person)
        if all(people):
            raise RowError(
                "objectAuthorizedFormOfName",
                _("A relationship between two persons has no place in this catalogue yet."),
            )
        if any(people):
            person, organization = (subject, target) if people[0] else (target, subject)
            return self.membership(person, organization, relation_type, edtf, note, people[0])
        return self.relation(subject, target, relation_type, edtf, note)

    @staticmethod
    def agent(row, column):
        name = cell(row, column)
        if not name:
            raise RowError(column, _("Give the authorized form of name."))
        agent = agents.find(name)
        if agent is None:
            raise RowError(
                column,
                _(
                    "No person or organization is called “%(name)s”. Import the authority "
                    "records first, or check the spelling."
                )
                % {"name": name},
            )
        return agent

    def membership(self, person, organization, relation_type, edtf, note, person_first):
        kind = MEMBERSHIP_KINDS.get(relation_type.casefold(), Membership.Kind.OTHER)
        notes = []
        if not person_first:
            notes.append(_("Read from the person's side: “%(type)s”.") % {"type": relation_type})
        found = Membership.objects.filter(
            person=person, organization=organization, kind=kind, role=relation_type[:300]
        ).first()
        membership = found or Membership(
            person=person, organization=organization, kind=kind, role=relation_type[:300]
        )
        return self.save(membership, found, edtf, note, notes)

    def relation(self, subject, target, relation_type, edtf, note):
        kind, reverse = ORGANIZATION_KINDS.get(
            relation_type.casefold(), (OrganizationRelation.Kind.OTHER, False)
        )
        source, target = (target, subject) if reverse else (subject, target)
        notes = []
        if kind == OrganizationRelation.Kind.OTHER:
            notes.append(
                _("“%(type)s” has no kind of its own here: imported as “is related to”.")
                % {"type": relation_type}
            )
        description = relation_type if kind == OrganizationRelation.Kind.OTHER else ""
        found = OrganizationRelation.objects.filter(
            source=source, target=target, kind=kind, description=description[:300]
        ).first()
        relation = found or OrganizationRelation(
            source=source, target=target, kind=kind, description=description[:300]
        )
        return self.save(relation, found, edtf, note, notes)

    @staticmethod
    def save(relationship, found, edtf, note, notes):
        if found and (found.dates, found.note) == (edtf, note):
            return Action.SKIP, relationship, notes
        relationship.dates, relationship.note = edtf, note
        relationship.full_clean()
        relationship.save()
        return (Action.UPDATE if found else Action.NEW), relationship, notes
