"""Building the synthetic events and legal cases, with their participants, parties and links."""

from catalogue.models import CaseLink, CaseParty, Event, EventParticipant, LegalCase

from .sampling import Zipf
from .templates import CASE_PATTERNS, EVENT_PATTERNS
from .vocabulary import Org

DECIDED_STATES = (
    LegalCase.CaseStatus.DECIDED,
    LegalCase.CaseStatus.ANNULLED,
    LegalCase.CaseStatus.CLOSED,
)


class EventsAndCasesMixin:
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
