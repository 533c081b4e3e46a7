"""Sitemaps of the public records, one section per record type."""

from django.contrib.sitemaps import Sitemap

from ..models import RECORD_MODELS


class RecordSitemap(Sitemap):
    def __init__(self, model):
        self.model = model

    def items(self):
        # In the order of their ids, so a page of a long section keeps its records.
        fields = ("public_id", "access", "embargo_until", "updated_at")
        return self.model.objects.public().only(*fields).order_by("pk")

    def lastmod(self, record):
        return record.last_changed


SITEMAPS = {model.record_type: RecordSitemap(model) for model in RECORD_MODELS}


def needs_index():
    """Whether the public records outgrow one sitemap file, and need an index of files."""
    return sum(section.paginator.count for section in SITEMAPS.values()) > RecordSitemap.limit
