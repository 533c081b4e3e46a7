"""How records are shown in lists, made cheap: their addresses, their choices' labels and their
translations, each read once where Django would read it for every record."""

from urllib.parse import quote

from django.db import models
from django.urls import get_script_prefix, get_urlconf, reverse
from django.utils.translation import get_language

URL_SAFE = "!$&'()*+,;=~:@"  # what `reverse()` leaves unquoted in a path segment


_DETAIL_PATHS = {}


def detail_path(record_type, public_id):
    """A record's public address. Reversed once per type, then filled in: a page lists a
    hundred records, and `reverse()` is most of what each link costs."""
    key = (record_type, get_script_prefix(), get_urlconf())
    prefix = _DETAIL_PATHS.get(key)
    if prefix is None:
        path = reverse(f"{record_type}_detail", args=["0"])
        prefix = _DETAIL_PATHS[key] = path.removesuffix("0/")
    return f"{prefix}{quote(public_id, safe=URL_SAFE)}/"


_CHOICE_LABELS = {}


def choice_labels(field):
    """{value: label} of a field's choices in the active language, made once per language."""
    key = (id(field), get_language())  # fields live as long as the process
    labels = _CHOICE_LABELS.get(key)
    if labels is None:
        labels = _CHOICE_LABELS[key] = {value: str(label) for value, label in field.flatchoices}
    return labels


class ChoiceLabels(models.Model):
    """`get_FOO_display()` from a table of labels per language. Django's own makes every label
    hashable, so translates it, on each call: most of a page of results' rendering time."""

    class Meta:
        abstract = True

    def _get_FIELD_display(self, field):
        value = getattr(self, field.attname)
        try:
            return choice_labels(field).get(value, value)
        except TypeError:  # a value that cannot be a key: no label can be its
            return value


def attach_translations(records):
    """Read the translations of `records` (of any types) in one query per type and keep them
    on each as its `translations`, as `with_translations()` does, without the queryset that a
    prefetch builds for every record: most of the cost of a page of search results."""
    by_model = {}
    for record in records:
        by_model.setdefault(type(record), []).append(record)
    for model, group in by_model.items():
        link = model._meta.get_field("translations").field
        rows = link.model.objects.select_related("language")
        found = {}
        for row in rows.filter(**{f"{link.name}__in": [record.pk for record in group]}):
            found.setdefault(getattr(row, link.attname), []).append(row)
        for record in group:
            prefetched = models.QuerySet(link.model)
            prefetched._result_cache = found.get(record.pk, [])
            prefetched._prefetch_done = True
            cache = record.__dict__.get("_prefetched_objects_cache", {})
            record._prefetched_objects_cache = {**cache, "translations": prefetched}
    return records
