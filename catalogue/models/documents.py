"""Archival descriptions (ISAD(G))."""

from django.core.exceptions import ValidationError
from django.core.validators import RegexValidator
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from ..uploads import validate_upload
from .base import EDTFField, Record, record_indexes, record_permissions
from .languages import Language

# How deep any walk of the archival tree goes: archival trees rarely pass eight levels, and
# each level costs a harvest one more nested subquery. A deeper level (or a cycle the
# database let through) is left out of every public tree.
TREE_DEPTH = 16


class Document(Record):
    record_type = "document"
    slug = "documents"
    title_field = "title"
    export_formats = ("ead3", "dc", "jsonld")
    name_fields = ("reference_code", "creator_name", "publisher")
    text_fields = ("scope_and_content", "archival_history")
    translated_text = "scope_and_content"

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
    # A draft may lack dates and extent (imports from other systems often do); publishing
    # needs them (`missing_for_publication`).
    dates = EDTFField(_("dates"))
    extent_and_medium = models.CharField(
        _("extent and medium"),
        max_length=300,
        blank=True,
        help_text=_(
            "E.g. '1 judgment, 92 pages (PDF)', '3 boxes', '1 web page'. Needed to publish."
        ),
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

    def missing_for_publication(self):
        missing = super().missing_for_publication()
        if not self.dates.strip():
            missing["dates"] = _("Give the dates before publishing this description.")
        if not self.extent_and_medium.strip():
            missing["extent_and_medium"] = _(
                "Give the extent and medium before publishing this description."
            )
        return missing

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
        """From the top of the tree down to this description's parent, public or not."""
        chain, seen, node = [], {self.pk}, self.parent
        while node is not None and node.pk not in seen and len(chain) < TREE_DEPTH:
            chain.append(node)
            seen.add(node.pk)
            node = node.parent
        return chain[::-1]
