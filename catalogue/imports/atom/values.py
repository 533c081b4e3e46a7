"""How AtoM writes values in its CSV cells, read into ours.

AtoM separates the values of a multi-value cell with `|`, matches its parallel event columns
position by position, and fills an empty position with the literal `NULL`.
"""

import re

from django.conf.locale import LANG_INFO
from django.utils.translation import gettext as _

from ...models import Document, Language

NULL = "NULL"


class RowError(Exception):
    """A value the import cannot take; `column` names the AtoM column it came from."""

    def __init__(self, column, message):
        super().__init__(message)
        self.column = column
        self.message = message


def cell(row, column):
    """The stripped text of a cell; an absent column, `NULL` and blanks read as ""."""
    value = (row.get(column) or "").strip()
    return "" if value == NULL else value


def values(row, column):
    """The values of a `|`-separated cell, without blanks or `NULL`s."""
    return [v for v in slots(row, column) if v]


def slots(row, column):
    """Every position of a `|`-separated cell, `NULL` and blanks as "", for parallel columns."""
    text = (row.get(column) or "").strip()
    if not text:
        return []
    return ["" if part.strip() == NULL else part.strip() for part in text.split("|")]


def parallel(row, *columns):
    """The parallel columns read position by position: a list of {column: value}, as long as
    the longest column, a missing position read as ""."""
    columns_slots = {column: slots(row, column) for column in columns}
    length = max((len(s) for s in columns_slots.values()), default=0)
    return [
        {column: (s[i] if i < len(s) else "") for column, s in columns_slots.items()}
        for i in range(length)
    ]


LEVELS = {
    "fonds": Document.Level.FONDS,
    "subfonds": Document.Level.SUBFONDS,
    "collection": Document.Level.COLLECTION,
    "series": Document.Level.SERIES,
    "subseries": Document.Level.SUBSERIES,
    "file": Document.Level.FILE,
    "item": Document.Level.ITEM,
}
# AtoM levels we do not have, read as the nearest of ours (and said so in the preview).
NEAREST_LEVELS = {
    "recordgroup": Document.Level.FONDS,
    "subrecordgroup": Document.Level.SUBFONDS,
    "subsubseries": Document.Level.SUBSERIES,
    "part": Document.Level.ITEM,
    "piece": Document.Level.ITEM,
    "volume": Document.Level.FILE,
    "dossier": Document.Level.FILE,
}
GROUP_LEVELS = {
    Document.Level.FONDS,
    Document.Level.SUBFONDS,
    Document.Level.COLLECTION,
    Document.Level.SERIES,
    Document.Level.SUBSERIES,
}


def level(text):
    """(our level, a note or "") for AtoM's levelOfDescription; RowError when it has none."""
    key = re.sub(r"[\s_-]+", "", text).casefold()
    if not key:
        return Document.Level.ITEM, _("No level of description: imported as an item.")
    if key in LEVELS:
        return LEVELS[key], ""
    if key in NEAREST_LEVELS:
        nearest = NEAREST_LEVELS[key]
        return nearest, _("Level “%(level)s” is imported as the nearest of ours: %(ours)s.") % {
            "level": text,
            "ours": nearest.label,
        }
    raise RowError(
        "levelOfDescription",
        _("“%(level)s” is not a level of description here. Use one of: %(levels)s.")
        % {"level": text, "levels": ", ".join(str(label) for label in Document.Level.labels)},
    )


# Genre access points that say what an item or file is; the first one matched refines its kind.
GENRE_KINDS = (
    ("photograph", Document.Kind.PHOTOGRAPH),
    ("letter", Document.Kind.LETTER),
    ("correspondence", Document.Kind.LETTER),
    ("report", Document.Kind.REPORT),
    ("testimon", Document.Kind.TESTIMONY),
    ("judgment", Document.Kind.JUDGMENT),
    ("judgement", Document.Kind.JUDGMENT),
    ("ruling", Document.Kind.JUDGMENT),
    ("legislation", Document.Kind.LEGISLATION),
    ("decree", Document.Kind.LEGISLATION),
    ("statement", Document.Kind.STATEMENT),
    ("newspaper", Document.Kind.NEWS_ARTICLE),
    ("article", Document.Kind.NEWS_ARTICLE),
    ("moving image", Document.Kind.AUDIOVISUAL),
    ("sound", Document.Kind.AUDIOVISUAL),
    ("audio", Document.Kind.AUDIOVISUAL),
    ("video", Document.Kind.AUDIOVISUAL),
    ("film", Document.Kind.AUDIOVISUAL),
    ("book", Document.Kind.BOOK),
    ("web", Document.Kind.WEB_PAGE),
)


def kind(our_level, genres):
    """A document's kind: a group of records above file level, else what its genres say."""
    if our_level in GROUP_LEVELS:
        return Document.Kind.ARCHIVAL_GROUP
    for genre in genres:
        folded = genre.casefold()
        for word, found in GENRE_KINDS:
            if word in folded:
                return found
    return Document.Kind.OTHER


CODE_CHARACTERS = re.compile(r"[^A-Za-z0-9._/-]+")
CODE_MAX = Document._meta.get_field("reference_code").max_length


def code_part(text):
    """`text` with every run of characters a reference code cannot hold replaced by "-"."""
    return CODE_CHARACTERS.sub("-", text).strip("-._/")


def reference_code(identifier, legacy_id, parent_code=""):
    """(reference code, note) for a description: its identifier under its parent's code.

    AtoM identifiers are unique only among siblings; ours are unique in the catalogue, so a
    part's code starts with its parent's, as AtoM shows it (F1-IT-1). A description without
    an identifier takes its legacyId.
    """
    source, column = (identifier, "identifier") if identifier else (legacy_id, "legacyId")
    part = code_part(source)
    if not part:
        raise RowError(
            column,
            _("“%(value)s” has no letter or digit to make a reference code from.")
            % {"value": source},
        )
    code = f"{parent_code}-{part}" if parent_code else part
    if len(code) > CODE_MAX:
        raise RowError(
            column,
            _(
                "The reference code “%(code)s” would be longer than %(max)d characters. "
                "Shorten the identifiers of this description or its parents."
            )
            % {"code": code, "max": CODE_MAX},
        )
    if part != source:
        return code, _("%(column)s “%(value)s” is written “%(part)s” in the reference code.") % {
            "column": column,
            "value": source,
            "part": part,
        }
    if not identifier:
        return code, _("No identifier: the reference code is made from the legacyId.")
    return code, ""


# ISO 639-1 → ISO 639-3 for the languages Django names, and a few more archives hold; other
# languages are added by an archivist under Languages before importing.
ISO_639_3 = {
    "af": "afr", "am": "amh", "ar": "ara", "ay": "aym", "az": "aze", "be": "bel", "bg": "bul",
    "bn": "ben", "bo": "bod", "br": "bre", "bs": "bos", "ca": "cat", "cs": "ces", "cy": "cym",
    "da": "dan", "de": "deu", "el": "ell", "en": "eng", "eo": "epo", "es": "spa", "et": "est",
    "eu": "eus", "fa": "fas", "fi": "fin", "fr": "fra", "fy": "fry", "ga": "gle", "gd": "gla",
    "gl": "glg", "gn": "grn", "he": "heb", "hi": "hin", "hr": "hrv", "ht": "hat", "hu": "hun",
    "hy": "hye", "ia": "ina", "id": "ind", "ig": "ibo", "io": "ido", "is": "isl", "it": "ita",
    "ja": "jpn", "ka": "kat", "kk": "kaz", "km": "khm", "kn": "kan", "ko": "kor", "ku": "kur",
    "ky": "kir", "la": "lat", "lb": "ltz", "lt": "lit", "lv": "lav", "mk": "mkd", "ml": "mal",
    "mn": "mon", "mr": "mar", "ms": "msa", "my": "mya", "nb": "nob", "ne": "nep", "nl": "nld",
    "nn": "nno", "no": "nor", "oc": "oci", "os": "oss", "pa": "pan", "pl": "pol", "ps": "pus",
    "pt": "por", "qu": "que", "ro": "ron", "ru": "rus", "rw": "kin", "sk": "slk", "sl": "slv",
    "so": "som", "sq": "sqi", "sr": "srp", "sv": "swe", "sw": "swa", "ta": "tam", "te": "tel",
    "tg": "tgk", "th": "tha", "ti": "tir", "tk": "tuk", "tl": "tgl", "tr": "tur", "tt": "tat",
    "ug": "uig", "uk": "ukr", "ur": "urd", "uz": "uzb", "vi": "vie", "wo": "wol", "yo": "yor",
    "zh": "zho", "zu": "zul",
}  # fmt: skip
# English names of the languages above that Django does not name.
OTHER_NAMES = {
    "am": "Amharic", "ay": "Aymara", "bo": "Tibetan", "gn": "Guarani", "ht": "Haitian Creole",
    "ku": "Kurdish", "la": "Latin", "oc": "Occitan", "ps": "Pashto", "qu": "Quechua",
    "rw": "Kinyarwanda", "so": "Somali", "ti": "Tigrinya", "tl": "Tagalog", "wo": "Wolof",
    "yo": "Yoruba", "zh": "Chinese", "zu": "Zulu",
}  # fmt: skip


def language(code, column):
    """The Language of an ISO 639-1 code (`en`, `pt_BR` reads as `pt`), added from the
    built-in table when the catalogue does not have it yet."""
    two = code.strip().replace("_", "-").split("-")[0].lower()
    found = Language.objects.filter(iso639_1=two).first() if len(two) == 2 else None
    if found is None and len(two) == 3:
        found = Language.objects.filter(code=two).first()
    if found is not None:
        return found
    if two not in ISO_639_3:
        raise RowError(
            column,
            _(
                "“%(code)s” is not a language code the catalogue knows. Use a two-letter "
                "ISO 639-1 code (en, fr), or add the language under Languages first."
            )
            % {"code": code},
        )
    name = LANG_INFO.get(two, {}).get("name") or OTHER_NAMES.get(two, two)
    found, _created = Language.objects.get_or_create(
        code=ISO_639_3[two], defaults={"iso639_1": two, "name": name}
    )
    return found
