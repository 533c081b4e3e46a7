"""The filters' own fields: partial dates, moments, search text, facets' labels."""

import datetime
import re
from dataclasses import dataclass

import django_filters as filters
from django import forms
from django.db.models import Q
from django.utils.translation import gettext_lazy as _
from django_countries import countries
from drf_spectacular.utils import extend_schema_field

from .. import search
from ..models import (
    Language,
    Organization,
    Person,
)


@dataclass(frozen=True)
class Facet:
    name: str
    label: str
    values: list  # (value, label, count, selected)
    multiple: bool


# A year from 0001 to 9999, a month of it, or a day that is in the calendar (29 February in
# leap years only), so that the API's schema, which gives this pattern, says what is refused.
_YEAR = r"(?:\d{3}[1-9]|\d{2}[1-9]\d|\d[1-9]\d{2}|[1-9]\d{3})"
_LEAP_YEAR = r"(?:\d{2}(?:0[48]|[2468][048]|[13579][26])|(?:0[48]|[2468][048]|[13579][26])00)"
_MONTH_DAY = (
    r"(?:0[1-9]|1[0-2])-(?:0[1-9]|1\d|2[0-8])"
    r"|(?:0[13-9]|1[0-2])-(?:29|30)"
    r"|(?:0[13578]|1[02])-31"
)
PARTIAL_DATE_PATTERN = (
    rf"^\s*(?:{_YEAR}(?:-(?:0[1-9]|1[0-2])|-(?:{_MONTH_DAY}))?|{_LEAP_YEAR}-02-29)?\s*$"
)
PARTIAL_DATE = re.compile(r"^(\d{4})(?:-(\d{2})(?:-(\d{2}))?)?$")


class PartialDateField(forms.Field):
    """A year, a month or a day; cleaned to its first or last day."""

    def __init__(self, *args, end=False, **kwargs):
        self.end = end
        super().__init__(*args, **kwargs)

    def to_python(self, value):
        value = str(value or "").strip()
        if not value:
            return None
        match = PARTIAL_DATE.match(value)
        message = _("Write a year (1997), a month (1997-04) or a day (1997-04-22).")
        if not match:
            raise forms.ValidationError(message, code="invalid")
        year, month, day = (int(part) if part else None for part in match.groups())
        try:
            if day is not None:  # day 00 and month 00 are refused, not read as absent
                return datetime.date(year, month, day)
            if month is not None:
                first = datetime.date(year, month, 1)
                if not self.end:
                    return first
                following = first.replace(day=28) + datetime.timedelta(days=4)
                return following - datetime.timedelta(days=following.day)
            return datetime.date(year, 12, 31) if self.end else datetime.date(year, 1, 1)
        except ValueError:
            raise forms.ValidationError(message, code="invalid") from None


@extend_schema_field({"type": "string", "pattern": PARTIAL_DATE_PATTERN, "example": "1997-04"})
class PartialDateFilter(filters.Filter):
    field_class = PartialDateField


LANGUAGE_CODE = re.compile(r"[a-z]{3}")


class LanguageCodesField(filters.fields.MultipleChoiceField):
    """Any well-formed ISO 639-3 code: one no document is in matches nothing, as an unknown
    record's id does, rather than being refused."""

    default_error_messages = {
        "invalid_choice": _("Give languages by their ISO 639-3 code, like spa or eng.")
    }

    def valid_value(self, value):
        return bool(LANGUAGE_CODE.fullmatch(value))


@extend_schema_field({"type": "string", "pattern": "^[a-z]{3}$", "example": "spa"})
class LanguageFilter(filters.MultipleChoiceFilter):
    """Languages by ISO 639-3 code."""

    field_class = LanguageCodesField


class MomentField(filters.fields.IsoDateTimeField):
    """An ISO 8601 moment, cleaned to UTC: databases refuse some offsets Python accepts."""

    def to_python(self, value):
        moment = super().to_python(value)
        if moment is None:
            return None
        try:
            return moment.astimezone(datetime.UTC)
        except OverflowError:
            raise forms.ValidationError(
                _("Give a moment between the years 1 and 9999."), code="invalid"
            ) from None


class MomentFilter(filters.IsoDateTimeFilter):
    field_class = MomentField


class SearchTextField(forms.CharField):
    """What a visitor typed: control characters dropped, never refused."""

    def to_python(self, value):
        return search.CONTROL.sub(" ", super().to_python(str(value or "").replace("\x00", " ")))


class SearchTextFilter(filters.CharFilter):
    field_class = SearchTextField


def starts_on_or_before(prefix, day):
    earliest, latest = f"{prefix}earliest", f"{prefix}latest"
    return Q(**{f"{earliest}__lte": day}) | Q(
        **{f"{earliest}__isnull": True, f"{latest}__isnull": False, f"{latest}__lte": day}
    )


def ends_on_or_after(prefix, day):
    earliest, latest = f"{prefix}earliest", f"{prefix}latest"
    return Q(**{f"{latest}__gte": day}) | Q(
        **{f"{latest}__isnull": True, f"{earliest}__isnull": False}
    )


def public_agent_is(public_id, prefix=""):
    """A condition on links: their person or organization is the public one with this id."""
    people = Person.objects.public().filter(public_id=public_id)
    bodies = Organization.objects.public().filter(public_id=public_id)
    return Q(**{f"{prefix}person__in": people}) | Q(**{f"{prefix}organization__in": bodies})


def facet_is_multi(filter_):
    return isinstance(filter_, (filters.MultipleChoiceFilter, filters.ModelMultipleChoiceFilter))


# Labels of facet values, read only from public records


def organization_names(rows):
    ids = [public_id for public_id, _count in rows]
    return dict(
        Organization.objects.public()
        .filter(public_id__in=ids)
        .values_list("public_id", "authorized_name")
    )


def language_names(rows):
    return {language.code: language.display_name for language in Language.objects.all()}


def country_names(rows):
    return {code: countries.name(code) for code, _n in rows if code}
