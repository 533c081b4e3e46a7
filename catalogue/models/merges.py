"""Merges of duplicate authority records, kept so the old identifiers redirect and a merge
can be undone."""

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from .registry import BY_NAME

# A chain of merges (A into B, B into C...) is followed this far, and no further.
MAX_CHAIN = 10
MERGEABLE = ("person", "organization")


class MergeQuerySet(models.QuerySet):
    def active(self):
        return self.filter(undone_at__isnull=True)

    def public_successor(self, model, public_id):
        """The public record a merged-away public id now leads to, following later merges;
        None when there is none or it is not public, so a redirect never reveals a record.
        Only ids the public saw redirect: a draft's id is never confirmed to exist."""
        if model.record_type not in MERGEABLE:
            return None
        seen = set()
        while public_id not in seen and len(seen) < MAX_CHAIN:
            merges = self.active().filter(record_type=model.record_type, merged_public_id=public_id)
            if not seen:
                merges = merges.filter(merged_was_public=True)
            seen.add(public_id)
            merge = merges.only("kept_public_id").first()
            if merge is None:
                return None
            public_id = merge.kept_public_id
            kept = model.objects.public().filter(public_id=public_id).only("public_id").first()
            if kept is not None:
                return kept
        return None


class Merge(models.Model):
    """One record merged into another: the merged-away record's public id now leads to the
    kept one, and what the merge moved and changed is kept so that it can be undone."""

    record_type = models.CharField(
        _("record type"),
        max_length=20,
        choices=[(name, BY_NAME[name].label) for name in MERGEABLE],
    )
    merged_public_id = models.CharField(
        _("merged-away record"),
        max_length=20,
        help_text=_("Its pages and API address now redirect to the kept record."),
    )
    merged_name = models.CharField(_("merged-away name"), max_length=300)
    merged_was_public = models.BooleanField(
        _("merged-away record was public"),
        default=False,
        help_text=_("Only a record the public could see redirects to the kept one."),
    )
    kept_public_id = models.CharField(_("kept record"), max_length=20, db_index=True)
    kept_name = models.CharField(_("kept name"), max_length=300)
    merged_at = models.DateTimeField(_("merged"), db_index=True)
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("merged by"),
    )
    summary = models.TextField(
        _("what the merge did"),
        blank=True,
        help_text=_("What moved, what was dropped as a duplicate and why."),
    )
    snapshot = models.JSONField(
        _("snapshot"),
        default=dict,
        editable=False,
        help_text=_("Both records as they were and the rows the merge moved, for undoing it."),
    )
    undone_at = models.DateTimeField(_("undone"), null=True, blank=True)
    undone_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("undone by"),
    )

    objects = MergeQuerySet.as_manager()

    class Meta:
        ordering = ["-merged_at", "-pk"]
        verbose_name = _("merge")
        verbose_name_plural = _("merges")
        constraints = [
            models.UniqueConstraint(
                fields=["record_type", "merged_public_id"],
                condition=Q(undone_at__isnull=True),
                name="unique_active_merge",
            )
        ]

    def __str__(self):
        return f"{self.merged_name} ({self.merged_public_id}) → {self.kept_name}"

    @property
    def model(self):
        return BY_NAME[self.record_type].model
