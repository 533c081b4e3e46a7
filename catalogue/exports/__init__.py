"""Standard exports of public records: Dublin Core, EAD3, EAC-CPF and schema.org JSON-LD.

Per-record download views, the API's `exports` links and the OAI-PMH endpoint all name the
formats from `FORMATS`; which record type has which is declared on its model
(`export_formats`). Each builder takes a record as the public may see it
(`record.public_view()` of a record from `.public()`) and reads related records only
through `.public()`. The `_many` builders take a page of records and read each related list
once for the whole page, so a harvest costs the same queries per page whatever its size.
"""

from collections.abc import Callable
from dataclasses import dataclass

from django.utils.translation import gettext_lazy as _
from lxml import etree

from ..models import RECORD_MODELS
from .dc import dublin_core, dublin_core_many
from .eac import eac_cpf, eac_cpf_many
from .ead import ead3, ead3_many


@dataclass(frozen=True)
class Format:
    key: str  # in URL names ("document_ead3") and in models' `export_formats`
    api_name: str  # its name in the API's `exports` links
    filename: str  # the last part of the download's URL
    label: str
    media_type: str
    build: Callable | None = None  # (record, request) -> lxml element; None for JSON-LD
    build_many: Callable | None = None  # (records, request) -> their elements, in order
    # For OAI-PMH: its metadataPrefix, schema and namespace; formats without one are not
    # harvested.
    oai_prefix: str = ""
    oai_schema: str = ""
    oai_namespace: str = ""

    def url_name(self, model):
        return f"{model.record_type}_{self.key}"

    @property
    def models(self):
        """The record types available in this format."""
        return tuple(model for model in RECORD_MODELS if self.key in model.export_formats)


# Dublin Core first: the lowest common format, which every record type has.
FORMATS = {
    fmt.key: fmt
    for fmt in [
        Format(
            "dc",
            "dublin_core",
            "dc.xml",
            _("Dublin Core (XML)"),
            "application/xml",
            dublin_core,
            dublin_core_many,
            "oai_dc",
            "http://www.openarchives.org/OAI/2.0/oai_dc.xsd",
            "http://www.openarchives.org/OAI/2.0/oai_dc/",
        ),
        Format(
            "ead3",
            "ead3",
            "ead3.xml",
            _("EAD3 finding aid (XML)"),
            "application/xml",
            ead3,
            ead3_many,
            "ead3",
            "https://www.loc.gov/ead/ead3.xsd",
            "http://ead3.archivists.org/schema/",
        ),
        Format(
            "eac_cpf",
            "eac_cpf",
            "eac-cpf.xml",
            _("EAC-CPF authority record (XML)"),
            "application/xml",
            eac_cpf,
            eac_cpf_many,
            "eac-cpf",
            "https://eac.staatsbibliothek-berlin.de/schema/cpf.xsd",
            "urn:isbn:1-931666-33-4",
        ),
        Format(
            "jsonld", "json_ld", "schema.jsonld", _("schema.org (JSON-LD)"), "application/ld+json"
        ),
    ]
}


def formats_of(model):
    """The export formats of a record type, each with its URL name for that type."""
    return [
        (fmt, fmt.url_name(model)) for fmt in FORMATS.values() if fmt.key in model.export_formats
    ]


def serialize(element):
    """An export as a UTF-8 document with its XML declaration, indented for people to read."""
    return etree.tostring(element, encoding="UTF-8", xml_declaration=True, pretty_print=True)
