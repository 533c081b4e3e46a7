"""Legal cases and the events they concern."""

from django.db import models
from django.utils.translation import gettext_lazy as _

from .. import edtf
from .authorities import Organization
from .base import EDTFField, Record, record_indexes, record_permissions


class Event(Record):
    record_type = "event"
    slug = "events"
    title_field = "name"
    export_formats = ("dc", "jsonld")
    name_fields = ("place",)
    text_fields = ("description",)
    translated_text = "description"

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
    record_type = "case"
    slug = "cases"
    title_field = "title"
    export_formats = ("dc", "jsonld")
    name_fields = ("case_number", "court_detail")
    text_fields = ("summary", "outcome")
    translated_text = "summary"

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
