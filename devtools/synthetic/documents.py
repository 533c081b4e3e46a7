"""Building the synthetic documents: fonds, their series and the items in them."""

from django.db import transaction

from catalogue.models import Document, DocumentLink, Record

from .sampling import Slots, Zipf
from .templates import (
    CASE_SENTENCES,
    COMMON_SENTENCES,
    EVENT_SENTENCES,
    EXTENT,
    PHRASE_SENTENCES,
    RARE_SENTENCES,
    SCOPE_SENTENCES,
    TITLES,
)
from .vocabulary import SERIES, Kind


class DocumentsMixin:
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
