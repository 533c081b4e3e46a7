"""Authority records (ISAAR(CPF)): persons and organizations, their names and identifiers."""

from django.core.validators import RegexValidator
from django.db import models
from django.utils.translation import gettext_lazy as _
from django_countries.fields import CountryField

from .. import edtf
from .base import EDTFField, Record, record_indexes, record_permissions
from .display import ChoiceLabels
from .languages import Language


class NameForm(ChoiceLabels):
    """Another form of an authority record's name (ISAAR 5.1.3-5.1.5)."""

    class Kind(models.TextChoices):
        ALIAS = "alias", _("Alias")
        NOM_DE_GUERRE = "nom_de_guerre", _("Nom de guerre")
        BIRTH_NAME = "birth_name", _("Birth name")
        FULL_NAME = "full_name", _("Full name")
        ACRONYM = "acronym", _("Acronym")
        TRANSLATION = "translation", _("Translation")
        VARIANT = "variant", _("Variant spelling")
        FORMER_NAME = "former_name", _("Former name")

    name = models.CharField(_("name"), max_length=300)
    kind = models.CharField(_("kind"), max_length=20, choices=Kind, default=Kind.VARIANT)
    language = models.ForeignKey(
        Language,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("language"),
    )
    note = models.CharField(_("note"), max_length=300, blank=True)

    class Meta:
        abstract = True
        ordering = ["kind", "name"]

    def __str__(self):
        return f"{self.name} ({self.get_kind_display()})"


class Identifier(ChoiceLabels):
    """An identifier of the same entity in another system (Wikidata, VIAF, ...)."""

    class Scheme(models.TextChoices):
        WIKIDATA = "wikidata", "Wikidata"
        VIAF = "viaf", "VIAF"
        ISNI = "isni", "ISNI"
        LCNAF = "lcnaf", _("Library of Congress Name Authority File")
        GND = "gnd", "GND"
        OTHER = "other", _("Other")

    PATTERNS = {
        Scheme.WIKIDATA: (r"^Q[1-9][0-9]*$", _("A Wikidata identifier looks like Q123456.")),
        Scheme.VIAF: (r"^[1-9][0-9]*$", _("A VIAF identifier is a number.")),
        Scheme.ISNI: (r"^[0-9]{15}[0-9X]$", _("An ISNI is 16 characters, without spaces.")),
    }
    URLS = {
        Scheme.WIKIDATA: "https://www.wikidata.org/wiki/{}",
        Scheme.VIAF: "https://viaf.org/viaf/{}",
        Scheme.ISNI: "https://isni.org/isni/{}",
        Scheme.LCNAF: "https://id.loc.gov/authorities/names/{}",
        Scheme.GND: "https://d-nb.info/gnd/{}",
    }

    scheme = models.CharField(_("scheme"), max_length=20, choices=Scheme)
    value = models.CharField(_("identifier"), max_length=200)

    class Meta:
        abstract = True
        ordering = ["scheme", "value"]

    def __str__(self):
        return f"{self.get_scheme_display()}: {self.value}"

    def clean(self):
        super().clean()
        self.value = (self.value or "").strip()
        if self.scheme in self.PATTERNS:
            pattern, message = self.PATTERNS[self.scheme]
            RegexValidator(pattern, message)(self.value)

    @property
    def url(self):
        template = self.URLS.get(self.scheme)
        return template.format(self.value) if template else ""


class Person(Record):
    record_type = "person"
    slug = "persons"
    title_field = "authorized_name"
    export_formats = ("eac_cpf", "dc", "jsonld")
    text_fields = ("biography", "functions", "birth_place", "death_place")
    translated_text = "biography"

    authorized_name = models.CharField(
        _("authorized form of name"),
        max_length=300,
        help_text=_("The name by which the person is best known, e.g. Víctor Polay Campos."),
    )
    birth_date = EDTFField(_("date of birth"))
    birth_place = models.CharField(_("place of birth"), max_length=300, blank=True)
    death_date = EDTFField(_("date of death"))
    death_place = models.CharField(_("place of death"), max_length=300, blank=True)
    nationality = CountryField(_("nationality"), multiple=True, blank=True)
    biography = models.TextField(
        _("biography"),
        blank=True,
        help_text=_("Neutral, sourced account of the person's life (ISAAR 5.2.2)."),
    )
    functions = models.TextField(
        _("functions, occupations and activities"),
        blank=True,
        help_text=_("One per line, e.g. 'President of Peru (1990-2000)'."),
    )
    personal_details = models.TextField(
        _("personal details"),
        blank=True,
        help_text=_(
            "Family, health, addresses and other private details. Withheld from the public "
            "whenever the person is protected."
        ),
    )
    protected = models.BooleanField(
        _("protected person"),
        default=False,
        help_text=_(
            "A living victim, witness or person never convicted. The record can be public, "
            "but the date and place of birth and the personal details are withheld from "
            "every public page, search, export and harvest."
        ),
    )

    PROTECTED_FIELDS = ("birth_date", "birth_place", "personal_details")

    class Meta:
        ordering = ["authorized_name"]
        verbose_name = _("person")
        verbose_name_plural = _("persons")
        permissions = record_permissions("person")
        indexes = record_indexes("person")

    def __str__(self):
        return self.authorized_name

    def date_bounds(self):
        # A protected person's birth date must not be found by filtering on dates either.
        born = None if self.protected else edtf.parse(self.birth_date).earliest
        return born, edtf.parse(self.death_date).latest

    @property
    def withheld_fields(self):
        return frozenset(self.PROTECTED_FIELDS if self.protected else ())

    def rule_errors(self):
        born = edtf.parse_or_empty(self.birth_date).earliest
        died = edtf.parse_or_empty(self.death_date).latest
        if born and died and died < born:
            return {"death_date": _("The date of death is before the date of birth.")}
        return {}

    @property
    def dates_of_existence(self):
        if not (self.birth_date or self.death_date):
            return ""
        return f"{self.birth_date or '?'} – {self.death_date}".strip(" –")


class PersonName(NameForm):
    person = models.ForeignKey(Person, on_delete=models.CASCADE, related_name="other_names")

    class Meta(NameForm.Meta):
        verbose_name = _("other form of name")
        verbose_name_plural = _("other forms of name")
        constraints = [
            models.UniqueConstraint(
                fields=["person", "name", "kind"], name="unique_person_name_form"
            )
        ]


class PersonIdentifier(Identifier):
    person = models.ForeignKey(Person, on_delete=models.CASCADE, related_name="identifiers")

    class Meta(Identifier.Meta):
        verbose_name = _("external identifier")
        verbose_name_plural = _("external identifiers")
        constraints = [
            models.UniqueConstraint(
                fields=["person", "scheme", "value"], name="unique_person_identifier"
            )
        ]


class Organization(Record):
    record_type = "organization"
    slug = "organizations"
    title_field = "authorized_name"
    export_formats = ("eac_cpf", "dc", "jsonld")
    name_fields = ("acronym",)
    text_fields = ("history", "functions")
    translated_text = "history"

    class Kind(models.TextChoices):
        ARMED_GROUP = "armed_group", _("Armed group")
        POLITICAL_PARTY = "political_party", _("Political party or movement")
        STATE = "state", _("State")
        GOVERNMENT = "government", _("Government")
        STATE_AGENCY = "state_agency", _("State body or agency")
        ARMED_FORCES = "armed_forces", _("Armed forces or police")
        COURT = "court", _("Court or tribunal")
        INTERNATIONAL_BODY = "international_body", _("International court or body")
        TRUTH_COMMISSION = "truth_commission", _("Truth commission")
        CIVIL_SOCIETY = "civil_society", _("Civil society organization")
        CULTURAL_INSTITUTION = "cultural_institution", _("Cultural or educational institution")
        MEDIA = "media", _("News media or publisher")
        OTHER = "other", _("Other")

    authorized_name = models.CharField(
        _("authorized form of name"),
        max_length=300,
        help_text=_(
            "The name by which the body is best known, e.g. Túpac Amaru Revolutionary "
            "Movement. Acronyms and names in other languages go under other names."
        ),
    )
    acronym = models.CharField(_("acronym"), max_length=50, blank=True)
    kind = models.CharField(_("type"), max_length=30, choices=Kind, default=Kind.OTHER)
    dates = EDTFField(
        _("dates of existence"),
        help_text=_(
            "From foundation to dissolution in EDTF, e.g. 1982-03-01/1997~, or 1969~/.. "
            "for a body that still exists. "
        )
        + edtf.HELP_TEXT,
    )
    country = CountryField(_("country"), blank=True)
    history = models.TextField(
        _("history"),
        blank=True,
        help_text=_("Neutral, sourced account of the body's history (ISAAR 5.2.2)."),
    )
    functions = models.TextField(
        _("functions and activities"),
        blank=True,
        help_text=_("Mandates, functions and activities, one per line."),
    )

    class Meta:
        ordering = ["authorized_name"]
        verbose_name = _("organization")
        verbose_name_plural = _("organizations")
        permissions = record_permissions("organization")
        indexes = record_indexes("organization")

    def __str__(self):
        if self.acronym and self.acronym not in self.authorized_name:
            return f"{self.authorized_name} ({self.acronym})"
        return self.authorized_name


class OrganizationName(NameForm):
    organization = models.ForeignKey(
        Organization, on_delete=models.CASCADE, related_name="other_names"
    )

    class Meta(NameForm.Meta):
        verbose_name = _("other form of name")
        verbose_name_plural = _("other forms of name")
        constraints = [
            models.UniqueConstraint(
                fields=["organization", "name", "kind"], name="unique_organization_name_form"
            )
        ]


class OrganizationIdentifier(Identifier):
    organization = models.ForeignKey(
        Organization, on_delete=models.CASCADE, related_name="identifiers"
    )

    class Meta(Identifier.Meta):
        verbose_name = _("external identifier")
        verbose_name_plural = _("external identifiers")
        constraints = [
            models.UniqueConstraint(
                fields=["organization", "scheme", "value"], name="unique_organization_identifier"
            )
        ]
