"""Standard exports of public records: Dublin Core, EAD3 and EAC-CPF, as lxml elements.

Per-record download views and the OAI-PMH endpoint both build their XML here. Each function
takes a record as the public may see it (`record.public_view()` of a record from `.public()`)
and reads related records only through `.public()`.
"""

from lxml import etree

from .dc import dublin_core
from .eac import eac_cpf
from .ead import ead3

__all__ = ["dublin_core", "eac_cpf", "ead3", "serialize"]


def serialize(element):
    """An export as a UTF-8 document with its XML declaration, indented for people to read."""
    return etree.tostring(element, encoding="UTF-8", xml_declaration=True, pretty_print=True)
