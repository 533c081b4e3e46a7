"""Building the synthetic organizations and persons, with their names and memberships."""

import itertools
from dataclasses import dataclass

from catalogue.models import (
    Membership,
    Organization,
    OrganizationName,
    OrganizationRelation,
    Person,
    PersonName,
    Record,
)

from .sampling import Zipf
from .vocabulary import (
    CORE_ORGANIZATIONS,
    MILITARY_COURT,
    NICKNAMES,
    ORGANIZATION_PATTERNS,
    PLACES,
    Org,
)

# Courts and states are published whatever the draw, so every public case can name its court.
PUBLIC_KINDS = (Org.COURT, Org.STATE, Org.INTERNATIONAL_BODY)


@dataclass
class Agent:
    kind: str  # "person" or "organization"
    pk: int
    name: str


class AgentsMixin:
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
