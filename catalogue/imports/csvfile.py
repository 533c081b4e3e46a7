"""Reading and writing CSV files as archivists' spreadsheets make them.

Spreadsheets save CSV in several dialects: UTF-8 with or without a byte-order mark, or
Windows-1252 (Excel's "CSV" on many systems); commas, semicolons (where the comma is the
decimal sign) or tabs; CRLF or LF line ends. `CsvFile` reads any of these, says in `notes`
what it guessed, and refuses what it cannot read with a message (`CsvProblem`), never a
traceback. Rows are read in chunks, so a file of any length is read in constant memory.

Formula cells (starting with = + - @) are kept as text on import and escaped with a leading
apostrophe on export, so a spreadsheet never runs them; an escaped cell reads back as it was.
"""

import codecs
import csv
import io
import os
from dataclasses import dataclass, field

import tablib
from django.conf import settings
from django.utils.translation import gettext as _
from django.utils.translation import ngettext
from import_export.formats import base_formats

DELIMITERS = (",", ";", "\t")
DELIMITER_NAMES = {",": "commas", ";": "semicolons", "\t": "tabs"}
FORMULA_STARTS = ("=", "+", "-", "@")
ESCAPE = "'"
BLOCK = 1 << 16
MAX_REPORTED = 20  # ragged rows named before "and N more"

csv.field_size_limit(1 << 24)  # a long text in one cell is fine; the file's size is limited


class CsvProblem(ValueError):
    """A file that cannot be imported as it is; the message says why, for an archivist."""


def max_bytes():
    return settings.MEMORIA_IMPORT_MAX_MB * 1024 * 1024


def check_size(size):
    if size > max_bytes():
        raise CsvProblem(
            _(
                "The file is %(size)s MB; imports take files up to %(limit)s MB. Split it "
                "into smaller files and import them one after the other."
            )
            % {"size": f"{size / 1024 / 1024:.0f}", "limit": settings.MEMORIA_IMPORT_MAX_MB}
        )


def escape_formula(value):
    """A cell as exported: text a spreadsheet would run as a formula gets a leading '."""
    text = isinstance(value, str)
    if text and (value.startswith(FORMULA_STARTS) or value[:1] == ESCAPE == value[1:2]):
        return ESCAPE + value
    if text and value[:1] == ESCAPE and value[1:2] in FORMULA_STARTS:
        return ESCAPE + value
    return value


def unescape_formula(value):
    """A cell as imported: our own escaping undone; anything else is kept as typed, as text."""
    if value.startswith(ESCAPE) and value[1:2] in (*FORMULA_STARTS, ESCAPE):
        return value[1:]
    return value


def _encoding_of(stream):
    """ "utf-8-sig", "utf-8" or "cp1252", read through the file once, in blocks."""
    start = stream.read(3)
    encoding = "utf-8-sig" if start == codecs.BOM_UTF8 else "utf-8"
    decoder = codecs.getincrementaldecoder("utf-8")()
    stream.seek(0)
    try:
        while block := stream.read(BLOCK):
            decoder.decode(block)
        decoder.decode(b"", final=True)
    except UnicodeDecodeError:
        encoding = "cp1252"
    stream.seek(0)
    return encoding


def _sniff_delimiter(header_line):
    counts = {d: header_line.count(d) for d in DELIMITERS}
    best = max(DELIMITERS, key=lambda d: counts[d])
    return best if counts[best] else ","


@dataclass
class CsvFile:
    """A CSV file checked whole before any row of it is imported.

    `headers`, `total` (rows to import), `notes` (what was guessed, to show in the preview)
    and `problems` (rows that cannot be read: the file is refused when there are any).
    """

    stream: io.BufferedIOBase
    name: str = ""
    encoding: str = "utf-8"
    delimiter: str = ","
    headers: list = field(default_factory=list)
    total: int = 0
    notes: list = field(default_factory=list)
    problems: list = field(default_factory=list)
    formula_cells: int = 0

    @classmethod
    def open(cls, path_or_stream, name=None):
        """Open and check a file: a path, or a binary stream that can seek."""
        if isinstance(path_or_stream, str | os.PathLike):
            check_size(os.path.getsize(path_or_stream))
            stream = open(path_or_stream, "rb")  # noqa: SIM115 (closed by close())
            name = name or os.path.basename(path_or_stream)
        else:
            stream = path_or_stream
            stream.seek(0, os.SEEK_END)
            check_size(stream.tell())
            stream.seek(0)
        csv_file = cls(stream=stream, name=name or "")
        try:
            csv_file._check()
        except BaseException:
            csv_file.close()
            raise
        return csv_file

    @classmethod
    def from_bytes(cls, data, name=""):
        return cls.open(io.BytesIO(data), name=name)

    def close(self):
        self.stream.close()

    def __enter__(self):
        return self

    def __exit__(self, *exc):
        self.close()

    def _text(self):
        self.stream.seek(0)
        return io.TextIOWrapper(self.stream, encoding=self.encoding, errors="replace", newline="")

    def _reader(self):
        text = self._text()
        return text, csv.reader(text, delimiter=self.delimiter)

    def _check(self):
        self.encoding = _encoding_of(self.stream)
        if self.encoding == "cp1252":
            self.notes.append(
                _(
                    "The file is not in UTF-8; it was read as Windows-1252 (Latin-1). Check "
                    "that accented letters look right below; if not, save the file as "
                    "“CSV UTF-8” and import it again."
                )
            )
        text = self._text()
        header_line = text.readline()
        text.detach()
        if not header_line.strip():
            raise CsvProblem(
                _("The file is empty. Download the template, fill it in and import that.")
            )
        self.delimiter = _sniff_delimiter(header_line)
        if self.delimiter != ",":
            self.notes.append(
                _("The columns are separated by %(delimiter)s, not commas: read as such.")
                % {"delimiter": _(DELIMITER_NAMES[self.delimiter])}
            )
        text, reader = self._reader()
        try:
            self.headers = [cell.strip() for cell in next(reader)]
            width = len(self.headers)
            for number, cells in enumerate(reader, start=2):
                if not any(cell.strip() for cell in cells):
                    continue
                if len(cells) != width:
                    self._ragged(number, len(cells), width)
                self.formula_cells += sum(
                    1 for c in cells if c.startswith(FORMULA_STARTS) and c.strip() != "-"
                )
                self.total += 1
        except csv.Error as error:
            raise CsvProblem(
                _("Row %(row)s cannot be read as CSV (%(error)s). Check its quotes.")
                % {"row": reader.line_num, "error": error}
            ) from None
        finally:
            text.detach()
        self._check_headers()
        if len(self.problems) > MAX_REPORTED:
            more = len(self.problems) - MAX_REPORTED
            self.problems = [
                *self.problems[:MAX_REPORTED],
                (None, None, _("…and %(count)d more rows like these.") % {"count": more}),
            ]
        if not self.total:
            raise CsvProblem(
                _("The file has a header row but no rows to import below it.")
                if self.headers
                else _("The file is empty.")
            )
        if self.formula_cells:
            self.notes.append(
                ngettext(
                    "%(count)d cell begins with =, +, - or @. It is imported as text, as "
                    "written, and never run as a formula.",
                    "%(count)d cells begin with =, +, - or @. They are imported as text, as "
                    "written, and never run as formulas.",
                    self.formula_cells,
                )
                % {"count": self.formula_cells}
            )

    def _check_headers(self):
        seen = set()
        for index, header in enumerate(self.headers, start=1):
            if not header:
                self.problems.append(
                    (
                        1,
                        None,
                        _("Column %(number)d has no name in the header row.") % {"number": index},
                    )
                )
            elif header in seen:
                self.problems.append(
                    (1, header, _("The column “%(name)s” appears twice.") % {"name": header})
                )
            seen.add(header)

    def _ragged(self, number, cells, width):
        self.problems.append(
            (
                number,
                None,
                _(
                    "This row has %(cells)d cells but the header has %(width)d columns. "
                    "Check for a missing or extra separator, or a quote left open."
                )
                % {"cells": cells, "width": width},
            )
        )

    def check_columns(self, known):
        """Note the columns the import does not know, which it leaves unread."""
        unknown = [h for h in self.headers if h and h not in known]
        if unknown:
            self.notes.append(
                _("These columns are not part of the template and are not imported: %(names)s.")
                % {"names": ", ".join(unknown)}
            )
        return unknown

    def chunks(self, size=1000):
        """Yield (spreadsheet row number of each row, Dataset) per `size` rows."""
        text, reader = self._reader()
        try:
            next(reader)
            numbers, rows = [], []
            for number, cells in enumerate(reader, start=2):
                if not any(cell.strip() for cell in cells):
                    continue
                numbers.append(number)
                rows.append([unescape_formula(cell) for cell in cells])
                if len(rows) == size:
                    yield numbers, tablib.Dataset(*rows, headers=self.headers)
                    numbers, rows = [], []
            if rows:
                yield numbers, tablib.Dataset(*rows, headers=self.headers)
        finally:
            text.detach()

    def dataset(self):
        """The whole file as one Dataset (for the admin, whose files are small)."""
        numbers, dataset = [], tablib.Dataset(headers=self.headers)
        for chunk_numbers, chunk in self.chunks():
            numbers += chunk_numbers
            for row in chunk:
                dataset.append(row)
        return numbers, dataset


def rows_to_csv(headers, rows):
    """CSV text of `rows`, every cell escaped against formulas, CRLF line ends (RFC 4180)."""
    out = io.StringIO()
    writer = csv.writer(out)
    writer.writerow(headers)
    for row in rows:
        writer.writerow([escape_formula("" if cell is None else str(cell)) for cell in row])
    return out.getvalue()


class MemoriaCSV(base_formats.CSV):
    """django-import-export's CSV format, reading and writing CSV the way `CsvFile` does.

    The admin hands it the uploaded bytes; the Dataset it returns carries the file's notes
    (`dataset.memoria_notes`) and spreadsheet row numbers (`dataset.memoria_rows`) to the
    preview. A file that cannot be read raises CsvProblem, whose message the admin shows.
    """

    def get_title(self):
        return "csv"

    def is_binary(self):
        return True

    def get_read_mode(self):
        return "rb"

    def create_dataset(self, in_stream, **kwargs):
        if isinstance(in_stream, str):
            in_stream = in_stream.encode("utf-8")
        with CsvFile.from_bytes(in_stream) as csv_file:
            if csv_file.problems:
                raise CsvProblem(
                    " ".join(
                        (_("Row %(row)s: ") % {"row": row} if row else "") + str(message)
                        for row, _column, message in csv_file.problems
                    )
                )
            numbers, dataset = csv_file.dataset()
            dataset.memoria_notes = list(csv_file.notes)
            dataset.memoria_rows = numbers
            return dataset

    def export_data(self, dataset, **kwargs):
        return rows_to_csv(dataset.headers, dataset)
