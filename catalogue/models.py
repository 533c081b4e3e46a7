"""The catalogue's records and the relationships that tie them.

Documents follow ISAD(G) (archival description), persons and organizations ISAAR(CPF)
(authority records). Every record has a publication status and a stable public identifier;
`Record.objects.public()` is the one rule for what the public may see.
"""

import copy
import datetime
import hashlib
import secrets
from functools import reduce
from operator import or_

from django.core.exceptions import ValidationError
from django.core.validators import RegexValidator
from django.db import models
from django.db.models import Q
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import get_language_info
from django.utils.translation import gettext_lazy as _
from django_countries.fields import CountryField

from . import edtf
from .uploads import validate_upload

PUBLIC_ID_ALPHABET = "0123456789abcdefghjkmnpqrstvwxyz"  # Crockford's base 32, lower case


def new_public_id():
    return "".join(secrets.choice(PUBLIC_ID_ALPHABET) for _ in range(10))


def record_indexes(name):
    """Indexes every record type has: the public gate's columns, which a count can read alone."""
    return [models.Index(fields=["status", "access", "embargo_until"], name=f"{name}_public")]


def record_permissions(name):
    """Cataloguers edit drafts; publishing, withdrawing and access need this permission."""
    return [(f"publish_{name}", _("Can publish, withdraw and change access"))]


def cites_evidence(name):
    """A partial index of the relationships that cite a document, for its "evidence for" list.

    Most relationships cite none; a full index would tell the query planner that looking one
    document up returns them all.
    """
    return models.Index(fields=["evidence"], condition=Q(evidence__isnull=False), name=name)


def exactly_one(*fields):
    """A condition true when exactly one of the nullable foreign keys is set."""
    return reduce(
        or_,
        (Q(**{f"{field}__isnull": field != chosen for field in fields}) for chosen in fields),
    )


class EDTFField(models.CharField):
    """An EDTF date string; its model keeps computed bounds beside it."""

    def __init__(self, *args, **kwargs):
        kwargs.setdefault("max_length", 100)
        kwargs.setdefault("blank", True)
        kwargs.setdefault("help_text", edtf.HELP_TEXT)
        kwargs.setdefault("validators", [edtf.validate_edtf])
        super().__init__(*args, **kwargs)


class DateBounds(models.Model):
    """Computed earliest/latest dates, for filters and sorting; never typed by hand."""

    date_earliest = models.DateField(
        _("earliest date"), null=True, blank=True, editable=False, db_index=True
    )
    date_latest = models.DateField(
        _("latest date"), null=True, blank=True, editable=False, db_index=True
    )

    class Meta:
        abstract = True

    def save(self, *args, **kwargs):
        computed = self.computed_dates()
        for field, value in computed.items():
            setattr(self, field, value)
        if update_fields := kwargs.get("update_fields"):
            kwargs["update_fields"] = {*update_fields, *computed}
        super().save(*args, **kwargs)

    def computed_dates(self):
        """{field: value} of every date column computed from EDTF text."""
        earliest, latest = self.date_bounds()
        return {"date_earliest": earliest, "date_latest": latest}

    def date_bounds(self):
        """Return (earliest, latest) from this record's EDTF fields."""
        bounds = edtf.parse(self.dates)
        return bounds.earliest, bounds.latest


def start_of_day(day):
    """The moment a day begins in the site's time zone: when an embargo ending that day lifts."""
    return timezone.make_aware(datetime.datetime.combine(day, datetime.time.min))


class RecordQuerySet(models.QuerySet):
    def public(self):
        """The records the public may see, on every channel: pages, search, API, harvests."""
        return self.filter(self.model.public_q())

    def changed_since(self, moment):
        """Records changed at or after `moment`, or whose embargo has lifted since.

        An embargo lifts with nothing saved, so its end counts as a change: a partner who
        synchronised before that day still learns of the record.
        """
        return self.filter(Q(updated_at__gte=moment) | lifted_between(moment, timezone.now()))

    def changed_until(self, moment):
        """Records whose `last_changed` is at or before `moment`."""
        if moment >= datetime.datetime.max.replace(tzinfo=datetime.UTC):
            return self.filter(updated_at__lte=moment)
        later_lift = lifted_between(moment + datetime.timedelta(microseconds=1), timezone.now())
        return self.filter(Q(updated_at__lte=moment) & ~later_lift)


def lifted_between(start, end):
    """Records whose embargo lifted from `start` to `end`, both included."""
    start, end = timezone.localtime(start), timezone.localtime(end)
    first_day = start.date()
    if start.time() != datetime.time.min:
        if first_day == datetime.date.max:  # the last day there is: no embargo lifts after it
            return Q(pk__in=[])
        first_day += datetime.timedelta(days=1)
    return Q(
        access=Record.Access.EMBARGOED, embargo_until__gte=first_day, embargo_until__lte=end.date()
    )


class Record(DateBounds):
    """What every catalogue record shares: identity, publication status, access, sources."""

    class Status(models.TextChoices):
        DRAFT = "draft", _("Draft")
        PUBLISHED = "published", _("Published")
        WITHDRAWN = "withdrawn", _("Withdrawn")

    class Access(models.TextChoices):
        OPEN = "open", _("Open")
        RESTRICTED = "restricted", _("Restricted: staff only")
        EMBARGOED = "embargoed", _("Embargoed until a date")

    public_id = models.CharField(
        _("public identifier"),
        max_length=20,
        unique=True,
        default=new_public_id,
        editable=False,
        help_text=_("Stable identifier used in public URLs, citations and harvesting."),
    )
    status = models.CharField(
        _("publication status"),
        max_length=20,
        choices=Status,
        default=Status.DRAFT,
        db_index=True,
        help_text=_(
            "Drafts and withdrawn records are never shown to the public. A record needs "
            "sources before it can be published."
        ),
    )
    access = models.CharField(
        _("access"),
        max_length=20,
        choices=Access,
        default=Access.OPEN,
        help_text=_(
            "Who may see the record once it is published. A restricted record is for staff "
            "only; an embargoed one becomes public on its embargo date, with nothing to run."
        ),
    )
    embargo_until = models.DateField(
        _("embargoed until"),
        null=True,
        blank=True,
        help_text=_("The first day the public may see an embargoed record."),
    )
    sources = models.TextField(
        _("sources"),
        blank=True,
        help_text=_("The sources this record is based on, one citation per line."),
    )
    archivist_note = models.TextField(
        _("archivist's note"),
        blank=True,
        help_text=_("Internal: how and why this description was made. Never shown publicly."),
    )
    created_at = models.DateTimeField(_("created"), auto_now_add=True)
    updated_at = models.DateTimeField(_("updated"), auto_now=True, db_index=True)

    objects = RecordQuerySet.as_manager()

    class Meta:
        abstract = True

    def save(self, *args, **kwargs):
        if getattr(self, "is_public_view", False):
            raise TypeError("A public view of a record, with fields withheld, is never saved.")
        super().save(*args, **kwargs)

    def get_absolute_url(self):
        return reverse(f"{self.url_name}_detail", args=[self.public_id])

    @classmethod
    def public_q(cls, prefix=""):
        """The one rule of what the public may see, as a condition on records of this type.

        `.public()` applies it to a queryset; `prefix` applies it across a relation
        ("person__" for a link's person), where a join is cheaper than a subquery.
        """
        published = Q(**{f"{prefix}status": Record.Status.PUBLISHED})
        open_ = Q(**{f"{prefix}access": Record.Access.OPEN})
        embargo_over = Q(
            **{
                f"{prefix}access": Record.Access.EMBARGOED,
                f"{prefix}embargo_until__lte": timezone.localdate(),
            }
        )
        return published & (open_ | embargo_over)

    @property
    def withheld_fields(self):
        """Fields the public never sees on this record, even when it is public."""
        return frozenset()

    def public_view(self):
        """A copy of the record for public channels, with its withheld fields blanked.

        Pages, search entries, citations, JSON-LD and exports read this copy, so a withheld
        field cannot reach them by accident. The copy cannot be saved.
        """
        view = copy.copy(self)
        for name in self.withheld_fields:
            field = self._meta.get_field(name)
            setattr(view, name, None if field.null else field.get_default())
        view.is_public_view = True
        return view

    def clean(self):
        super().clean()
        errors = self.rule_errors()
        if self.status == self.Status.PUBLISHED and not self.sources.strip():
            errors["sources"] = _("Cite at least one source before publishing this record.")
        if self.access == self.Access.EMBARGOED and not self.embargo_until:
            errors["embargo_until"] = _("Give the date the embargo ends.")
        if self.access != self.Access.EMBARGOED and self.embargo_until:
            errors["embargo_until"] = _("Only an embargoed record has an embargo date.")
        if errors:
            raise ValidationError(errors)

    def rule_errors(self):
        """Errors of this record type's own rules, as {field: message}."""
        return {}

    @property
    def is_public(self):
        # Asks the one rule, .public(), rather than repeating it.
        return self.pk is not None and type(self).objects.public().filter(pk=self.pk).exists()

    @property
    def source_list(self):
        return [line.strip() for line in self.sources.splitlines() if line.strip()]

    @property
    def last_changed(self):
        """When the record last changed for the public: its last save, or its embargo's end."""
        if self.access == self.Access.EMBARGOED and self.embargo_until:
            lifted = start_of_day(self.embargo_until)
            if self.updated_at < lifted <= timezone.now():
                return lifted
        return self.updated_at


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
    def display_name(self):
        """The name in the reader's language where Django knows it, else as entered."""
        try:
            return get_language_info(self.iso639_1)["name_translated"]
        except KeyError:
            return self.name


# Authority records (ISAAR(CPF))


class NameForm(models.Model):
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


class Identifier(models.Model):
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
    url_name = "person"

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
    url_name = "organization"

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


# Archival descriptions (ISAD(G))


class Document(Record):
    url_name = "document"

    class Level(models.TextChoices):
        FONDS = "fonds", _("Fonds")
        SUBFONDS = "subfonds", _("Sub-fonds")
        COLLECTION = "collection", _("Collection")
        SERIES = "series", _("Series")
        SUBSERIES = "subseries", _("Sub-series")
        FILE = "file", _("File")
        ITEM = "item", _("Item")

    class Kind(models.TextChoices):
        JUDGMENT = "judgment", _("Judgment or ruling")
        LEGAL_FILING = "legal_filing", _("Legal filing")
        LEGISLATION = "legislation", _("Law or decree")
        REPORT = "report", _("Report")
        STATEMENT = "statement", _("Statement")
        TESTIMONY = "testimony", _("Testimony")
        NEWS_ARTICLE = "news_article", _("News article")
        LETTER = "letter", _("Letter")
        PHOTOGRAPH = "photograph", _("Photograph")
        AUDIOVISUAL = "audiovisual", _("Audio or video recording")
        BOOK = "book", _("Book")
        WEB_PAGE = "web_page", _("Web page")
        ARCHIVAL_GROUP = "archival_group", _("Group of records")
        OTHER = "other", _("Other")

    reference_code = models.CharField(
        _("reference code"),
        max_length=100,
        validators=[
            RegexValidator(
                r"^[A-Za-z0-9][A-Za-z0-9._/-]*$",
                _("Use letters, digits and . _ / - only, e.g. PE-MEM-MRTA-0001."),
            )
        ],
        help_text=_("Unique and stable (ISAD 3.1.1), e.g. PE-MEM-MRTA-0001."),
    )
    title = models.CharField(_("title"), max_length=500)
    level = models.CharField(
        _("level of description"), max_length=20, choices=Level, default=Level.ITEM
    )
    parent = models.ForeignKey(
        "self",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="children",
        verbose_name=_("part of"),
        help_text=_("The fonds, series or file this description belongs to."),
    )
    dates = EDTFField(_("dates"), blank=False)
    extent_and_medium = models.CharField(
        _("extent and medium"),
        max_length=300,
        help_text=_("E.g. '1 judgment, 92 pages (PDF)', '3 boxes', '1 web page'."),
    )
    creator_name = models.CharField(
        _("name of creator(s)"),
        max_length=300,
        blank=True,
        help_text=_(
            "As given on the material, e.g. 'BBC News'. Creators with an authority "
            "record are also linked below with the role 'creator'."
        ),
    )
    publisher = models.CharField(_("publisher"), max_length=300, blank=True)
    archival_history = models.TextField(_("archival history"), blank=True)
    kind = models.CharField(_("document type"), max_length=20, choices=Kind)
    scope_and_content = models.TextField(
        _("scope and content"),
        blank=True,
        help_text=_("What the material is about and contains, in neutral words (ISAD 3.3.1)."),
    )
    languages = models.ManyToManyField(
        Language, blank=True, related_name="documents", verbose_name=_("languages")
    )
    conditions_of_access = models.TextField(_("conditions governing access"), blank=True)
    conditions_of_reproduction = models.TextField(
        _("conditions governing reproduction"), blank=True
    )
    location_of_originals = models.TextField(_("existence and location of originals"), blank=True)
    url = models.URLField(
        _("URL"), max_length=1000, blank=True, help_text=_("Where the original can be read.")
    )
    file = models.FileField(
        _("attached file"),
        upload_to="documents/%Y/%m/",
        blank=True,
        validators=[validate_upload],
        help_text=_("A digital copy. Served only to those allowed to see this record."),
    )

    class Meta:
        ordering = ["reference_code"]
        verbose_name = _("document")
        verbose_name_plural = _("documents")
        permissions = record_permissions("document")
        indexes = [
            # Browse counts and facets read this index alone, never the wide rows.
            *record_indexes("document"),
            models.Index(
                fields=[
                    *("status", "kind", "level", "date_earliest", "date_latest"),
                    *("access", "embargo_until"),
                ],
                name="document_browse",
            ),
            models.Index(fields=["status", "date_earliest"], name="document_by_date"),
            # A document's parts and siblings, in the tree's order.
            models.Index(fields=["parent", "reference_code"], name="document_tree"),
        ]
        constraints = [
            models.UniqueConstraint(fields=["reference_code"], name="unique_reference_code"),
            models.CheckConstraint(
                condition=~Q(parent=models.F("pk")), name="document_not_own_parent"
            ),
        ]

    def __str__(self):
        return f"{self.reference_code} {self.title}"

    def clean(self):
        super().clean()
        self.reference_code = (self.reference_code or "").strip()
        if self.parent_id and self.pk and self.pk in {self.parent_id, *self._ancestor_ids()}:
            raise ValidationError(
                {"parent": _("A description cannot be part of itself or its own parts.")}
            )

    def _ancestor_ids(self):
        """Ids above the chosen parent, read from the database, stopping at any cycle."""
        ids, node_id = set(), self.parent_id
        while node_id and node_id not in ids:
            ids.add(node_id)
            node_id = (
                Document.objects.filter(pk=node_id).values_list("parent_id", flat=True).first()
            )
        return ids

    def ancestors(self):
        """From the top of the tree down to this description's parent."""
        chain, seen, node = [], {self.pk}, self.parent
        while node is not None and node.pk not in seen:  # a cycle never hangs a page
            chain.append(node)
            seen.add(node.pk)
            node = node.parent
        return chain[::-1]


# Legal cases and events


class Event(Record):
    url_name = "event"

    class Kind(models.TextChoices):
        ARMED_ACTION = "armed_action", _("Armed action or attack")
        HOSTAGE_TAKING = "hostage_taking", _("Hostage-taking or kidnapping")
        MILITARY_OPERATION = "military_operation", _("Military or police operation")
        ARREST = "arrest", _("Arrest or capture")
        ESCAPE = "escape", _("Escape")
        KILLING = "killing", _("Killing or massacre")
        FOUNDING = "founding", _("Founding or dissolution")
        POLITICAL = "political", _("Political event")
        PUBLICATION = "publication", _("Report or publication")
        OTHER = "other", _("Other")

    name = models.CharField(_("name"), max_length=300)
    kind = models.CharField(_("type"), max_length=30, choices=Kind, default=Kind.OTHER)
    dates = EDTFField(_("dates"), blank=False)
    place = models.CharField(_("place"), max_length=300, blank=True)
    description = models.TextField(_("description"), blank=True)

    class Meta:
        ordering = ["date_earliest", "name"]
        verbose_name = _("event")
        verbose_name_plural = _("events")
        permissions = record_permissions("event")
        indexes = record_indexes("event")

    def __str__(self):
        return f"{self.name} ({self.dates})" if self.dates else self.name


class LegalCase(Record):
    url_name = "case"

    class Jurisdiction(models.TextChoices):
        NATIONAL = "national", _("National")
        MILITARY = "military", _("Military")
        INTERNATIONAL = "international", _("International")

    class Kind(models.TextChoices):
        CRIMINAL = "criminal", _("Criminal trial")
        CONSTITUTIONAL = "constitutional", _("Constitutional review")
        HUMAN_RIGHTS = "human_rights", _("Human rights petition or case")
        CIVIL = "civil", _("Civil or administrative")
        EXTRADITION = "extradition", _("Extradition")
        OTHER = "other", _("Other")

    class CaseStatus(models.TextChoices):
        PENDING = "pending", _("Pending")
        DECIDED = "decided", _("Decided")
        ON_APPEAL = "on_appeal", _("Under appeal")
        ANNULLED = "annulled", _("Annulled")
        CLOSED = "closed", _("Closed")

    title = models.CharField(_("title"), max_length=500)
    case_number = models.CharField(
        _("docket or case numbers"),
        max_length=300,
        blank=True,
        help_text=_(
            "Separate several numbers with semicolons, e.g. 'Petition 11.319; Series C No. 52'."
        ),
    )
    court = models.ForeignKey(
        Organization,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="cases_heard",
        verbose_name=_("court"),
        help_text=_("The court's authority record."),
    )
    court_detail = models.CharField(
        _("court as named in the record"),
        max_length=500,
        blank=True,
        help_text=_("Chamber, seat or presiding judge, as the sources name them."),
    )
    jurisdiction = models.CharField(_("jurisdiction"), max_length=20, choices=Jurisdiction)
    kind = models.CharField(_("case type"), max_length=20, choices=Kind)
    date_filed = EDTFField(_("date filed"))
    date_decided = EDTFField(_("date decided"))
    case_status = models.CharField(
        _("case status"), max_length=20, choices=CaseStatus, default=CaseStatus.PENDING
    )
    summary = models.TextField(_("summary"), blank=True)
    outcome = models.TextField(
        _("outcome"),
        blank=True,
        help_text=_(
            "What the court decided, in the court's terms. Say 'convicted' only where "
            "a court convicted."
        ),
    )
    events = models.ManyToManyField(
        Event, blank=True, related_name="legal_cases", verbose_name=_("events")
    )
    decided_earliest = models.DateField(null=True, blank=True, editable=False, db_index=True)
    decided_latest = models.DateField(null=True, blank=True, editable=False, db_index=True)

    class Meta:
        ordering = ["date_earliest", "title"]
        verbose_name = _("legal case")
        verbose_name_plural = _("legal cases")
        permissions = record_permissions("legalcase")
        indexes = record_indexes("legalcase")

    def __str__(self):
        return self.title

    def date_bounds(self):
        filed, decided = edtf.parse(self.date_filed), edtf.parse(self.date_decided)
        return filed.earliest or decided.earliest, decided.latest or filed.latest

    def computed_dates(self):
        decided = edtf.parse(self.date_decided)
        return super().computed_dates() | {
            "decided_earliest": decided.earliest,
            "decided_latest": decided.latest,
        }

    def rule_errors(self):
        filed = edtf.parse_or_empty(self.date_filed).earliest
        decided = edtf.parse_or_empty(self.date_decided).latest
        if filed and decided and decided < filed:
            return {"date_decided": _("The case is decided before it was filed.")}
        decided_states = {self.CaseStatus.DECIDED, self.CaseStatus.ANNULLED}
        if self.case_status in decided_states and not self.date_decided:
            return {"date_decided": _("Give the decision date of a decided case.")}
        return {}


# Relationships


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


class CaseLink(models.Model):
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


DOCUMENT_LINK_TARGETS = ("person", "organization", "legal_case", "event")


class DocumentLink(models.Model):
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


class SearchEntry(models.Model):
    """One record's searchable text, weighted by where it comes from.

    The database's own full-text index sits beside this table (FTS5 on SQLite, a tsvector on
    PostgreSQL; see migration 0003). Which entries a visitor may see is never decided here:
    searches join back to each record type's `.public()`.
    """

    kind = models.CharField(max_length=20)
    object_id = models.BigIntegerField()
    title = models.TextField(help_text="Name or title: ranks highest.")
    names = models.TextField(blank=True, help_text="Other names, acronyms, codes.")
    body = models.TextField(blank=True, help_text="Descriptions.")
    date_earliest = models.DateField(null=True, blank=True)
    sort_title = models.CharField(max_length=300, blank=True)

    class Meta:
        ordering = ["kind", "object_id"]
        verbose_name = _("search entry")
        verbose_name_plural = _("search entries")
        constraints = [
            models.UniqueConstraint(fields=["kind", "object_id"], name="unique_search_entry")
        ]

    def __str__(self):
        return f"{self.kind} {self.object_id}: {self.title[:60]}"


class TombstoneQuerySet(models.QuerySet):
    def current(self):
        """Tombstones of records that are still not public: a record published again is back."""
        gone = Q()
        for model in RECORD_MODELS:
            public = model.objects.public().values("public_id")
            gone |= Q(kind=model.url_name) & ~Q(public_id__in=public)
        return self.filter(gone)


class Tombstone(models.Model):
    """A record that was public and no longer is: withdrawn, unpublished, hidden or deleted.

    Partners' mirrors and harvesters learn from these what to remove. Only records the public
    once saw get one, so a tombstone never reveals a draft.
    """

    class Kind(models.TextChoices):
        DOCUMENT = "document", _("document")
        PERSON = "person", _("person")
        ORGANIZATION = "organization", _("organization")
        CASE = "case", _("legal case")
        EVENT = "event", _("event")

    kind = models.CharField(_("record type"), max_length=20, choices=Kind)
    public_id = models.CharField(_("public identifier"), max_length=20)
    removed_at = models.DateTimeField(_("removed from public view"), db_index=True)
    collection = models.CharField(
        _("collection"),
        max_length=20,
        blank=True,
        db_index=True,
        help_text=_(
            "For a document: the public identifier of the top-level document (fonds or "
            "collection) whose public tree it was part of when it was removed. Empty for a "
            "top-level document, and for one below a level the public could not see."
        ),
    )

    objects = TombstoneQuerySet.as_manager()

    class Meta:
        ordering = ["removed_at", "pk"]
        verbose_name = _("tombstone")
        verbose_name_plural = _("tombstones")
        constraints = [
            models.UniqueConstraint(fields=["kind", "public_id"], name="unique_tombstone")
        ]

    def __str__(self):
        return f"{self.kind} {self.public_id}"


RECORD_MODELS = (Document, Person, Organization, LegalCase, Event)


# Partner access to the API


def new_key_prefix():
    return secrets.token_hex(4)


class ApiKeyQuerySet(models.QuerySet):
    def active(self):
        return self.filter(revoked_at__isnull=True)


class ApiKey(models.Model):
    """A partner institution's key to the API: a higher rate limit, and usage on record.

    Only a hash of the secret is kept; the key is shown once, when it is issued.
    """

    institution = models.CharField(
        _("institution"), max_length=200, help_text=_("Who the key is for, as partners know it.")
    )
    contact_name = models.CharField(_("contact person"), max_length=200, blank=True)
    contact_email = models.EmailField(
        _("contact email"), help_text=_("Whom to tell about changes to the API or misuse.")
    )
    note = models.TextField(_("note"), blank=True, help_text=_("Internal: what the key is for."))
    rate_per_hour = models.PositiveIntegerField(
        _("requests per hour"),
        default=10_000,
        help_text=_("How many requests an hour this key may make before it is told to wait."),
    )
    prefix = models.CharField(
        _("key prefix"),
        max_length=8,
        unique=True,
        default=new_key_prefix,
        editable=False,
        help_text=_("The start of the key, shown so partners can tell their keys apart."),
    )
    secret_hash = models.CharField(max_length=64, editable=False)
    created_at = models.DateTimeField(_("issued"), auto_now_add=True)
    revoked_at = models.DateTimeField(
        _("revoked"),
        null=True,
        blank=True,
        help_text=_("A revoked key is refused from that moment on."),
    )
    last_used_at = models.DateTimeField(_("last used"), null=True, blank=True, editable=False)

    objects = ApiKeyQuerySet.as_manager()

    class Meta:
        ordering = ["institution", "pk"]
        verbose_name = _("API key")
        verbose_name_plural = _("API keys")

    def __str__(self):
        return f"{self.institution} ({self.prefix}…)"

    @staticmethod
    def hash(secret):
        # Keys are long random strings, so a fast hash is as safe as a slow one and keeps
        # every API request cheap.
        return hashlib.sha256(secret.encode()).hexdigest()

    def issue(self):
        """Give the key a new secret and return the full key, which is never stored."""
        secret = secrets.token_urlsafe(32)
        self.secret_hash = self.hash(secret)
        return f"mem_{self.prefix}_{secret}"

    @property
    def is_active(self):
        return self.revoked_at is None


class ApiKeyUsage(models.Model):
    """Requests made with a key, per day."""

    key = models.ForeignKey(ApiKey, on_delete=models.CASCADE, related_name="usage")
    day = models.DateField(_("day"))
    requests = models.PositiveIntegerField(_("requests"), default=0)

    class Meta:
        ordering = ["-day"]
        verbose_name = _("API usage")
        verbose_name_plural = _("API usage")
        constraints = [models.UniqueConstraint(fields=["key", "day"], name="unique_key_day")]

    def __str__(self):
        return f"{self.key} {self.day}: {self.requests}"
