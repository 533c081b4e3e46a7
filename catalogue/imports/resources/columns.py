"""A template's columns: one cell of a row, read into a record and written back."""

from django.utils.translation import gettext as _
from import_export import fields

from ..widgets import Text, normal_text


class Column(fields.Field):
    """One column of a template: the header is the field's name."""

    def __init__(self, name, widget=None, readonly=False, attribute=None):
        super().__init__(
            attribute=attribute or name,
            column_name=name,
            widget=widget or Text(),
            readonly=readonly,
        )

    def same(self, cell, exported):
        return self.widget.same(cell, exported)


class Stashed(Column):
    """A column written after its record is saved: other names, identifiers, languages...

    Import keeps the cleaned value on the instance; `write(instance, value)` stores it once the
    instance has a primary key.
    """

    def __init__(self, name, widget=None, write=None, read=None):
        super().__init__(name, widget)
        self._write = write
        self._read = read

    def save(self, instance, row, is_m2m=False, **kwargs):
        stash(instance)[self.column_name] = self.clean(row, **kwargs)

    def get_value(self, instance):
        if instance.pk is None:
            return None
        return self._read(instance) if self._read else getattr(instance, self.attribute)

    def write(self, instance, value):
        if self._write is not None:
            self._write(instance, value)


def stash(instance):
    if not hasattr(instance, "_import_stash"):
        instance._import_stash = {}
    return instance._import_stash


class PublicIdWidget(Text):
    def clean(self, value, row=None, **kwargs):
        text = normal_text(value).lower()
        if text and not (len(text) <= 20 and text.isalnum() and text.isascii()):
            raise ValueError(
                _("“%(value)s” is not a public id: those are letters and digits, e.g. %(example)s.")
                % {"value": text, "example": "k3v9x2m7qa"}
            )
        return text or None


class NoDiff:
    """The preview shows each row's outcome and errors, not a field-by-field diff, which
    would read every related row twice for each of 100,000 rows."""

    def __init__(self, resource, instance, new):
        pass

    def compare_with(self, resource, instance):
        pass

    def as_html(self):
        return []
