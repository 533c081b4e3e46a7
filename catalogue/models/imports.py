"""What imports remember: which catalogue record each identifier of another system became."""

from django.db import models
from django.utils.translation import gettext_lazy as _


class ImportKeyQuerySet(models.QuerySet):
    def lookup(self, source, record_type, legacy_id):
        """The id of the record `legacy_id` of `source` became, or None."""
        return (
            self.filter(source=source, record_type=record_type, legacy_id=str(legacy_id).strip())
            .values_list("object_id", flat=True)
            .first()
        )

    def remember(self, source, record, legacy_id):
        """Note that `legacy_id` of `source` is `record`, so that a second import updates it."""
        legacy_id = str(legacy_id or "").strip()
        if not legacy_id:
            return None
        key, _created = self.update_or_create(
            source=source,
            record_type=key_type(record),
            legacy_id=legacy_id,
            defaults={"object_id": record.pk},
        )
        return key

    def legacy_id_of(self, source, record):
        """The identifier `source` gave `record`, or ""."""
        return (
            self.filter(source=source, record_type=key_type(record), object_id=record.pk)
            .values_list("legacy_id", flat=True)
            .first()
            or ""
        )


class ImportKey(models.Model):
    """One identifier of another system and the record it became here (AtoM calls it a keymap).

    A re-import of the same file then updates the record rather than adding a second one.
    """

    source = models.CharField(
        _("source"),
        max_length=50,
        default="csv",
        help_text=_("The system the identifier comes from, e.g. csv or atom."),
    )
    record_type = models.CharField(
        _("record type"),
        max_length=40,
        help_text=_("What the identifier names: a record type, or a kind of relationship."),
    )
    legacy_id = models.CharField(
        _("identifier in the source"),
        max_length=200,
        help_text=_("The identifier the record had in the file or system it was imported from."),
    )
    object_id = models.BigIntegerField(_("record"))
    created_at = models.DateTimeField(_("first imported"), auto_now_add=True)

    objects = ImportKeyQuerySet.as_manager()

    class Meta:
        ordering = ["source", "record_type", "legacy_id"]
        verbose_name = _("import key")
        verbose_name_plural = _("import keys")
        constraints = [
            models.UniqueConstraint(
                fields=["source", "record_type", "legacy_id"], name="unique_import_key"
            )
        ]
        indexes = [
            models.Index(fields=["record_type", "object_id"], name="import_key_record"),
        ]

    def __str__(self):
        return f"{self.source}:{self.record_type}:{self.legacy_id} → {self.object_id}"


def key_type(record):
    """The name import keys file `record` under: its record type, or its model's name."""
    return getattr(record, "record_type", None) or record._meta.model_name


def remember(source, record, legacy_id):
    return ImportKey.objects.remember(source, record, legacy_id)


def lookup(source, record_type, legacy_id):
    return ImportKey.objects.lookup(source, record_type, legacy_id)
