"""CSV for the public, safe to open in a spreadsheet. Every CSV the public gets is written here.

A spreadsheet runs a cell that starts with `=`, `+`, `-` or `@` (or with a tab or a carriage
return, which some skip before reading on) as a formula: a description typed as
`=HYPERLINK("http://…")` would become a live link, or worse ("CSV injection"). Such a cell is
written with a single quote in front, as OWASP advises: spreadsheets show it as text, and a
program reading the file sees the quote, not a formula.
"""

import csv

FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")

# Excel reads a UTF-8 file without a byte order mark in the system's legacy code page, so
# "Víctor" would open as "VÃ­ctor"; with the mark every spreadsheet reads it as UTF-8.
BOM = "\ufeff"


def safe_cell(value):
    """The value as CSV text, with a formula's first character made harmless."""
    text = "" if value is None else str(value)
    return f"'{text}" if text.startswith(FORMULA_STARTS) else text


class _Echo:
    """A file-like object that hands back what is written: csv.writer's row as a string."""

    def write(self, value):
        return value


def lines(header, rows, rows_per_chunk=500):
    """The CSV text of a header and rows, in chunks for a streamed response: the first chunk
    starts with the byte order mark and the header, each holds up to `rows_per_chunk` rows."""
    # Every cell quoted, as OWASP advises too: a cell can never spill into its neighbours.
    writer = csv.writer(_Echo(), quoting=csv.QUOTE_ALL)
    chunk = [BOM, writer.writerow([safe_cell(cell) for cell in header])]
    for row in rows:
        chunk.append(writer.writerow([safe_cell(cell) for cell in row]))
        if len(chunk) >= rows_per_chunk:
            yield "".join(chunk)
            chunk = []
    if chunk:
        yield "".join(chunk)
