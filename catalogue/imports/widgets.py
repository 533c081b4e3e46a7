"""How one cell of our templates becomes a value, and back, with messages for archivists.

Each widget's `clean` turns a cell into a value or raises ValueError with a message that
says what to write; `render` writes a value as the template has it; `same` tells whether a
cell says what an export of the stored record says (a re-import of it is then "skipped").
"""

import datetime

from django.core.exceptions import ValidationError
from django.core.validators import RegexValidator
from django.utils.translation import get_language
from django.utils.translation import gettext as _
from import_export import widgets

from ..models import Document, Identifier, ImportKey, Language, NameForm

SEPARATOR = "|"


def normal_text(value):
    """A cell's text with spreadsheet line ends made plain and the ends trimmed."""
    if value is None:
        return ""
    return str(value).replace("\r\n", "\n").replace("\r", "\n").strip()


class Text(widgets.Widget):
    """Text: one line, or several (sources: one citation per line) in a quoted cell."""

    def clean(self, value, row=None, **kwargs):
        return normal_text(value)

    def render(self, value, obj=None, **kwargs):
        return "" if value is None else str(value)

    def same(self, cell, exported):
        return normal_text(cell) == normal_text(exported)


class Choice(Text):
    """One of a field's choices, by its value (`judgment`) or its label (`Judgment or ruling`)."""

    def __init__(self, choices, default=None):
        self.choices = choices
        self.default = default
        self._by_language = {}  # language → {value or label, casefolded → value}

    def accepted(self):
        """What a cell may say for each choice in the current language: the labels are
        translated once per language, not for every row (the first choice to claim a
        word keeps it, as when the choices are tried in order)."""
        language = get_language()
        if (accepted := self._by_language.get(language)) is None:
            accepted = {}
            for choice in self.choices:
                accepted.setdefault(choice.value.casefold(), choice.value)
                accepted.setdefault(str(choice.label).casefold(), choice.value)
            self._by_language[language] = accepted
        return accepted

    def clean(self, value, row=None, **kwargs):
        text = normal_text(value)
        if not text:
            return self.default if self.default is not None else ""
        if (found := self.accepted().get(text.casefold())) is not None:
            return found
        raise ValueError(
            _("“%(value)s” is not one of the choices. Write one of: %(choices)s.")
            % {"value": text, "choices": ", ".join(c.value for c in self.choices)}
        )

    def same(self, cell, exported):
        try:
            return self.clean(cell) == normal_text(exported)
        except ValueError:
            return False


class Boolean(Text):
    TRUE = {"true", "yes", "1", "y", "sí", "si", "x"}
    FALSE = {"false", "no", "0", "n", ""}

    def clean(self, value, row=None, **kwargs):
        text = normal_text(value).casefold()
        if text in self.TRUE:
            return True
        if text in self.FALSE:
            return False
        raise ValueError(_("Write yes or no, not “%(value)s”.") % {"value": normal_text(value)})

    def render(self, value, obj=None, **kwargs):
        return "yes" if value else "no"

    def same(self, cell, exported):
        try:
            return self.clean(cell) == self.clean(exported)
        except ValueError:
            return False


class Date(Text):
    """A calendar date (an embargo's end), written YYYY-MM-DD."""

    def clean(self, value, row=None, **kwargs):
        text = normal_text(value)
        if not text:
            return None
        try:
            return datetime.date.fromisoformat(text)
        except ValueError:
            raise ValueError(
                _("“%(value)s” is not a date. Write it as YYYY-MM-DD, e.g. 2030-01-31.")
                % {"value": text}
            ) from None

    def render(self, value, obj=None, **kwargs):
        return value.isoformat() if value else ""


class Multi(Text):
    """Several values in one cell, separated by |: `spa|eng`."""

    def items(self, value):
        return [item.strip() for item in normal_text(value).split(SEPARATOR) if item.strip()]

    @staticmethod
    def each(value):
        """The values of a list, or of a related manager."""
        return value.all() if hasattr(value, "all") else (value or ())

    def same(self, cell, exported):
        return sorted(self.items(cell)) == sorted(self.items(exported))


class Languages(Multi):
    """Languages by their ISO 639-3 codes: `spa|eng`."""

    known = None  # code → Language, read once per import

    def clean(self, value, row=None, **kwargs):
        codes = [code.lower() for code in self.items(value)]
        if self.known is None or not set(codes) <= self.known.keys():
            self.known = {language.code: language for language in Language.objects.all()}
        found = self.known
        unknown = [code for code in codes if code not in found]
        if unknown:
            raise ValueError(
                _(
                    "Unknown language code: %(codes)s. Use ISO 639-3 codes such as spa, eng, "
                    "que, separated by |; an archivist can add a language in the admin."
                )
                % {"codes": ", ".join(unknown)}
            )
        return [found[code] for code in dict.fromkeys(codes)]

    def render(self, value, obj=None, **kwargs):
        return SEPARATOR.join(language.code for language in self.each(value))


class Countries(Multi):
    """Countries by their ISO 3166 two-letter codes: `PE|CL`."""

    def clean(self, value, row=None, **kwargs):
        from django_countries import countries

        codes = [code.upper() for code in self.items(value)]
        unknown = [code for code in codes if code not in countries]
        if unknown:
            raise ValueError(
                _("Unknown country code: %(codes)s. Use two-letter codes such as PE, CL.")
                % {"codes": ", ".join(unknown)}
            )
        return codes

    def render(self, value, obj=None, **kwargs):
        return SEPARATOR.join(str(getattr(c, "code", c)) for c in self.each(value))


class Country(Text):
    def clean(self, value, row=None, **kwargs):
        from django_countries import countries

        code = normal_text(value).upper()
        if code and code not in countries:
            raise ValueError(
                _("Unknown country code: %(codes)s. Use two-letter codes such as PE, CL.")
                % {"codes": code}
            )
        return code

    def render(self, value, obj=None, **kwargs):
        return str(getattr(value, "code", value) or "")


class NotYetImported(Exception):
    """A reference to a record that may come later in the same file."""

    def __init__(self, value):
        super().__init__(value)
        self.value = value


class Reference(Text):
    """Another record, by its public id, a legacy id from an earlier import, a document's
    reference code, or its exact title or authorized name when only one record has it.

    `source` gives the import's source (for legacy ids); `defer` lets a reference wait for
    a later row of the same file (a parent listed after its child).
    """

    def __init__(self, model, source=lambda: "csv", defer=False):
        self.model = model
        self.source = source
        self.defer = defer
        self.found = {}  # text → record, for the rows of one chunk (cleared by the resource)

    def find(self, text):
        if (known := self.found.get(text)) is not None:
            return known
        found = self._find(text)
        if found is not None:
            self.found[text] = found
        return found

    def _find(self, text):
        model = self.model
        found = model.objects.filter(public_id=text).first()
        if found is None:
            pk = ImportKey.objects.lookup(self.source(), model.record_type, text)
            found = model.objects.filter(pk=pk).first() if pk else None
        if found is None and model is Document:
            found = Document.objects.filter(reference_code=text).first()
        if found is None:
            named = list(model.objects.filter(**{model.title_field: text})[:2])
            if len(named) > 1:
                raise ValueError(
                    _("More than one %(type)s is named “%(value)s”: use its public id instead.")
                    % {"type": model._meta.verbose_name, "value": text}
                )
            found = named[0] if named else None
        return found

    def clean(self, value, row=None, **kwargs):
        text = normal_text(value)
        if not text:
            return None
        found = self.find(text)
        if found is None:
            if self.defer:
                raise NotYetImported(text)
            raise ValueError(self.not_found(text))
        return found

    def not_found(self, text):
        return _(
            "No %(type)s “%(value)s” in the catalogue. Give its public id, its identifier "
            "from an earlier import (legacy_id), %(code)sor its exact %(title)s."
        ) % {
            "type": self.model._meta.verbose_name,
            "value": text,
            "code": _("its reference code, ") if self.model is Document else "",
            "title": self.model._meta.get_field(self.model.title_field).verbose_name,
        }

    def render(self, value, obj=None, **kwargs):
        if value is None:
            return ""
        if isinstance(value, Document):
            return value.reference_code
        return value.public_id

    def same(self, cell, exported):
        text = normal_text(cell)
        if text == normal_text(exported):
            return True
        try:
            found = self.find(text) if text else None
        except ValueError:
            return False
        return found is not None and self.render(found) == normal_text(exported)


def message_of(error):
    """The first message of a ValidationError or other exception, as a string."""
    if isinstance(error, ValidationError):
        return " ".join(error.messages)
    return str(error)


class NameForms(Multi):
    """Other forms of a name: `MRTA [acronym]|Movimiento Revolucionario [translation, spa]`.

    In the brackets: the kind, then optionally the name's language (ISO 639-3) and a note.
    A name without brackets is a variant spelling.
    """

    def __init__(self, model):
        self.model = model  # PersonName or OrganizationName

    def parse(self, item):
        name, kind, language, note = item, NameForm.Kind.VARIANT, None, ""
        if item.endswith("]") and "[" in item:
            name, inside = item[:-1].rsplit("[", 1)
            parts = [part.strip() for part in inside.split(",", 2)]
            kind = Choice(NameForm.Kind).clean(parts[0]) or NameForm.Kind.VARIANT
            if len(parts) > 1 and parts[1]:
                language = Languages().clean(parts[1])[0]
            if len(parts) > 2:
                note = parts[2]
        name = name.strip()
        if not name:
            raise ValueError(_("“%(item)s” gives no name before its brackets.") % {"item": item})
        return {"name": name, "kind": kind, "language": language, "note": note}

    def clean(self, value, row=None, **kwargs):
        forms = {}
        for item in self.items(value):
            form = self.parse(item)
            forms[(form["name"], form["kind"])] = form
        return list(forms.values())

    def render(self, value, obj=None, **kwargs):
        return SEPARATOR.join(self.render_one(form) for form in self.each(value))

    @staticmethod
    def render_one(form):
        inside = [form.kind]
        if form.language_id or form.note:
            inside.append(form.language.code if form.language_id else "")
        if form.note:
            inside.append(form.note)
        return f"{form.name} [{', '.join(inside)}]"

    def same(self, cell, exported):
        try:
            return sorted(map(_key, self.clean(cell))) == sorted(map(_key, self.clean(exported)))
        except ValueError:
            return False


def _key(form):
    language = form["language"].code if form["language"] else ""
    return (form["name"], form["kind"], language, form["note"])


class Identifiers(Multi):
    """Identifiers in other systems: `wikidata:Q123|viaf:456`."""

    def parse(self, item):
        scheme, _colon, value = item.partition(":")
        scheme, value = scheme.strip().lower(), value.strip()
        if scheme not in Identifier.Scheme.values or not value:
            raise ValueError(
                _(
                    "“%(item)s” is not an identifier. Write scheme:value, e.g. wikidata:Q123; "
                    "the schemes are %(schemes)s."
                )
                % {"item": item, "schemes": ", ".join(Identifier.Scheme.values)}
            )
        if scheme in Identifier.PATTERNS:
            pattern, message = Identifier.PATTERNS[scheme]
            try:
                RegexValidator(pattern, message)(value)
            except ValidationError as error:
                raise ValueError(f"{item}: {message_of(error)}") from None
        return (scheme, value)

    def clean(self, value, row=None, **kwargs):
        return list(dict.fromkeys(self.parse(item) for item in self.items(value)))

    def render(self, value, obj=None, **kwargs):
        return SEPARATOR.join(f"{i.scheme}:{i.value}" for i in self.each(value))


class References(Multi):
    """Several records of one type: a case's events, `k3v9x2m7qa|Embassy siege`."""

    def __init__(self, model, source=lambda: "csv"):
        self.reference = Reference(model, source)

    def clean(self, value, row=None, **kwargs):
        return [self.reference.clean(item) for item in self.items(value)]

    def render(self, value, obj=None, **kwargs):
        return SEPARATOR.join(self.reference.render(record) for record in self.each(value))

    def same(self, cell, exported):
        try:
            found = sorted(self.reference.render(r) for r in self.clean(cell))
        except ValueError:
            return False
        return found == sorted(self.items(exported))
