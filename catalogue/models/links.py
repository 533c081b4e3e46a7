"""Undated links: a document to what it is by, about or mentions; a case to another case."""

from django.core.exceptions import ValidationError
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from .base import exactly_one
from .cases import Event, LegalCase
from .display import ChoiceLabels
from .documents import Document
from .relationships import organization_or_none, person_or_none


class CaseLink(ChoiceLabels):
    class Kind(models.TextChoices):
        APPEAL_OF = "appeal_of", _("is an appeal of")
        RETRIAL_OF = "retrial_of", _("is a retrial of")
        REVIEW_OF = "review_of", _("reviews")
        FOLLOWS_FROM = "follows_from", _("follows from")
        RELATED = "related", _("is related to")

    from_case = models.ForeignKey(
        LegalCase, on_delete=models.CASCADE, related_name="links_out", verbose_name=_("case")
    )
    kind = models.CharField(_("link"), max_length=20, choices=Kind)
    to_case = models.ForeignKey(
        LegalCase,
        on_delete=models.CASCADE,
        related_name="links_in",
        verbose_name=_("linked case"),
    )
    note = models.CharField(_("note"), max_length=300, blank=True)

    class Meta:
        ordering = ["from_case", "kind", "pk"]
        verbose_name = _("link between cases")
        verbose_name_plural = _("links between cases")
        constraints = [
            models.UniqueConstraint(
                fields=["from_case", "kind", "to_case"], name="unique_case_link"
            ),
            models.CheckConstraint(
                condition=~Q(from_case=models.F("to_case")), name="case_link_not_self"
            ),
        ]

    def __str__(self):
        return f"{self.from_case} {self.get_kind_display()} {self.to_case}"

    def clean(self):
        super().clean()
        if self.from_case_id and self.from_case_id == self.to_case_id:
            raise ValidationError({"to_case": _("A case cannot be linked to itself.")})


DOCUMENT_LINK_TARGETS = ("person", "organization", "legal_case", "event")


class DocumentLink(ChoiceLabels):
    """What a document is by, about or mentions: a person, organization, case or event."""

    TARGETS = DOCUMENT_LINK_TARGETS

    class Role(models.TextChoices):
        CREATOR = "creator", _("Creator")
        SUBJECT = "subject", _("Subject")
        MENTIONED = "mentioned", _("Mentioned")
        CASE_RECORD = "case_record", _("Part of the case record")

    document = models.ForeignKey(
        Document, on_delete=models.CASCADE, related_name="links", verbose_name=_("document")
    )
    role = models.CharField(_("role"), max_length=20, choices=Role, default=Role.SUBJECT)
    person = person_or_none("document_links")
    organization = organization_or_none("document_links")
    legal_case = models.ForeignKey(
        LegalCase,
        on_delete=models.CASCADE,
        null=True,
        blank=True,
        related_name="document_links",
        verbose_name=_("legal case"),
    )
    event = models.ForeignKey(
        Event,
        on_delete=models.CASCADE,
        null=True,
        blank=True,
        related_name="document_links",
        verbose_name=_("event"),
    )
    note = models.CharField(_("note"), max_length=300, blank=True)

    class Meta:
        ordering = ["document", "role", "pk"]
        verbose_name = _("document link")
        verbose_name_plural = _("document links")
        constraints = [
            models.CheckConstraint(
                condition=exactly_one(*DOCUMENT_LINK_TARGETS), name="document_link_one_target"
            ),
            *(
                models.UniqueConstraint(
                    fields=["document", target, "role"],
                    condition=Q(**{f"{target}__isnull": False}),
                    name=f"unique_document_{target}_role",
                )
                for target in DOCUMENT_LINK_TARGETS
            ),
        ]

    def __str__(self):
        return f"{self.document.reference_code} – {self.get_role_display()} – {self.target}"

    @property
    def target(self):
        return self.person or self.organization or self.legal_case or self.event

    def clean(self):
        super().clean()
        if sum(bool(getattr(self, f"{target}_id")) for target in self.TARGETS) != 1:
            raise ValidationError(
                _("Link the document to exactly one person, organization, case or event.")
            )
