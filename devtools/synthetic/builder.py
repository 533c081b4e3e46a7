"""The builder: plans a catalogue of N documents and writes it, record type by record type.

Every record is marked as synthetic in its sources and archivist's note. Text is half Spanish,
half English, built from templates whose slots draw from vocabularies with Zipf-like weights: a
few places, topics and names recur in many records, most appear in few.
"""

import itertools
import random
import time
from concurrent.futures import ProcessPoolExecutor
from dataclasses import dataclass, field

from django.conf import settings
from django.db import transaction

from catalogue import edtf
from catalogue.models import (
    PUBLIC_ID_ALPHABET,
    RECORD_MODELS,
    CaseLink,
    CaseParty,
    Document,
    DocumentLink,
    Event,
    EventParticipant,
    Language,
    LegalCase,
    Membership,
    Organization,
    OrganizationIdentifier,
    OrganizationName,
    OrganizationRelation,
    Person,
    PersonIdentifier,
    PersonName,
)

from .agents import AgentsMixin
from .documents import DocumentsMixin
from .events_and_cases import EventsAndCasesMixin
from .sampling import Weighted, Zipf, invented_surnames
from .vocabulary import (
    ADJECTIVES,
    COMMON_SHARE,
    CORE_ORGANIZATIONS,
    DOCUMENT_KIND_WEIGHTS,
    FIRST_NAMES,
    NEWSPAPERS,
    PHRASE_SHARE,
    PLACES,
    RARE_COUNT,
    STATUS_WEIGHTS,
    SURNAMES,
    SYNTHETIC_NOTE,
    SYNTHETIC_SOURCE,
    TOPICS,
)


class Dates:
    """EDTF strings and their bounds, parsed once each by catalogue.edtf like save() does."""

    PARALLEL_FROM = 50  # parsing takes ~10 ms a string: share bigger sets between the cores
    bounds = {}  # shared by every run in this process: parsing a string always gives the same

    def prefetch(self, texts):
        todo = sorted({text for text in texts if text not in self.bounds})
        if len(todo) >= self.PARALLEL_FROM:
            with ProcessPoolExecutor() as pool:
                parsed = list(pool.map(edtf.parse, todo, chunksize=25))
        else:
            parsed = [edtf.parse(text) for text in todo]
        self.bounds.update(zip(todo, parsed, strict=True))

    def __getitem__(self, text):
        if text not in self.bounds:
            self.bounds[text] = edtf.parse(text)
        return self.bounds[text]


@dataclass
class Plan:
    """How many records of each type to make for a catalogue of n_documents."""

    n_documents: int
    n_fonds: int = field(init=False)
    n_series: int = field(init=False)
    n_persons: int = field(init=False)
    n_organizations: int = field(init=False)
    n_cases: int = field(init=False)
    n_events: int = field(init=False)

    def __post_init__(self):
        n = self.n_documents
        self.n_fonds = min(n, max(1, min(12, 2 + n // 10000)))
        self.n_series = min(n - self.n_fonds, max(2 * self.n_fonds, n // 400))
        self.n_persons = max(10, n // 20)
        self.n_organizations = max(len(CORE_ORGANIZATIONS), n // 200)
        self.n_cases = max(3, n // 100)
        self.n_events = max(3, n // 200)

    @property
    def n_items(self):
        return self.n_documents - self.n_fonds - self.n_series


def clear_catalogue():
    """Delete every catalogue record, leaves first, so no PROTECT or cascade slows it."""
    with transaction.atomic():
        for model in (
            DocumentLink,
            Document.languages.through,
            CaseParty,
            CaseLink,
            LegalCase.events.through,
            EventParticipant,
            Membership,
            OrganizationRelation,
            PersonName,
            OrganizationName,
            PersonIdentifier,
            OrganizationIdentifier,
        ):
            model.objects.all().delete()
        Document.objects.exclude(parent=None).update(parent=None)
        for model in (Document, LegalCase, Event, Person, Organization):
            model.objects.all().delete()


# Each record type's steps live in a mixin of its own module, so that each reads in one sitting.
# They share this builder's state, above all its random stream: the order of its draws is what
# makes a seed give the same catalogue.
class CatalogueBuilder(AgentsMixin, EventsAndCasesMixin, DocumentsMixin):
    def __init__(self, n_documents, seed, batch_size=2000, progress=print):
        self.plan = Plan(n_documents)
        self.seed = seed
        self.rng = random.Random(seed)
        # Public ids have their own stream: skipping ids already taken must not change the text.
        self.id_rng = random.Random(f"{seed}-public-ids")
        self.batch_size = batch_size
        self.progress = progress
        self.started = time.perf_counter()
        self.dates = Dates()
        self.counts = {}
        self.sources = SYNTHETIC_SOURCE.format(seed=seed)

    # Helpers

    def say(self, message):
        self.progress(f"[{time.perf_counter() - self.started:6.1f} s] {message}")

    def bulk(self, model, objects):
        created = model.objects.bulk_create(objects, batch_size=self.batch_size)
        name = model._meta.verbose_name_plural
        self.counts[name] = self.counts.get(name, 0) + len(created)
        return created

    def public_id(self):
        while True:
            value = "".join(self.id_rng.choices(PUBLIC_ID_ALPHABET, k=10))
            if value not in self.used_public_ids:
                self.used_public_ids.add(value)
                return value

    def status(self):
        return self.statuses(self.rng)

    def record_fields(self, **values):
        return {
            "public_id": self.public_id(),
            "status": self.status(),
            "sources": self.sources,
            "archivist_note": SYNTHETIC_NOTE,
            **values,
        }

    def year(self, start=1975, end=2012):
        # Most material is from the years of the conflict, around 1990.
        while True:
            year = round(self.rng.gauss(1991, 7))
            if start <= year <= end:
                return year

    def point_date(self, year):
        """A day, month, year, approximate or uncertain year, or a short interval."""
        rng, form = self.rng, self.rng.random()
        if form < 0.45:
            return rng.choice(self.key_days[year])
        if form < 0.70:
            return rng.choice(self.key_months[year])
        if form < 0.85:
            return str(year)
        if form < 0.90:
            return f"{year}~"
        if form < 0.93:
            return f"{year}?"
        if form < 0.96:
            return rng.choice(("{0}-01/{0}-06", "{0}-07/{0}-12", "{0}-03/{0}-09")).format(year)
        return f"{year}/{year + rng.randint(1, 3)}"

    def draw_slot(self, lang):
        rng = self.rng

        def draw(key):
            base = key.rstrip("0123456789")
            if base == "place":
                return self.places(rng)
            if base in ("topic", "Topic"):
                topic = self.topics[lang](rng)
                return topic[0].upper() + topic[1:] if base == "Topic" else topic
            if base in ("adj", "Adj"):
                adjective = self.adjectives[lang](rng)
                return adjective.capitalize() if base == "Adj" else adjective
            if base == "person":
                return self.persons_zipf(rng).name
            if base == "org":
                return self.organizations_zipf(rng).name
            if base == "year":
                return str(self.year())
            if base == "count":
                return str(rng.randint(2, 200))
            if base == "number":
                return str(rng.randint(19000, 29000))
            if base == "newspaper":
                return self.newspapers(rng)
            if base == "first":
                return self.first_names(rng)
            if base == "surname":
                return self.surnames(rng)
            if base == "case":
                return self.cases_zipf(rng)[1] if self.cases else ""
            if base == "event":
                return self.events_zipf(rng)[1] if self.events else ""
            raise KeyError(key)

        return draw

    # Build

    def build(self):
        self.say(
            f"Generating {self.plan.n_documents} documents (seed {self.seed}): "
            f"{self.plan.n_fonds} fonds, {self.plan.n_series} series, {self.plan.n_items} items."
        )
        self.prepare()
        with transaction.atomic():
            self.build_organizations()
            self.build_persons()
            self.build_events()
            self.build_cases()
        self.build_documents()
        self.say("Done: " + ", ".join(f"{n} {name}" for name, n in self.counts.items()) + ".")
        return self.counts

    def prepare(self):
        rng = self.rng
        self.statuses = Weighted(STATUS_WEIGHTS)
        self.places = Zipf(PLACES)
        self.topics = {lang: Zipf(TOPICS[lang], 0.9) for lang in TOPICS}
        self.adjectives = {lang: Zipf(ADJECTIVES[lang]) for lang in ADJECTIVES}
        self.first_names = Zipf(FIRST_NAMES, 0.8)
        tail = invented_surnames(rng, max(50, self.plan.n_persons // 5))
        self.surnames = Zipf(SURNAMES + tail, 1.05)
        self.newspapers = Zipf(NEWSPAPERS)
        self.kinds = Weighted(DOCUMENT_KIND_WEIGHTS)
        self.languages = dict(
            Language.objects.filter(code__in=["spa", "eng"]).values_list("code", "pk")
        )
        missing = {"spa", "eng"} - set(self.languages)
        if missing:
            raise LookupError(f"Languages {sorted(missing)} are missing; run migrate first.")

        self.used_public_ids = set()
        for model in RECORD_MODELS:
            self.used_public_ids.update(model.objects.values_list("public_id", flat=True))
        base = f"{settings.MEMORIA_REPOSITORY_CODE}-SYN"
        self.prefix = base
        for run in itertools.count(2):
            if not Document.objects.filter(reference_code__startswith=f"{self.prefix}-").exists():
                break
            self.prefix = f"{base}{run}"

        # A few days and months a year recur, as those of major events do in real collections.
        # Small catalogues get fewer: each distinct date costs ~10 ms to parse.
        days = max(2, min(10, self.plan.n_documents // 10000))
        months = max(3, min(12, self.plan.n_documents // 2000))
        self.key_days, self.key_months = {}, {}
        for year in range(1900, 2030):
            self.key_days[year] = [
                f"{year}-{rng.randint(1, 12):02d}-{rng.randint(1, 28):02d}" for _ in range(days)
            ]
            self.key_months[year] = [
                f"{year}-{month:02d}" for month in sorted(rng.sample(range(1, 13), months))
            ]

        n = self.plan.n_documents
        indexes = range(n)
        self.common_docs = set(rng.sample(indexes, round(n * COMMON_SHARE)))
        self.phrase_docs = set(rng.sample(indexes, max(1, round(n * PHRASE_SHARE))))
        self.rare_docs = set(rng.sample(indexes, min(RARE_COUNT, n)))
