"""Dated links between records, each able to cite the document that evidences it."""

from django.core.exceptions import ValidationError
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from .authorities import Organization, Person
from .base import DateBounds, EDTFField, Record, cites_evidence, exactly_one
from .cases import Event, LegalCase
from .documents import Document


def beyond(label, detail):
    """What `detail`, as the sources word a role, says beyond its label: "" for "defendant"
    under Defendant, "communication submitted by his wife" for "victim (communication…)"."""
    detail, label = (detail or "").strip(), str(label).strip()
    if detail.casefold().startswith(label.casefold()):
        detail = detail[len(label) :].strip(" ,;:–-")
        if detail.startswith("(") and detail.endswith(")"):
            detail = detail[1:-1].strip()
    return detail


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


class Relationship(DateBounds):
    """A dated link between records that can cite the document that is its evidence."""

    dates = EDTFField(_("dates"))
    evidence = models.ForeignKey(
        Document,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        db_index=False,  # each concrete type has a partial index: most links cite nothing
        verbose_name=_("evidence"),
        help_text=_("The document in this catalogue that shows this relationship."),
    )
    sources = models.TextField(
        _("sources"), blank=True, help_text=_("Other sources, one citation per line.")
    )
    note = models.TextField(_("note"), blank=True)

    class Meta:
        abstract = True


class Membership(Relationship):
    """A person's place in an organization (ISAAR 5.3)."""

    class Kind(models.TextChoices):
        FOUNDER = "founder", _("Founder")
        LEADER = "leader", _("Leader")
        MEMBER = "member", _("Member")
        OFFICE_HOLDER = "office_holder", _("Office holder")
        COLLABORATOR = "collaborator", _("Collaborator")
        OTHER = "other", _("Other")

    person = models.ForeignKey(
        Person, on_delete=models.CASCADE, related_name="memberships", verbose_name=_("person")
    )
    organization = models.ForeignKey(
        Organization,
        on_delete=models.CASCADE,
        related_name="memberships",
        verbose_name=_("organization"),
    )
    kind = models.CharField(_("relationship"), max_length=20, choices=Kind, default=Kind.MEMBER)
    role = models.CharField(
        _("role"),
        max_length=300,
        blank=True,
        help_text=_("As the sources word it, e.g. 'national leader (secretary general)'."),
    )

    class Meta:
        ordering = ["date_earliest", "pk"]
        verbose_name = _("membership")
        verbose_name_plural = _("memberships")
        indexes = [cites_evidence("membership_evidence")]

    def __str__(self):
        return f"{self.person} – {self.get_kind_display()} – {self.organization}"

    @property
    def role_note(self):
        """The role as the sources word it, where it says more than the relationship."""
        return beyond(self.get_kind_display(), self.role)


class OrganizationRelation(Relationship):
    """How one organization relates to another (ISAAR 5.3)."""

    class Kind(models.TextChoices):
        PART_OF = "part_of", _("is part of")
        SUBDIVISION_OF = "subdivision_of", _("is a subdivision or faction of")
        FORMED_FROM = "formed_from", _("was formed from")
        SPLIT_FROM = "split_from", _("split from")
        MERGED_INTO = "merged_into", _("merged into")
        SUCCESSOR_OF = "successor_of", _("is the successor of")
        CREATED_BY = "created_by", _("was created by")
        GOVERNED = "governed", _("governed")
        DREW_MEMBERS_FROM = "drew_members_from", _("drew members from")
        ALLIED_WITH = "allied_with", _("cooperated with")
        RIVAL_OF = "rival_of", _("was a rival of")
        OPPOSED = "opposed", _("opposed")
        ATTACKED = "attacked", _("attacked")
        OTHER = "other", _("is related to")

    # ISAAR(CPF) / EAC-CPF relation categories, for exports.
    CATEGORIES = {
        Kind.PART_OF: "hierarchical-parent",
        Kind.SUBDIVISION_OF: "hierarchical-parent",
        Kind.CREATED_BY: "hierarchical-parent",
        Kind.FORMED_FROM: "temporal-earlier",
        Kind.SPLIT_FROM: "temporal-earlier",
        Kind.SUCCESSOR_OF: "temporal-earlier",
        Kind.MERGED_INTO: "temporal-later",
        Kind.GOVERNED: "hierarchical-child",
    }

    source = models.ForeignKey(
        Organization,
        on_delete=models.CASCADE,
        related_name="relations_out",
        verbose_name=_("organization"),
    )
    kind = models.CharField(_("relation"), max_length=20, choices=Kind)
    target = models.ForeignKey(
        Organization,
        on_delete=models.CASCADE,
        related_name="relations_in",
        verbose_name=_("related organization"),
    )
    description = models.CharField(
        _("description"),
        max_length=300,
        blank=True,
        help_text=_("The relation in the sources' words, e.g. 'unilateral truce (1985)'."),
    )

    class Meta:
        ordering = ["date_earliest", "pk"]
        verbose_name = _("relation between organizations")
        verbose_name_plural = _("relations between organizations")
        indexes = [cites_evidence("organization_relation_evidence")]
        constraints = [
            models.CheckConstraint(
                condition=~Q(source=models.F("target")), name="organization_relation_not_self"
            )
        ]

    def __str__(self):
        return f"{self.source} {self.get_kind_display()} {self.target}"

    def clean(self):
        super().clean()
        if self.source_id and self.source_id == self.target_id:
            raise ValidationError({"target": _("An organization cannot be related to itself.")})

    @property
    def category(self):
        return self.CATEGORIES.get(self.kind, "associative")


def person_or_none(related_name):
    return models.ForeignKey(
        Person,
        on_delete=models.CASCADE,
        null=True,
        blank=True,
        related_name=related_name,
        verbose_name=_("person"),
    )


def organization_or_none(related_name):
    return models.ForeignKey(
        Organization,
        on_delete=models.CASCADE,
        null=True,
        blank=True,
        related_name=related_name,
        verbose_name=_("organization"),
    )


class AgentLink(Relationship):
    """A relationship whose other end is either a person or an organization."""

    class Meta:
        abstract = True

    @property
    def agent(self):
        return self.person or self.organization

    @property
    def role_note(self):
        """The role as the sources word it, where it says more than the role's name."""
        return beyond(self.get_role_display(), self.role_detail)

    def clean(self):
        super().clean()
        if bool(self.person_id) == bool(self.organization_id):
            raise ValidationError(_("Choose either a person or an organization, not both."))


class CaseParty(AgentLink):
    class Role(models.TextChoices):
        DEFENDANT = "defendant", _("Defendant")
        VICTIM = "victim", _("Victim")
        PETITIONER = "petitioner", _("Petitioner")
        RESPONDENT_STATE = "respondent_state", _("Respondent state")
        PROSECUTOR = "prosecutor", _("Prosecutor")
        CIVIL_PARTY = "civil_party", _("Civil party")
        JUDGE = "judge", _("Judge")
        COUNSEL = "counsel", _("Counsel")
        WITNESS = "witness", _("Witness")
        OTHER = "other", _("Other")

    class Outcome(models.TextChoices):
        CONVICTED = "convicted", _("Convicted")
        ACQUITTED = "acquitted", _("Acquitted")
        CONVICTION_ANNULLED = "conviction_annulled", _("Conviction annulled")
        CHARGES_DISMISSED = "charges_dismissed", _("Charges dismissed")
        HELD_RESPONSIBLE = "held_responsible", _("Held responsible (state)")
        NOT_HELD_RESPONSIBLE = "not_held_responsible", _("Not held responsible (state)")
        CLAIM_UPHELD = "claim_upheld", _("Claim upheld")
        CLAIM_REJECTED = "claim_rejected", _("Claim rejected")
        PENDING = "pending", _("Pending")
        OTHER = "other", _("Other")

    case = models.ForeignKey(
        LegalCase, on_delete=models.CASCADE, related_name="parties", verbose_name=_("case")
    )
    person = person_or_none("case_parties")
    organization = organization_or_none("case_parties")
    role = models.CharField(_("role"), max_length=20, choices=Role)
    role_detail = models.CharField(
        _("role as described"),
        max_length=300,
        blank=True,
        help_text=_("E.g. 'communication submitted by his wife'."),
    )
    outcome = models.CharField(_("outcome"), max_length=25, choices=Outcome, blank=True)
    sentence = models.CharField(_("sentence"), max_length=300, blank=True)
    outcome_detail = models.TextField(
        _("outcome in the court's words"),
        blank=True,
        help_text=_("Charges and findings for this party, as the judgment states them."),
    )

    class Meta:
        ordering = ["case", "role", "pk"]
        verbose_name = _("case party")
        verbose_name_plural = _("case parties")
        indexes = [cites_evidence("case_party_evidence")]
        constraints = [
            models.CheckConstraint(
                condition=exactly_one("person", "organization"), name="case_party_one_agent"
            )
        ]

    def __str__(self):
        return f"{self.agent} – {self.get_role_display()} – {self.case}"


class EventParticipant(AgentLink):
    class Role(models.TextChoices):
        PARTICIPANT = "participant", _("Participant")
        LEADER = "leader", _("Leader or commander")
        ATTRIBUTED = "attributed", _("Responsibility attributed by sources")
        VICTIM = "victim", _("Victim")
        HOSTAGE = "hostage", _("Hostage")
        TARGET = "target", _("Target")
        AUTHORITY = "authority", _("Authority that ordered or conducted it")
        WITNESS = "witness", _("Witness")
        OTHER = "other", _("Other")

    event = models.ForeignKey(
        Event, on_delete=models.CASCADE, related_name="participants", verbose_name=_("event")
    )
    person = person_or_none("event_roles")
    organization = organization_or_none("event_roles")
    role = models.CharField(_("role"), max_length=20, choices=Role, default=Role.PARTICIPANT)
    role_detail = models.CharField(_("role as described"), max_length=300, blank=True)

    class Meta:
        ordering = ["event", "role", "pk"]
        verbose_name = _("event participant")
        verbose_name_plural = _("event participants")
        indexes = [cites_evidence("event_participant_evidence")]
        constraints = [
            models.CheckConstraint(
                condition=exactly_one("person", "organization"),
                name="event_participant_one_agent",
            )
        ]

    def __str__(self):
        return f"{self.agent} – {self.get_role_display()} – {self.event}"
