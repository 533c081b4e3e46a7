"""A synthetic catalogue for load tests and benchmarks (`manage.py generate_catalogue`).

Every record is marked as synthetic in its sources and archivist's note. Names of persons,
armed groups, parties and newspapers are invented; places are real Peruvian places.

Text is half Spanish, half English, built from templates whose slots draw from vocabularies
with Zipf-like weights: a few places, topics and names recur in many records, most appear in
few. The benchmark terms below appear only where this module puts them (in a document's title
or scope and content), so their share of documents is known exactly.
"""

import bisect
import itertools
import random
import time
from concurrent.futures import ProcessPoolExecutor
from dataclasses import dataclass, field

from django.conf import settings
from django.db import transaction

from . import edtf
from .models import (
    PUBLIC_ID_ALPHABET,
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
    Record,
)

# The benchmark's search terms. `manage.py benchmark` imports them.
COMMON_TERM = "tribunal"  # a word in COMMON_SHARE of documents
COMMON_SHARE = 0.20
PHRASE_TERM = "comisión de la verdad"  # a phrase in PHRASE_SHARE of documents
PHRASE_SHARE = 0.015
RARE_TERM = "Tiksihuallpa"  # an invented surname, in RARE_COUNT documents at any size
RARE_COUNT = 12

SYNTHETIC_SOURCE = "Synthetic record made by manage.py generate_catalogue (seed {seed})."
SYNTHETIC_NOTE = (
    "Synthetic test data for load tests and benchmarks; not a description of real material."
)

Kind = Document.Kind
Org = Organization.Kind

STATUS_WEIGHTS = {
    Record.Status.PUBLISHED: 90,
    Record.Status.DRAFT: 6,
    Record.Status.WITHDRAWN: 4,
}


def entries(text):
    """The entries of a `;`-separated list, which may wrap across lines."""
    return [" ".join(entry.split()) for entry in text.split(";")]


# Vocabularies, most frequent first: Zipf weights follow the order.

PLACES = entries(
    """
    Lima; Ayacucho; Huancayo; Junín; Cusco; Puno; Huánuco; Apurímac; Huancavelica; Callao; San
    Martín; Tarapoto; Huanta; Andahuaylas; Tingo María; Pucallpa; Satipo; La Oroya; Chimbote;
    Trujillo; Arequipa; Iquitos; Abancay; Cajamarca; Piura; Chiclayo; Tacna; Huaraz; Moyobamba;
    Juanjuí; Cangallo; La Mar; Vilcashuamán; Uchuraccay; Accomarca; Putis; Cayara; Chuschi;
    Lucanamarca; Soras; Tocache; Aucayacu; Uchiza; Pichanaki; Oxapampa; Molinos; Yanahuanca;
    Villa El Salvador; San Juan de Lurigancho; Canto Grande; Chosica; Ate; Comas; Barrios Altos;
    La Cantuta; Jauja; Tarma; Concepción; Pampas; Lircay; Querobamba; Chungui; Santa Rosa;
    Llochegua; Pichari; Sivia; Río Tambo; Puerto Ocopa; Ene; Mantaro; Ocobamba; Totos;
    Sacsamarca
"""
)

TOPICS = {
    "es": entries(
        """
        derechos humanos; desaparición forzada; detención arbitraria; violencia política;
        tortura; ejecución extrajudicial; reparaciones; desplazamiento forzado; terrorismo;
        estado de emergencia; secuestro; toma de rehenes; juicio oral; debido proceso; amnistía;
        indulto; extradición; libertad de prensa; fosas comunes; exhumaciones; memoria
        histórica; reconciliación; comunidades campesinas; rondas campesinas; prisión
        preventiva; justicia militar; hábeas corpus; condiciones carcelarias; huelga de hambre;
        violencia sexual; reclutamiento forzado; niños desaparecidos; búsqueda de personas;
        identificación de restos; paro armado; atentado con explosivos; cautiverio;
        requisitorias; arrepentimiento; penal de máxima seguridad; jueces sin rostro; defensa
        legal; libertad condicional; control de identidad; toque de queda
    """
    ),
    "en": entries(
        """
        human rights; enforced disappearance; arbitrary detention; political violence; torture;
        extrajudicial execution; reparations; forced displacement; terrorism charges; state of
        emergency; kidnapping; hostage-taking; oral trial; due process; amnesty laws; pardons;
        extradition; press freedom; mass graves; exhumations; historical memory; reconciliation;
        peasant communities; self-defence patrols; pre-trial detention; military justice; habeas
        corpus; prison conditions; hunger strikes; sexual violence; forced recruitment;
        disappeared children; searches for the missing; identification of remains; armed
        strikes; bombings; captivity; arrest warrants; repentance law; maximum-security prisons;
        faceless judges; legal defence; parole; identity checks; curfews
    """
    ),
}

ADJECTIVES = {
    "es": entries(
        """
        preliminar; final; confidencial; parcial; ampliatorio; anual; especial; reservado;
        complementario; urgente; inédito; breve; detallado; provisional
    """
    ),
    "en": entries(
        """
        preliminary; final; confidential; partial; supplementary; annual; special; restricted;
        follow-up; urgent; unpublished; brief; detailed; interim
    """
    ),
}

FIRST_NAMES = entries(
    """
    María; José; Juan; Rosa; Carlos; Luis; Ana; Jorge; Carmen; Víctor; Elena; Julio; Teresa;
    Miguel; Lucía; Pedro; Marta; Alberto; Gloria; Raúl; Sofía; Ernesto; Isabel; Óscar; Angélica;
    Hugo; Norma; Fidel; Yolanda; Abimael; Celestino; Nélida; Efraín; Maximiliana; Teodoro;
    Leonor; Saturnino; Edith; Wilfredo; Rocío; Guillermo; Pilar; Andrés; Zenón; Felícitas;
    Esteban; Inés; Marcelino; Olga; Dionisio; Sabina; Ramiro; Hilda; Timoteo; Justina; Néstor;
    Eulogia; Valentín; Graciela
"""
)

SURNAMES = entries(
    """
    Quispe; Huamán; Mamani; García; Flores; Rojas; Sánchez; Gutiérrez; Torres; Ramírez; Chávez;
    Mendoza; Vargas; Castillo; Cárdenas; Pérez; Ccori; Condori; Apaza; Yupanqui; Huarcaya;
    Palomino; Ayala; Gálvez; Salazar; Paredes; Espinoza; Cisneros; Villanueva; Zúñiga; Oré;
    Tineo; Pariona; Huaccha; Cusi; Ñaupari; Llamocca; Achata; Taipe; Chuchón; Morote; Cuadros;
    Aronés; Barboza; Ochoa; Infante; Valdivia; Bendezú
"""
)

# Syllables of an invented long tail of surnames; none can spell RARE_TERM.
SYLLABLES = entries(
    """
    qui; spe; hua; man; cca; llo; cco; ta; pa; cha; may; ri; pu; ma; ya; col; quis; wa; ñau;
    sun; chu; ccon; ro; la; cu; sa; pi; ña; lle; ra; yau; tin; co; huay; ni
"""
)

NICKNAMES = entries(
    """
    Rolando; Gaviota; Cóndor; Puma; Clara; Lucero; Sombra; Rayo; Feliciano; Alcón; Ruperto;
    Nube; Cristal; Tigre; Zorro; Roca; Trueno; Estrella
"""
)

NEWSPAPERS = [
    "Diario El Mirador",
    "La Crónica Andina",
    "Semanario Horizonte",
    "Diario La Voz del Sur",
    "The Andean Monitor",
    "Revista Testimonio",
    "Lima Weekly Herald",
    "El Observador Regional",
]

MILITARY_COURT = "Consejo Supremo de Justicia Militar"
# Courts and states are published whatever the draw, so every public case can name its court.
DECIDED_STATES = (
    LegalCase.CaseStatus.DECIDED,
    LegalCase.CaseStatus.ANNULLED,
    LegalCase.CaseStatus.CLOSED,
)
PUBLIC_KINDS = (Org.COURT, Org.STATE, Org.INTERNATIONAL_BODY)

# (name, acronym, kind, country) of the bodies every synthetic catalogue needs: courts for
# its cases, a respondent state, prosecutors.
CORE_ORGANIZATIONS = [
    ("Corte Suprema de Justicia de la República", "", Org.COURT, "PE"),
    ("Sala Penal Nacional", "SPN", Org.COURT, "PE"),
    ("Corte Superior de Justicia de Lima", "", Org.COURT, "PE"),
    (MILITARY_COURT, "CSJM", Org.COURT, "PE"),
    ("Corte Interamericana de Derechos Humanos", "Corte IDH", Org.INTERNATIONAL_BODY, ""),
    ("Comisión Interamericana de Derechos Humanos", "CIDH", Org.INTERNATIONAL_BODY, ""),
    ("Comité de Derechos Humanos de las Naciones Unidas", "", Org.INTERNATIONAL_BODY, ""),
    ("Estado peruano", "", Org.STATE, "PE"),
    ("Ministerio Público – Fiscalía de la Nación", "", Org.STATE_AGENCY, "PE"),
    ("Defensoría del Pueblo", "", Org.STATE_AGENCY, "PE"),
    ("Ministerio del Interior", "", Org.GOVERNMENT, "PE"),
    ("Policía Nacional del Perú", "PNP", Org.ARMED_FORCES, "PE"),
    ("Ejército del Perú", "", Org.ARMED_FORCES, "PE"),
    ("Frente Revolucionario del Sur", "FRS", Org.ARMED_GROUP, "PE"),
    ("Movimiento Armado Campesino", "MAC", Org.ARMED_GROUP, "PE"),
    ("Partido Democrático Andino", "PDA", Org.POLITICAL_PARTY, "PE"),
    ("Asociación de Familiares de Desaparecidos", "AFADE", Org.CIVIL_SOCIETY, "PE"),
    ("Comisión Especial de Esclarecimiento Histórico", "CEEH", Org.TRUTH_COMMISSION, "PE"),
    ("Diario El Mirador", "", Org.MEDIA, "PE"),
    ("Museo de la Memoria de Ayacucho", "", Org.CULTURAL_INSTITUTION, "PE"),
]

# Patterns for the rest, each filled with a place.
ORGANIZATION_PATTERNS = [
    ("Juzgado Penal de {place}", Org.COURT),
    ("Corte Superior de Justicia de {place}", Org.COURT),
    ("Fiscalía Provincial de {place}", Org.STATE_AGENCY),
    ("Coordinadora de Derechos Humanos de {place}", Org.CIVIL_SOCIETY),
    ("Asociación de Familiares de Detenidos de {place}", Org.CIVIL_SOCIETY),
    ("Comité de Autodefensa de {place}", Org.OTHER),
    ("Federación Campesina de {place}", Org.CIVIL_SOCIETY),
    ("Frente Popular de {place}", Org.POLITICAL_PARTY),
    ("Comando Político-Militar de {place}", Org.ARMED_FORCES),
    ("Destacamento Armado de {place}", Org.ARMED_GROUP),
    ("Universidad Nacional de {place}", Org.CULTURAL_INSTITUTION),
    ("Radio {place}", Org.MEDIA),
    ("Prefectura de {place}", Org.GOVERNMENT),
    ("Comisaría de {place}", Org.ARMED_FORCES),
    ("Parroquia de {place}", Org.CIVIL_SOCIETY),
]

# Titles by document type, in each language.
TITLES = {
    "es": {
        Kind.REPORT: [
            "Informe {adj} sobre {topic} en {place}",
            "Informe de {org} sobre {topic}",
            "Informe {adj} de la misión a {place}",
        ],
        Kind.JUDGMENT: [
            "Sentencia en el proceso por {topic} ({place})",
            "Sentencia contra {person}",
            "Resolución sobre {topic} en el caso «{case}»",
        ],
        Kind.LEGAL_FILING: [
            "Denuncia por {topic} en {place}",
            "Recurso de hábeas corpus a favor de {person}",
            "Escrito de la defensa de {person}",
        ],
        Kind.LEGISLATION: [
            "Decreto Legislativo N.º {number} sobre {topic}",
            "Ley N.º {number}: {topic}",
        ],
        Kind.STATEMENT: [
            "Comunicado de {org} sobre {topic}",
            "Pronunciamiento de {org} ante los hechos de {place}",
        ],
        Kind.TESTIMONY: [
            "Testimonio de {person} sobre {topic}",
            "Declaración de {person} en {place}",
        ],
        Kind.NEWS_ARTICLE: [
            "{newspaper}: denuncian {topic} en {place}",
            "{newspaper}: capturan a {person} en {place}",
            "{newspaper}: familiares piden justicia por {topic}",
        ],
        Kind.LETTER: [
            "Carta de {person} a {org}",
            "Carta de {org} sobre la situación de {person}",
        ],
        Kind.PHOTOGRAPH: [
            "Fotografía: {event}",
            "Fotografía de {person} en {place}",
        ],
        Kind.AUDIOVISUAL: [
            "Grabación de la audiencia sobre {topic}",
            "Entrevista a {person} en {place}",
        ],
        Kind.BOOK: ["{Topic} en {place}: memoria y justicia", "Crónica de {topic} en {place}"],
        Kind.WEB_PAGE: ["Página de {org} sobre {topic}", "Cronología de {topic} en {place}"],
        Kind.OTHER: ["Documentos sobre {topic} en {place}"],
    },
    "en": {
        Kind.REPORT: [
            "{Adj} report on {topic} in {place}",
            "Report by {org} on {topic}",
            "{Adj} report of the mission to {place}",
        ],
        Kind.JUDGMENT: [
            "Judgment in the trial for {topic} ({place})",
            "Judgment against {person}",
            "Ruling on {topic} in the case “{case}”",
        ],
        Kind.LEGAL_FILING: [
            "Complaint about {topic} in {place}",
            "Habeas corpus petition on behalf of {person}",
            "Defence brief for {person}",
        ],
        Kind.LEGISLATION: [
            "Legislative Decree No. {number} on {topic}",
            "Law No. {number}: {topic}",
        ],
        Kind.STATEMENT: [
            "Statement by {org} on {topic}",
            "Public statement by {org} on the events in {place}",
        ],
        Kind.TESTIMONY: [
            "Testimony of {person} on {topic}",
            "Statement given by {person} in {place}",
        ],
        Kind.NEWS_ARTICLE: [
            "{newspaper}: {topic} reported in {place}",
            "{newspaper}: {person} arrested in {place}",
            "{newspaper}: families demand justice over {topic}",
        ],
        Kind.LETTER: [
            "Letter from {person} to {org}",
            "Letter from {org} about the situation of {person}",
        ],
        Kind.PHOTOGRAPH: ["Photograph: {event}", "Photograph of {person} in {place}"],
        Kind.AUDIOVISUAL: [
            "Recording of the hearing on {topic}",
            "Interview with {person} in {place}",
        ],
        Kind.BOOK: ["{Topic} in {place}: memory and justice", "A chronicle of {topic} in {place}"],
        Kind.WEB_PAGE: ["Web page of {org} on {topic}", "Timeline of {topic} in {place}"],
        Kind.OTHER: ["Papers on {topic} in {place}"],
    },
}

SCOPE_SENTENCES = {
    "es": [
        "Documenta hechos de {topic} en {place} durante {year}.",
        "Incluye declaraciones de {person} y de representantes de {org}.",
        "Se refiere a las investigaciones de {org} sobre {topic}.",
        "Varios de sus {pages} folios llevan anotaciones manuscritas.",
        "Menciona a {person}, {person2} y otras personas detenidas en {place}.",
        "Describe la situación de las comunidades de {place2} tras los hechos de {year}.",
        "La comisión investigadora del Congreso solicitó copias de este expediente en {year2}.",
        "Los familiares exigieron conocer la verdad sobre lo ocurrido en {place}.",
        "Forma parte de la documentación reunida por {org} sobre {topic2}.",
        "Registra las gestiones de {org} ante las autoridades de {place2}.",
        "El documento alude también a {topic2} y a {topic3}.",
        "Incluye una lista de {count} personas desaparecidas en {place2}.",
        "Recoge la versión de {person2} sobre los hechos.",
        "Conserva sellos y firmas de las autoridades de {place}.",
    ],
    "en": [
        "Documents {topic} in {place} during {year}.",
        "Includes statements by {person} and by representatives of {org}.",
        "Concerns the investigations of {org} into {topic}.",
        "Several of its {pages} leaves bear handwritten notes.",
        "Names {person}, {person2} and others detained in {place}.",
        "Describes the situation of the communities of {place2} after the events of {year}.",
        "A congressional commission of inquiry requested copies of this file in {year2}.",
        "The families demanded to know the truth about what happened in {place}.",
        "Part of the papers gathered by {org} on {topic2}.",
        "Records the steps taken by {org} before the authorities of {place2}.",
        "Also refers to {topic2} and {topic3}.",
        "Includes a list of {count} persons missing in {place2}.",
        "Gives the account of {person2} of the events.",
        "Bears the stamps and signatures of the authorities of {place}.",
    ],
}

CASE_SENTENCES = {
    "es": ["Forma parte del expediente del caso «{case}».", "Relacionado con el caso «{case}»."],
    "en": ["Part of the record of the case “{case}”.", "Related to the case “{case}”."],
}
EVENT_SENTENCES = {
    "es": ["Se refiere a los hechos «{event}».", "Contiene información sobre «{event}»."],
    "en": ["Concerns the events known as “{event}”.", "Contains information on “{event}”."],
}

# The benchmark terms, in sentences of their own.
COMMON_SENTENCES = {
    "es": [
        "El tribunal ordenó la reapertura de la investigación sobre {topic}.",
        "Ante el tribunal, {person} negó los cargos.",
        "El tribunal de {place} dictó sentencia en {year2}.",
    ],
    "en": [
        "The tribunal ordered the investigation into {topic} to be reopened.",
        "Before the tribunal, {person} denied the charges.",
        "The tribunal in {place} gave judgment in {year2}.",
    ],
}
PHRASE_SENTENCES = {
    "es": [
        "Copia entregada a la Comisión de la Verdad y Reconciliación en {year2}.",
        "Citado en el informe final de la Comisión de la Verdad.",
        "La Comisión de la Verdad recogió este testimonio en {place}.",
    ],
    "en": [
        "A copy was given to Peru's Comisión de la Verdad y Reconciliación in {year2}.",
        "Cited in the final report of the Comisión de la Verdad.",
        "The Comisión de la Verdad took this testimony in {place}.",
    ],
}
RARE_SENTENCES = {
    "es": ["Incluye el testimonio de {first} " + RARE_TERM + ", vecina de {place}."],
    "en": ["Includes the testimony of {first} " + RARE_TERM + ", a resident of {place}."],
}

EXTENT = {
    "es": {
        Kind.REPORT: "1 informe, {pages} páginas",
        Kind.JUDGMENT: "1 sentencia, {pages} páginas",
        Kind.LEGAL_FILING: "1 escrito, {pages} folios",
        Kind.LEGISLATION: "1 norma, {pages} páginas",
        Kind.STATEMENT: "1 comunicado, {pages} páginas",
        Kind.TESTIMONY: "1 testimonio, {pages} folios",
        Kind.NEWS_ARTICLE: "1 artículo de prensa",
        Kind.LETTER: "1 carta, {pages} folios",
        Kind.PHOTOGRAPH: "1 fotografía en blanco y negro",
        Kind.AUDIOVISUAL: "1 grabación de audio, {pages} minutos",
        Kind.BOOK: "1 libro, {pages} páginas",
        Kind.WEB_PAGE: "1 página web",
        Kind.OTHER: "{pages} folios",
    },
    "en": {
        Kind.REPORT: "1 report, {pages} pages",
        Kind.JUDGMENT: "1 judgment, {pages} pages",
        Kind.LEGAL_FILING: "1 filing, {pages} leaves",
        Kind.LEGISLATION: "1 law, {pages} pages",
        Kind.STATEMENT: "1 statement, {pages} pages",
        Kind.TESTIMONY: "1 testimony, {pages} leaves",
        Kind.NEWS_ARTICLE: "1 news article",
        Kind.LETTER: "1 letter, {pages} leaves",
        Kind.PHOTOGRAPH: "1 black-and-white photograph",
        Kind.AUDIOVISUAL: "1 audio recording, {pages} minutes",
        Kind.BOOK: "1 book, {pages} pages",
        Kind.WEB_PAGE: "1 web page",
        Kind.OTHER: "{pages} leaves",
    },
}

DOCUMENT_KIND_WEIGHTS = {
    Kind.NEWS_ARTICLE: 20,
    Kind.REPORT: 15,
    Kind.LEGAL_FILING: 10,
    Kind.TESTIMONY: 10,
    Kind.JUDGMENT: 8,
    Kind.STATEMENT: 8,
    Kind.LETTER: 8,
    Kind.PHOTOGRAPH: 8,
    Kind.AUDIOVISUAL: 4,
    Kind.LEGISLATION: 3,
    Kind.WEB_PAGE: 3,
    Kind.BOOK: 2,
    Kind.OTHER: 1,
}

# Series of a fonds: (Spanish title, English title, the kind most of their items have).
SERIES = [
    ("Recortes de prensa", "Press cuttings", Kind.NEWS_ARTICLE),
    ("Expedientes judiciales", "Court files", Kind.JUDGMENT),
    ("Denuncias y escritos", "Complaints and filings", Kind.LEGAL_FILING),
    ("Informes", "Reports", Kind.REPORT),
    ("Testimonios", "Testimonies", Kind.TESTIMONY),
    ("Correspondencia", "Correspondence", Kind.LETTER),
    ("Comunicados", "Public statements", Kind.STATEMENT),
    ("Fotografías", "Photographs", Kind.PHOTOGRAPH),
    ("Grabaciones", "Recordings", Kind.AUDIOVISUAL),
    ("Normas y decretos", "Laws and decrees", Kind.LEGISLATION),
]

EVENT_PATTERNS = {
    Event.Kind.KILLING: "Masacre de {place}",
    Event.Kind.HOSTAGE_TAKING: "Toma de rehenes en {place}",
    Event.Kind.ARREST: "Captura de {person} en {place}",
    Event.Kind.ESCAPE: "Fuga del penal de {place}",
    Event.Kind.ARMED_ACTION: "Atentado en {place}",
    Event.Kind.MILITARY_OPERATION: "Operativo militar en {place}",
    Event.Kind.POLITICAL: "Marcha por la paz en {place}",
    Event.Kind.FOUNDING: "Fundación del comité de {place}",
    Event.Kind.PUBLICATION: "Presentación del informe sobre {topic} en {place}",
    Event.Kind.OTHER: "Desplazamiento de familias de {place}",
}

CASE_PATTERNS = {
    LegalCase.Kind.CRIMINAL: "Proceso penal contra {person} por {topic}",
    LegalCase.Kind.HUMAN_RIGHTS: "Caso {surname} y otros vs. Perú",
    LegalCase.Kind.CONSTITUTIONAL: "Hábeas corpus de {person}",
    LegalCase.Kind.EXTRADITION: "Extradición de {person}",
    LegalCase.Kind.CIVIL: "Demanda de reparación de la familia {surname}",
}


class Zipf:
    """Draws items with weights 1/rank**exponent: the first items often, the last rarely."""

    def __init__(self, items, exponent=1.0):
        self.items = list(items)
        self.cumulative = list(
            itertools.accumulate(1 / rank**exponent for rank in range(1, len(self.items) + 1))
        )

    def __call__(self, rng):
        index = bisect.bisect(self.cumulative, rng.random() * self.cumulative[-1])
        return self.items[min(index, len(self.items) - 1)]


class Weighted(Zipf):
    def __init__(self, weights):
        self.items = list(weights)
        self.cumulative = list(itertools.accumulate(weights.values()))


def invented_surnames(rng, count):
    """A long tail of plausible Andean surnames, none of them a benchmark term."""
    names, seen = [], set(SURNAMES)
    while len(names) < count:
        word = "".join(rng.choice(SYLLABLES) for _ in range(rng.choice((2, 3, 3, 4))))
        word = word.capitalize()
        if word not in seen and RARE_TERM.lower() not in word.lower():
            seen.add(word)
            names.append(word)
    return names


class Slots(dict):
    """Template slots; a slot the record has not fixed is drawn when a template asks for it."""

    def __init__(self, draw, **fixed):
        super().__init__(fixed)
        self.draw = draw

    def __missing__(self, key):
        value = self[key] = self.draw(key)
        return value


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
class Agent:
    kind: str  # "person" or "organization"
    pk: int
    name: str


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


class CatalogueBuilder:
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
        for model in (Document, Person, Organization, LegalCase, Event):
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

    def build_organizations(self):
        rng, plan = self.rng, self.plan
        specs = list(CORE_ORGANIZATIONS)
        candidates = [
            (pattern.format(place=place), kind)
            for place in PLACES
            for pattern, kind in ORGANIZATION_PATTERNS
        ]
        rng.shuffle(candidates)
        extra = plan.n_organizations - len(specs)
        for number, (name, kind) in enumerate(itertools.islice(itertools.cycle(candidates), extra)):
            round_ = number // len(candidates)
            specs.append((f"{name} ({round_ + 1})" if round_ else name, "", kind, "PE"))

        dates = []
        for _ in specs:
            start = self.year(1900, 2005)
            end = rng.choice(["..", "..", "", str(start + rng.randint(2, 20))])
            dates.append(f"{start}~/{end}" if rng.random() < 0.3 else f"{start}/{end}")
        self.dates.prefetch(dates)

        organizations = []
        for (name, acronym, kind, country), text in zip(specs, dates, strict=True):
            bounds = self.dates[text]
            fields = self.record_fields()
            if kind in PUBLIC_KINDS:
                fields["status"] = Record.Status.PUBLISHED
            organizations.append(
                Organization(
                    **fields,
                    authorized_name=name,
                    acronym=acronym,
                    kind=kind,
                    dates=text,
                    date_earliest=bounds.earliest,
                    date_latest=bounds.latest,
                    country=country,
                    history=f"Synthetic body founded in {text.split('/')[0]}.",
                )
            )
        organizations = self.bulk(Organization, organizations)
        self.organizations = [Agent("organization", o.pk, o.authorized_name) for o in organizations]
        self.organizations_zipf = Zipf(self.organizations, 0.9)
        self.courts = {
            kind: [o.pk for o in organizations if o.kind == kind]
            for kind in (Org.COURT, Org.INTERNATIONAL_BODY, Org.STATE, Org.STATE_AGENCY)
        }
        self.military_court = next(
            o.pk for o in organizations if o.authorized_name == MILITARY_COURT
        )
        self.bulk(
            OrganizationName,
            [
                OrganizationName(
                    organization_id=o.pk, name=o.acronym, kind=OrganizationName.Kind.ACRONYM
                )
                for o in organizations
                if o.acronym
            ],
        )
        relations = []
        for _ in range(max(5, len(organizations) // 2)):
            source, target = rng.sample(organizations, 2)
            relations.append(
                OrganizationRelation(
                    source_id=source.pk,
                    target_id=target.pk,
                    kind=rng.choice(OrganizationRelation.Kind.values),
                    sources=self.sources,
                )
            )
        self.bulk(OrganizationRelation, relations)
        self.say(f"{len(organizations)} organizations.")

    def build_persons(self):
        rng = self.rng
        births, deaths = [], []
        for _ in range(self.plan.n_persons):
            born = self.year(1925, 1975)
            births.append(rng.choice([str(born), f"{born}~", self.point_date(born)]))
            deaths.append(self.point_date(self.year(born + 20, 2020)) if rng.random() < 0.3 else "")
        self.dates.prefetch(births + deaths)

        persons = []
        for birth, death in zip(births, deaths, strict=True):
            name = f"{self.first_names(rng)} {self.surnames(rng)} {self.surnames(rng)}"
            place = self.places(rng)
            persons.append(
                Person(
                    **self.record_fields(),
                    authorized_name=name,
                    birth_date=birth,
                    birth_place=place,
                    death_date=death,
                    date_earliest=self.dates[birth].earliest,
                    date_latest=self.dates[death].latest,
                    nationality=["PE"],
                    biography=(
                        f"Synthetic person born in {place}. "
                        f"Mentioned in records on {self.topics['en'](rng)}."
                    ),
                )
            )
        persons = self.bulk(Person, persons)
        self.persons = [Agent("person", p.pk, p.authorized_name) for p in persons]
        self.persons_zipf = Zipf(self.persons, 0.8)
        self.bulk(
            PersonName,
            [
                PersonName(
                    person_id=p.pk,
                    name=f"camarada {rng.choice(NICKNAMES)}",
                    kind=PersonName.Kind.NOM_DE_GUERRE,
                )
                for p in persons
                if rng.random() < 0.1
            ],
        )

        memberships, texts = [], []
        members = [o for o in self.organizations if o.pk not in self.courts[Org.COURT]]
        for person in self.persons:
            for _ in range(rng.choice((0, 1, 1, 1, 2))):
                start = self.year(1975, 2000)
                text = f"{start}/{start + rng.randint(1, 12)}"
                texts.append(text)
                memberships.append(
                    Membership(
                        person_id=person.pk,
                        organization_id=rng.choice(members).pk,
                        kind=rng.choice(Membership.Kind.values),
                        role=rng.choice(["", "dirigente regional", "delegate", "secretario"]),
                        dates=text,
                        sources=self.sources,
                    )
                )
        self.dates.prefetch(texts)
        for membership in memberships:
            bounds = self.dates[membership.dates]
            membership.date_earliest, membership.date_latest = bounds.earliest, bounds.latest
        self.bulk(Membership, memberships)
        self.say(f"{len(persons)} persons, {len(memberships)} memberships.")

    def build_events(self):
        rng = self.rng
        texts, specs = [], []
        for _ in range(self.plan.n_events):
            kind = rng.choice(list(EVENT_PATTERNS))
            year = self.year()
            day = rng.choice(self.key_days[year])
            text = day if rng.random() < 0.7 else f"{day}/{year}-12-31"
            texts.append(text)
            specs.append((kind, text))
        self.dates.prefetch(texts)

        events = []
        for kind, text in specs:
            place = self.places(rng)
            name = EVENT_PATTERNS[kind].format(
                place=place, person=self.persons_zipf(rng).name, topic=self.topics["es"](rng)
            )
            bounds = self.dates[text]
            events.append(
                Event(
                    **self.record_fields(),
                    name=name,
                    kind=kind,
                    dates=text,
                    date_earliest=bounds.earliest,
                    date_latest=bounds.latest,
                    place=f"{place}, Perú",
                    description=f"Synthetic event: {name}.",
                )
            )
        events = self.bulk(Event, events)
        self.events = [(e.pk, e.name) for e in events]
        self.events_zipf = Zipf(self.events, 0.8)

        participants = []
        for event in events:
            agents = self.distinct_agents(rng.randint(2, 5))
            for agent in agents:
                participants.append(
                    EventParticipant(
                        event_id=event.pk,
                        role=rng.choice(EventParticipant.Role.values),
                        sources=self.sources,
                        **{f"{agent.kind}_id": agent.pk},
                    )
                )
        self.bulk(EventParticipant, participants)
        self.say(f"{len(events)} events, {len(participants)} participants.")

    def build_cases(self):
        rng = self.rng
        specs, texts = [], []
        for _ in range(self.plan.n_cases):
            kind = rng.choice(list(CASE_PATTERNS))
            status = rng.choice(LegalCase.CaseStatus.values)
            filed_year = self.year(1980, 2012)
            filed = self.point_date(filed_year) if rng.random() < 0.9 else ""
            decided = ""
            if status != LegalCase.CaseStatus.PENDING:
                decided = rng.choice(self.key_days[filed_year + rng.randint(1, 8)])
            texts += [filed, decided]
            specs.append((kind, status, filed, decided))
        self.dates.prefetch(texts)

        cases, Jurisdiction = [], LegalCase.Jurisdiction
        for kind, status, filed, decided in specs:
            jurisdiction = Jurisdiction.NATIONAL
            if kind == LegalCase.Kind.HUMAN_RIGHTS:
                jurisdiction = Jurisdiction.INTERNATIONAL
            elif kind == LegalCase.Kind.CRIMINAL and rng.random() < 0.3:
                jurisdiction = Jurisdiction.MILITARY
            court = {
                Jurisdiction.INTERNATIONAL: rng.choice(self.courts[Org.INTERNATIONAL_BODY]),
                Jurisdiction.MILITARY: self.military_court,
            }.get(jurisdiction) or rng.choice(self.courts[Org.COURT])
            title = CASE_PATTERNS[kind].format(
                person=self.persons_zipf(rng).name,
                surname=self.surnames(rng),
                topic=self.topics["es"](rng),
            )
            filed_bounds, decided_bounds = self.dates[filed], self.dates[decided]
            cases.append(
                LegalCase(
                    **self.record_fields(),
                    title=title,
                    case_number=f"Exp. N.º {rng.randint(1, 999):03d}-{rng.randint(80, 99)}",
                    court_id=court,
                    jurisdiction=jurisdiction,
                    kind=kind,
                    case_status=status,
                    date_filed=filed,
                    date_decided=decided,
                    date_earliest=filed_bounds.earliest or decided_bounds.earliest,
                    date_latest=decided_bounds.latest or filed_bounds.latest,
                    summary=f"Synthetic case: {title}.",
                )
            )
        cases = self.bulk(LegalCase, cases)
        self.cases = [(c.pk, c.title) for c in cases]
        self.cases_zipf = Zipf(self.cases, 0.8)

        parties, event_links, links, Outcome = [], [], [], CaseParty.Outcome
        for case in cases:
            decided = case.case_status in DECIDED_STATES
            for person in self.distinct_persons(rng.randint(1, 4)):
                convicted = decided and rng.random() < 0.6
                parties.append(
                    CaseParty(
                        case_id=case.pk,
                        person_id=person.pk,
                        role=CaseParty.Role.DEFENDANT,
                        outcome=(Outcome.CONVICTED if convicted else Outcome.ACQUITTED)
                        if decided
                        else Outcome.PENDING,
                        sentence=f"{rng.randint(2, 35)} años de pena privativa de libertad"
                        if convicted
                        else "",
                        sources=self.sources,
                    )
                )
            for person in self.distinct_persons(rng.randint(0, 3)):
                parties.append(
                    CaseParty(
                        case_id=case.pk,
                        person_id=person.pk,
                        role=CaseParty.Role.VICTIM,
                        sources=self.sources,
                    )
                )
            if case.jurisdiction == LegalCase.Jurisdiction.INTERNATIONAL:
                parties.append(
                    CaseParty(
                        case_id=case.pk,
                        organization_id=rng.choice(self.courts[Org.STATE]),
                        role=CaseParty.Role.RESPONDENT_STATE,
                        outcome=Outcome.HELD_RESPONSIBLE if decided else Outcome.PENDING,
                        sources=self.sources,
                    )
                )
            elif rng.random() < 0.5:
                parties.append(
                    CaseParty(
                        case_id=case.pk,
                        organization_id=rng.choice(self.courts[Org.STATE_AGENCY]),
                        role=CaseParty.Role.PROSECUTOR,
                        sources=self.sources,
                    )
                )
            if self.events and rng.random() < 0.3:
                event_links.append(
                    LegalCase.events.through(
                        legalcase_id=case.pk, event_id=self.events_zipf(rng)[0]
                    )
                )
        for later, earlier in zip(cases[1:], cases, strict=False):
            if rng.random() < 0.1:
                links.append(
                    CaseLink(
                        from_case_id=later.pk, to_case_id=earlier.pk, kind=CaseLink.Kind.APPEAL_OF
                    )
                )
        self.bulk(CaseParty, parties)
        self.bulk(LegalCase.events.through, event_links)
        self.bulk(CaseLink, links)
        self.say(f"{len(cases)} legal cases, {len(parties)} parties.")

    def distinct_persons(self, count):
        chosen = {}
        for _ in range(count * 3):
            if len(chosen) == count:
                break
            person = self.persons_zipf(self.rng)
            chosen.setdefault(person.pk, person)
        return list(chosen.values())

    def distinct_agents(self, count):
        chosen = {}
        for _ in range(count * 3):
            if len(chosen) == count:
                break
            zipf = self.persons_zipf if self.rng.random() < 0.7 else self.organizations_zipf
            agent = zipf(self.rng)
            chosen.setdefault((agent.kind, agent.pk), agent)
        return list(chosen.values())

    # Documents

    def build_documents(self):
        rng, plan = self.rng, self.plan
        self.next_index = 0
        with transaction.atomic():
            fonds = []
            for number in range(1, plan.n_fonds + 1):
                start = self.year(1975, 1990)
                fonds.append(
                    self.document(
                        level=Document.Level.FONDS,
                        kind=Kind.ARCHIVAL_GROUP,
                        reference_code=f"{self.prefix}-{number:02d}",
                        dates=f"{start}/{start + rng.randint(15, 30)}",
                        parent=None,
                    )
                )
            fonds = self.save_documents(fonds)
            series = []
            for number in range(1, plan.n_series + 1):
                parent = fonds[(number - 1) % len(fonds)]
                start = rng.randint(parent.date_earliest.year, parent.date_latest.year - 2)
                end = rng.randint(start + 1, parent.date_latest.year)
                series.append(
                    self.document(
                        level=Document.Level.SERIES,
                        kind=Kind.ARCHIVAL_GROUP,
                        reference_code=f"{parent.reference_code}-{number:03d}",
                        dates=f"{start}/{end}",
                        parent=parent,
                        series_spec=SERIES[number % len(SERIES)],
                    )
                )
            series = self.save_documents(series)
        self.say(f"{len(fonds)} fonds, {len(series)} series.")
        if not series:
            return

        # Draw every item's place in the tree and its date first, to parse the dates at once.
        series_zipf = Zipf(series, 0.5)
        items = []
        for _ in range(plan.n_items):
            parent = series_zipf(rng)
            year = rng.randint(parent.date_earliest.year, parent.date_latest.year)
            items.append((parent, self.point_date(year)))
        self.dates.prefetch(dates for _, dates in items)

        numbers = dict.fromkeys((s.pk for s in series), 0)
        done = 0
        report_every = max(self.batch_size, plan.n_items // 10)
        while done < plan.n_items:
            batch = []
            for parent, dates in items[done : done + self.batch_size]:
                numbers[parent.pk] += 1
                kind = parent.item_kind if rng.random() < 0.7 else self.kinds(rng)
                batch.append(
                    self.document(
                        level=Document.Level.ITEM,
                        kind=kind,
                        reference_code=f"{parent.reference_code}-{numbers[parent.pk]:05d}",
                        dates=dates,
                        parent=parent,
                    )
                )
            with transaction.atomic():
                self.save_documents(batch)
            size = len(batch)
            done += size
            if done % report_every < size or done == plan.n_items:
                self.say(f"{done + len(fonds) + len(series)}/{plan.n_documents} documents.")

    def document(self, *, level, kind, reference_code, dates, parent, series_spec=None):
        """An unsaved Document; its languages and links wait in `.links_plan`."""
        rng, index = self.rng, self.next_index
        self.next_index += 1
        lang = "es" if rng.random() < 0.5 else "en"
        agents = self.distinct_agents(rng.randint(1, 3))
        case = event = None
        case_role = DocumentLink.Role.SUBJECT
        if kind in (Kind.JUDGMENT, Kind.LEGAL_FILING) and rng.random() < 0.8:
            case, case_role = self.cases_zipf(rng), DocumentLink.Role.CASE_RECORD
        elif rng.random() < 0.15:
            case = self.cases_zipf(rng)
        if rng.random() < 0.1:
            event = self.events_zipf(rng)

        year, pages = int(dates[:4]), rng.randint(1, 120)
        creator = self.newspapers(rng) if kind == Kind.NEWS_ARTICLE else None
        slots = Slots(
            self.draw_slot(lang),
            year=str(year),
            year2=str(year + rng.randint(0, 3)),
            pages=str(pages),
            person=next((a.name for a in agents if a.kind == "person"), None)
            or self.persons_zipf(rng).name,
            org=next((a.name for a in agents if a.kind == "organization"), None)
            or self.organizations_zipf(rng).name,
            **({"case": case[1]} if case else {}),
            **({"event": event[1]} if event else {}),
            **({"newspaper": creator} if creator else {}),
        )
        if series_spec:
            title = series_spec[0] if lang == "es" else series_spec[1]
        elif level == Document.Level.FONDS:
            title = f"Fondo {slots['org']}" if lang == "es" else f"Records of {slots['org']}"
        else:
            title = rng.choice(TITLES[lang][kind]).format_map(slots)
        sentences = rng.sample(SCOPE_SENTENCES[lang], rng.randint(2, 4))
        if case:
            sentences.append(rng.choice(CASE_SENTENCES[lang]))
        if event:
            sentences.append(rng.choice(EVENT_SENTENCES[lang]))
        for chosen, choices in (
            (self.common_docs, COMMON_SENTENCES),
            (self.phrase_docs, PHRASE_SENTENCES),
            (self.rare_docs, RARE_SENTENCES),
        ):
            if index in chosen:
                sentences.insert(rng.randint(0, len(sentences)), rng.choice(choices[lang]))
        scope = " ".join(sentence.format_map(slots) for sentence in sentences)
        if level == Document.Level.ITEM:
            extent = EXTENT[lang][kind].format(pages=pages)
        else:
            extent = f"{pages} cajas" if lang == "es" else f"{pages} boxes"

        document = Document(
            **self.record_fields(),
            reference_code=reference_code,
            title=title[:500],
            level=level,
            parent=parent,
            dates=dates,
            extent_and_medium=extent,
            creator_name=creator or slots["org"],
            kind=kind,
            scope_and_content=scope,
            conditions_of_access="Sin restricciones." if lang == "es" else "No restrictions.",
        )
        if level != Document.Level.ITEM or index in self.rare_docs:
            # The tree's upper levels are browsable, and the rare term must be findable.
            document.status = Record.Status.PUBLISHED
        if series_spec:
            document.item_kind = series_spec[2]
        codes = ["spa" if lang == "es" else "eng"]
        if rng.random() < 0.05:
            codes.append("eng" if lang == "es" else "spa")
        links = [(a.kind, a.pk, DocumentLink.Role.SUBJECT) for a in agents]
        if rng.random() < 0.3:
            links[0] = (links[0][0], links[0][1], DocumentLink.Role.CREATOR)
        if case:
            links.append(("legal_case", case[0], case_role))
        if event:
            links.append(("event", event[0], DocumentLink.Role.MENTIONED))
        document.links_plan = (codes, links)
        return document

    def save_documents(self, documents):
        self.dates.prefetch(d.dates for d in documents)
        for document in documents:
            bounds = self.dates[document.dates]
            document.date_earliest, document.date_latest = bounds.earliest, bounds.latest
        created = self.bulk(Document, documents)
        languages, links = [], []
        for document in created:
            codes, targets = document.links_plan
            languages += [
                Document.languages.through(
                    document_id=document.pk, language_id=self.languages[code]
                )
                for code in codes
            ]
            links += [
                DocumentLink(document_id=document.pk, role=role, **{f"{target}_id": pk})
                for target, pk, role in targets
            ]
        self.bulk(Document.languages.through, languages)
        self.bulk(DocumentLink, links)
        return created
