"""What an archivist may attach to a document: known types, checked by content, within a size."""

from pathlib import PurePath

from django.conf import settings
from django.core.exceptions import ValidationError
from django.template.defaultfilters import filesizeformat
from django.utils.translation import gettext_lazy as _


def _starts(*prefixes):
    return lambda head: head.startswith(prefixes)


def _is_text(head):
    try:
        head.decode("utf-8")
    except UnicodeDecodeError as error:
        # The sample may end inside a character; anything else is not UTF-8 text.
        return error.start >= len(head) - 3
    return b"\x00" not in head


# Extension: (content type, test of the file's first bytes).
TYPES = {
    ".pdf": ("application/pdf", _starts(b"%PDF-")),
    ".jpg": ("image/jpeg", _starts(b"\xff\xd8\xff")),
    ".jpeg": ("image/jpeg", _starts(b"\xff\xd8\xff")),
    ".png": ("image/png", _starts(b"\x89PNG\r\n\x1a\n")),
    ".tif": ("image/tiff", _starts(b"II*\x00", b"MM\x00*")),
    ".tiff": ("image/tiff", _starts(b"II*\x00", b"MM\x00*")),
    ".mp3": ("audio/mpeg", _starts(b"ID3", b"\xff\xfb", b"\xff\xf3", b"\xff\xf2")),
    ".wav": ("audio/wav", lambda head: head[:4] == b"RIFF" and head[8:12] == b"WAVE"),
    ".mp4": ("video/mp4", lambda head: head[4:8] == b"ftyp"),
    ".txt": ("text/plain; charset=utf-8", _is_text),
}
HEAD_BYTES = 512


def content_type(name):
    return TYPES.get(PurePath(name).suffix.lower(), ("application/octet-stream",))[0]


def validate_upload(upload):
    """Refuse files of other types, files whose content is not what their name says, and
    files over MEMORIA_MAX_UPLOAD_MB."""
    suffix = PurePath(upload.name).suffix.lower()
    if suffix not in TYPES:
        raise ValidationError(
            _("Attach a file of one of these types: %(types)s.")
            % {"types": ", ".join(sorted({key.lstrip(".") for key in TYPES}))},
            code="file_type",
        )
    limit = settings.MEMORIA_MAX_UPLOAD_MB * 1024 * 1024
    if upload.size > limit:
        raise ValidationError(
            _("The file is %(size)s; the limit is %(limit)s.")
            % {"size": filesizeformat(upload.size), "limit": filesizeformat(limit)},
            code="file_size",
        )
    upload.seek(0)
    head = upload.read(HEAD_BYTES)
    upload.seek(0)
    if not TYPES[suffix][1](head):
        raise ValidationError(
            _("The file's content is not a %(type)s file, whatever its name says.")
            % {"type": suffix.lstrip(".").upper()},
            code="file_content",
        )
