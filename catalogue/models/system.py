"""What the catalogue keeps beside its records: search entries, tombstones, API keys."""

import hashlib
import secrets

from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from .registry import RECORD_MODELS, RECORD_TYPE_CHOICES


class SearchEntry(models.Model):
    """One record's searchable text, weighted by where it comes from.

    The database's own full-text index sits beside this table (FTS5 on SQLite, a tsvector on
    PostgreSQL; see migration 0003). Which entries a visitor may see is never decided here:
    searches join back to each record type's `.public()`.
    """

    # The column keeps its first name: renaming it would rebuild the table on SQLite and
    # drop the full-text index's triggers.
    record_type = models.CharField(max_length=20, db_column="kind")
    object_id = models.BigIntegerField()
    title = models.TextField(help_text="Name or title: ranks highest.")
    names = models.TextField(blank=True, help_text="Other names, acronyms, codes.")
    body = models.TextField(blank=True, help_text="Descriptions.")
    date_earliest = models.DateField(null=True, blank=True)
    sort_title = models.CharField(max_length=300, blank=True)

    class Meta:
        ordering = ["record_type", "object_id"]
        verbose_name = _("search entry")
        verbose_name_plural = _("search entries")
        constraints = [
            models.UniqueConstraint(fields=["record_type", "object_id"], name="unique_search_entry")
        ]

    def __str__(self):
        return f"{self.record_type} {self.object_id}: {self.title[:60]}"


class SearchChangeQuerySet(models.QuerySet):
    def latest_id(self):
        """The highest id in the log, 0 when it is empty: the state of the catalogue."""
        return self.aggregate(latest=models.Max("id"))["latest"] or 0


class SearchChange(models.Model):
    """A record whose search entry or visibility changed: the search engine's change log.

    Written in the same transaction as the change, so an engine that reads the log applies
    every committed change and none that was rolled back. Each web machine's index remembers
    the highest id it has applied and catches up before it answers a search.
    """

    id = models.BigAutoField(primary_key=True)
    record_type = models.CharField(max_length=20)
    object_id = models.BigIntegerField()
    created_at = models.DateTimeField(auto_now_add=True)

    objects = SearchChangeQuerySet.as_manager()

    class Meta:
        ordering = ["id"]
        verbose_name = _("search change")
        verbose_name_plural = _("search changes")

    def __str__(self):
        return f"{self.id}: {self.record_type} {self.object_id}"


class Announced(models.Model):
    """A record partners were last told is public: what `announcing` compares with `.public()`.

    Kept in step in the same transaction as every write to a record (see `announcing`), so a
    record that leaves public view by any path gets its tombstone; `reconcile_announcements`
    catches what went around every hook (raw SQL, a restore into another database).
    """

    record_type = models.CharField(max_length=20)
    object_id = models.BigIntegerField()
    public_id = models.CharField(max_length=20)

    class Meta:
        verbose_name = _("announced record")
        verbose_name_plural = _("announced records")
        constraints = [
            models.UniqueConstraint(fields=["record_type", "object_id"], name="unique_announced")
        ]

    def __str__(self):
        return f"{self.record_type} {self.public_id}"


class TombstoneQuerySet(models.QuerySet):
    def current(self):
        """Tombstones of records that are still not public: a record published again is back."""
        gone = Q()
        for model in RECORD_MODELS:
            public = model.objects.public().values("public_id")
            gone |= Q(record_type=model.record_type) & ~Q(public_id__in=public)
        return self.filter(gone)


class Tombstone(models.Model):
    """A record that was public and no longer is: withdrawn, unpublished, hidden or deleted.

    Partners' mirrors and harvesters learn from these what to remove. Only records the public
    once saw get one, so a tombstone never reveals a draft.
    """

    record_type = models.CharField(_("record type"), max_length=20, choices=RECORD_TYPE_CHOICES)
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
            models.UniqueConstraint(fields=["record_type", "public_id"], name="unique_tombstone")
        ]

    def __str__(self):
        return f"{self.record_type} {self.public_id}"


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
