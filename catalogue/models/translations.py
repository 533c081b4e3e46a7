"""A record's heading and main text in other languages than the catalogue's own.

Each record type has its own table, tied to its record, so a translation goes wherever its
record goes: through `.public()` to the public, or nowhere.
"""

from django.core.exceptions import ValidationError
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from .authorities import Organization, Person
from .cases import Event, LegalCase
from .documents import Document
from .languages import CATALOGUE_LANGUAGE, Language


class Translation(models.Model):
    language = models.ForeignKey(
        Language, on_delete=models.PROTECT, related_name="+", verbose_name=_("language")
    )
    title = models.CharField(
        _("title or name"),
        max_length=500,
        blank=True,
        help_text=_(
            "The record's title or name in this language. Leave blank where it stays as "
            "catalogued, e.g. a person's name."
        ),
    )
    text = models.TextField(
        _("text"),
        blank=True,
        help_text=_(
            "The record's scope and content, biography, history, summary or description in "
            "this language, saying no more and no less than the original."
        ),
    )

    class Meta:
        abstract = True
        ordering = ["language__code"]
        verbose_name = _("translation")
        verbose_name_plural = _("translations")

    def __str__(self):
        return f"{self.record} ({self.language})"

    def clean(self):
        super().clean()
        if not (self.title.strip() or self.text.strip()):
            raise ValidationError(_("Give the title, the text or both in this language."))
        if self.language_id and self.language.tag == CATALOGUE_LANGUAGE:
            raise ValidationError(
                {"language": _("The record itself is in this language: edit it there.")}
            )


def translation_constraints(name):
    return [
        models.UniqueConstraint(fields=["record", "language"], name=f"unique_{name}_translation"),
        models.CheckConstraint(
            condition=~Q(title="") | ~Q(text=""), name=f"{name}_translation_not_empty"
        ),
    ]


class DocumentTranslation(Translation):
    record = models.ForeignKey(
        Document, on_delete=models.CASCADE, related_name="translations", verbose_name=_("document")
    )

    class Meta(Translation.Meta):
        constraints = translation_constraints("document")


class PersonTranslation(Translation):
    record = models.ForeignKey(
        Person, on_delete=models.CASCADE, related_name="translations", verbose_name=_("person")
    )

    class Meta(Translation.Meta):
        constraints = translation_constraints("person")


class OrganizationTranslation(Translation):
    record = models.ForeignKey(
        Organization,
        on_delete=models.CASCADE,
        related_name="translations",
        verbose_name=_("organization"),
    )

    class Meta(Translation.Meta):
        constraints = translation_constraints("organization")


class LegalCaseTranslation(Translation):
    record = models.ForeignKey(
        LegalCase, on_delete=models.CASCADE, related_name="translations", verbose_name=_("case")
    )

    class Meta(Translation.Meta):
        constraints = translation_constraints("legalcase")


class EventTranslation(Translation):
    record = models.ForeignKey(
        Event, on_delete=models.CASCADE, related_name="translations", verbose_name=_("event")
    )

    class Meta(Translation.Meta):
        constraints = translation_constraints("event")
