"""The templates of the synthetic catalogue's text, whose `{slots}` the builder fills.

Titles and sentences come in Spanish and English; the benchmark terms appear only in the
sentences of their own below.
"""

from catalogue.models import Event, LegalCase

from .vocabulary import RARE_TERM, Kind

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
