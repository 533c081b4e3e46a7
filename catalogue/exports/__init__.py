"""Standard exports of public records: Dublin Core, EAD3 and EAC-CPF, as lxml elements.

Per-record download views and the OAI-PMH endpoint both build their XML here. Each function
takes a record as the public may see it (`record.public_view()` of a record from `.public()`)
and reads related records only through `.public()`. The `_many` functions take a page of
records and read each related list once for the whole page, so a harvest costs the same
queries per page whatever its size.
"""

from lxml import etree

from .dc import dublin_core, dublin_core_many
from .eac import eac_cpf, eac_cpf_many
from .ead import ead3, ead3_many

__all__ = [
    "dublin_core",
    "dublin_core_many",
    "eac_cpf",
    "eac_cpf_many",
    "ead3",
    "ead3_many",
    "serialize",
]


def serialize(element):
    """An export as a UTF-8 document with its XML declaration, indented for people to read."""
    return etree.tostring(element, encoding="UTF-8", xml_declaration=True, pretty_print=True)
