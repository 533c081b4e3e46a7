"""Languages: the Language table, the catalogue's own language, and texts that know theirs."""

from dataclasses import dataclass

from django.conf import settings
from django.core.validators import RegexValidator
from django.db import models
from django.utils.translation import get_language, get_language_info
from django.utils.translation import gettext_lazy as _


def language_tag(code):
    """The primary language of a BCP 47 tag, as pages and exports name it: "es-pe" is "es"."""
    return (code or "").split("-")[0].lower()


# A record's own heading and text are written in the catalogue's language; translations give
# them in others.
CATALOGUE_LANGUAGE = language_tag(settings.LANGUAGE_CODE)


@dataclass(frozen=True)
class LocalText:
    """A text with the BCP 47 tag of its language."""

    value: str
    language: str

    def __str__(self):
        return self.value or ""

    def __bool__(self):
        return bool(self.value)

    @property
    def foreign(self):
        """True when the text is not in the reader's language: pages then mark its language."""
        return self.language != language_tag(get_language())


@dataclass(frozen=True)
class Localized:
    title: LocalText
    text: LocalText


class LanguageManager(models.Manager):
    def get_by_natural_key(self, code):
        return self.get(code=code)


class Language(models.Model):
    code = models.CharField(
        _("code"),
        max_length=3,
        unique=True,
        validators=[RegexValidator(r"^[a-z]{3}$", _("Use a three-letter ISO 639-3 code."))],
        help_text=_("ISO 639-3 code, e.g. spa, eng, que."),
    )
    iso639_1 = models.CharField(
        _("two-letter code"),
        max_length=2,
        blank=True,
        validators=[RegexValidator(r"^[a-z]{2}$", _("Use a two-letter ISO 639-1 code."))],
        help_text=_("ISO 639-1 code where one exists, e.g. es, en."),
    )
    name = models.CharField(_("name"), max_length=100)

    objects = LanguageManager()

    class Meta:
        ordering = ["name"]
        verbose_name = _("language")
        verbose_name_plural = _("languages")

    def __str__(self):
        return self.name

    def natural_key(self):
        return (self.code,)

    @property
    def tag(self):
        """Its BCP 47 tag, for `lang` and `xml:lang`: the two-letter code where there is one."""
        return self.iso639_1 or self.code

    @property
    def display_name(self):
        """The name in the reader's language where Django knows it, else as entered."""
        try:
            return get_language_info(self.iso639_1)["name_translated"]
        except KeyError:
            return self.name
