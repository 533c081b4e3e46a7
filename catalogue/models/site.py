"""What the archive says about itself, in the words its archivists choose."""

from django.conf import settings
from django.db import models
from django.utils.translation import get_language
from django.utils.translation import gettext_lazy as _


class AboutTextQuerySet(models.QuerySet):
    def for_reader(self):
        """The text in the reader's language, else in the site's own language, else None."""
        texts = {text.language: text for text in self.filter(published=True)}
        language = (get_language() or settings.LANGUAGE_CODE).split("-")[0]
        return texts.get(language) or texts.get(settings.LANGUAGE_CODE.split("-")[0])


class AboutText(models.Model):
    """The archive's About page, one text per language of the site."""

    language = models.CharField(
        _("language"),
        max_length=10,
        choices=settings.LANGUAGES,
        unique=True,
        help_text=_("Readers see the text in their language, or else in the site's language."),
    )
    title = models.CharField(_("title"), max_length=200, help_text=_("E.g. 'About the archive'."))
    summary = models.TextField(
        _("summary"),
        blank=True,
        help_text=_("One or two sentences shown on the home page."),
    )
    body = models.TextField(
        _("text"),
        help_text=_(
            "Who keeps the archive, what it holds and why, how to visit or ask for access. "
            "Separate paragraphs with a blank line."
        ),
    )
    published = models.BooleanField(
        _("published"), default=True, help_text=_("Unpublished texts are never shown.")
    )
    updated_at = models.DateTimeField(_("updated"), auto_now=True)

    objects = AboutTextQuerySet.as_manager()

    class Meta:
        ordering = ["language"]
        verbose_name = _("About page text")
        verbose_name_plural = _("About page texts")

    def __str__(self):
        return f"{self.title} ({self.get_language_display()})"
