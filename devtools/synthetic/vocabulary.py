"""The words the synthetic catalogue is made of, and how often each kind of record occurs.

Names of persons, armed groups, parties and newspapers are invented; places are real Peruvian
places. None of these lists contains a benchmark term (a test checks): only the sentences in
`templates` made to carry them do, so their share of documents is known exactly.
"""

from catalogue.models import Document, Organization, Record

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
