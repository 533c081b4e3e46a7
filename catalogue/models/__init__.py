"""The catalogue's records and the relationships that tie them.

Documents follow ISAD(G) (archival description), persons and organizations ISAAR(CPF)
(authority records). Every record has a publication status and a stable public identifier;
`Record.objects.public()` is the one rule for what the public may see.
"""

from .authorities import (
    Identifier,
    NameForm,
    Organization,
    OrganizationIdentifier,
    OrganizationName,
    Person,
    PersonIdentifier,
    PersonName,
)
from .base import (
    PUBLIC_ID_ALPHABET,
    DateBounds,
    EDTFField,
    Record,
    RecordQuerySet,
    cites_evidence,
    exactly_one,
    lifted_between,
    new_public_id,
    record_indexes,
    record_permissions,
    start_of_day,
    translations_of,
)
from .cases import (
    Event,
    LegalCase,
)
from .display import attach_translations
from .documents import (
    Document,
)
from .imports import ImportKey, ImportKeyQuerySet
from .languages import (
    CATALOGUE_LANGUAGE,
    Language,
    LanguageManager,
    Localized,
    LocalText,
    language_tag,
)
from .links import DOCUMENT_LINK_TARGETS, CaseLink, DocumentLink
from .merges import Merge, MergeQuerySet
from .registry import BY_NAME, BY_SLUG, RECORD_MODELS, RECORD_TYPES, RecordType
from .relationships import (
    AgentLink,
    CaseParty,
    EventParticipant,
    Membership,
    OrganizationRelation,
    Relationship,
    organization_or_none,
    person_or_none,
    record_ends,
)
from .site import AboutText, AboutTextQuerySet
from .system import (
    Announced,
    ApiKey,
    ApiKeyQuerySet,
    ApiKeyUsage,
    SearchChange,
    SearchEntry,
    Tombstone,
    TombstoneQuerySet,
    new_key_prefix,
)
from .translations import (
    DocumentTranslation,
    EventTranslation,
    LegalCaseTranslation,
    OrganizationTranslation,
    PersonTranslation,
    Translation,
)
