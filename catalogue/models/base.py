"""What every record shares: identity, publication status, access, computed dates."""

import copy
import datetime
import secrets
from collections import Counter
from functools import reduce
from operator import or_

from django.core.exceptions import ValidationError
from django.db import models, transaction
from django.db.models import Count, Prefetch, Q
from django.db.models.functions import Cast, Coalesce, ExtractYear
from django.utils import timezone
from django.utils.translation import get_language
from django.utils.translation import gettext_lazy as _

from .. import edtf
from .display import ChoiceLabels, detail_path
from .languages import CATALOGUE_LANGUAGE, Localized, LocalText, language_tag

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


class DateBounds(ChoiceLabels):
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


# What a write may change without changing any computed column.
PUBLICATION_FIELDS = {"status", "access", "embargo_until", "updated_at"}


class RecordQuerySet(models.QuerySet):
    def public(self):
        """The records the public may see, on every channel: pages, search, API, harvests."""
        return self.filter(self.model.public_q())

    def per_decade(self):
        """[(first year of a decade, records that begin in it)], oldest first; undated ones
        are left out."""
        # As a whole number: PostgreSQL's EXTRACT gives a decimal, which divides exactly.
        decade = Cast(ExtractYear("date_earliest"), models.IntegerField()) / 10 * 10
        return list(
            self.exclude(date_earliest=None)
            .order_by()
            .annotate(decade=decade)
            .values_list("decade")
            .annotate(n=Count("pk"))
            .order_by("decade")
        )

    def per_year(self):
        """({year: records that begin in it}, {year: records that end in it}) in one query,
        as the date filters read dates: an open start begins at the latest day, an open end
        ends in no year. Undated records are left out. From these `timeline.overlapping`
        counts the records of any span of years."""
        start = ExtractYear(Coalesce("date_earliest", "date_latest"))
        rows = (
            self.exclude(date_earliest=None, date_latest=None)
            .order_by()
            .annotate(start_year=start, end_year=ExtractYear("date_latest"))
            .values_list("start_year", "end_year")
            .annotate(n=Count("pk"))
        )
        starts, ends = Counter(), Counter()
        for start_year, end_year, n in rows:
            starts[int(start_year)] += n
            if end_year is not None:
                ends[int(end_year)] += n
        return starts, ends

    def update(self, **values):
        """Update these records as saving each would: dates computed again where their
        sources changed, the change dated (unless `updated_at` is given) and noted (change
        log, tombstones)."""
        from ..changes import note

        values.setdefault("updated_at", timezone.now())
        with transaction.atomic(using=self.db):
            pks = list(self.values_list("pk", flat=True))
            count = super().update(**values)
            if set(values) - PUBLICATION_FIELDS:
                for start in range(0, len(pks), 5000):
                    part = pks[start : start + 5000]
                    self.model.objects.filter(pk__in=part).refresh_computed()
            note(self.model, pks)
        return count

    def refresh_computed(self):
        """Compute again the date columns of these records (`computed_dates`) where they
        differ, for writes that go around `save()`."""
        stale = {}
        for record in self.iterator(chunk_size=2000):
            for field, value in record.computed_dates().items():
                if getattr(record, field) != value:
                    setattr(record, field, value)
                    stale[record.pk] = record
        if stale:
            fields = list(self.model().computed_dates())
            self.model._base_manager.bulk_update(list(stale.values()), fields, batch_size=1000)

    update.alters_data = True

    def bulk_update(self, objs, fields, batch_size=None):
        from ..changes import note

        with transaction.atomic(using=self.db):
            count = super().bulk_update(objs, fields, batch_size=batch_size)
            note(self.model, [obj.pk for obj in objs])
        return count

    bulk_update.alters_data = True

    def bulk_create(self, objs, *args, **kwargs):
        from ..changes import note

        with transaction.atomic(using=self.db):
            created = super().bulk_create(objs, *args, **kwargs)
            note(self.model, [obj.pk for obj in created])
        return created

    bulk_create.alters_data = True

    def with_translations(self):
        """With each record's translations read at once, for lists that show them."""
        return self.prefetch_related(translations_of(self.model))

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


def translations_of(model):
    """The translations of records of `model`, with their languages, as one prefetch."""
    rows = model._meta.get_field("translations").related_model
    return Prefetch("translations", queryset=rows.objects.select_related("language"))


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

    # Each record type says, once, how every channel names and shows it (see `registry`):
    record_type = None  # its name in URL names, the API's `type`, OAI-PMH sets, tombstones
    slug = None  # the path of its pages and API endpoints, e.g. "documents"
    title_field = None  # the field that names a record: its heading everywhere
    export_formats = ()  # keys of `exports.FORMATS` it is available in
    # What search indexes besides the heading: other names and codes (ranked above the
    # body), and the descriptive text that snippets are cut from. `other_names` rows, where a
    # type has them, count as names too.
    name_fields = ()
    text_fields = ()
    # The main descriptive text, which translations (`translations`, see `translations.py`)
    # give in other languages beside the heading.
    translated_text = None

    class Meta:
        abstract = True

    def save(self, *args, **kwargs):
        if getattr(self, "is_public_view", False):
            raise TypeError("A public view of a record, with fields withheld, is never saved.")
        # The change log and what partners are told, in the same transaction, whatever path
        # saves: a record saved from the shell or a script is found, hidden and tombstoned like
        # one from the admin. Deletes, and saves that go around save(), are noted by
        # `search.tracking`; bulk writes by the queryset.
        with transaction.atomic(using=kwargs.get("using")):
            super().save(*args, **kwargs)
            self.note_change()

    def get_absolute_url(self):
        return detail_path(self.record_type, self.public_id)

    def note_change(self, collection=None):
        """Log the change for search, and tombstone or announce the record as it now stands
        (see `announcing`). `collection` places a deleted document's tombstone in its tree."""
        from ..changes import note

        note(type(self), [self.pk], {self.pk: collection} if collection else None)

    @property
    def heading(self):
        """What names the record: a title, an authorized name or an event's name."""
        return getattr(self, self.title_field)

    @property
    def text(self):
        """The main descriptive text: a scope and content, a biography, a history..."""
        return getattr(self, self.translated_text)

    def localized(self, language=None):
        """The heading and main text in `language` (the reader's, by default) where the record
        has them in it, else as catalogued; each knows its language.

        Reads `translations`, which lists and pages prefetch.
        """
        tag = language_tag(language or get_language())
        original = CATALOGUE_LANGUAGE
        found = next((t for t in self.translations.all() if t.language.tag == tag), None)
        if found is None or tag == original:
            return Localized(LocalText(self.heading, original), LocalText(self.text, original))
        return Localized(
            LocalText(found.title, tag) if found.title else LocalText(self.heading, original),
            LocalText(found.text, tag) if found.text else LocalText(self.text, original),
        )

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
        if self.status == self.Status.PUBLISHED:
            errors |= self.missing_for_publication()
        if self.access == self.Access.EMBARGOED and not self.embargo_until:
            errors["embargo_until"] = _("Give the date the embargo ends.")
        if self.access != self.Access.EMBARGOED and self.embargo_until:
            errors["embargo_until"] = _("Only an embargoed record has an embargo date.")
        if errors:
            raise ValidationError(errors)

    def rule_errors(self):
        """Errors of this record type's own rules, as {field: message}."""
        return {}

    def missing_for_publication(self):
        """What a draft may lack but a published record must have, as {field: message}."""
        if not self.sources.strip():
            return {"sources": _("Cite at least one source before publishing this record.")}
        return {}

    @property
    def publication_gaps(self):
        """The names of the fields missing for publication, as an archivist reads them."""
        return [
            str(self._meta.get_field(name).verbose_name) for name in self.missing_for_publication()
        ]

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
