"""Small factories: each builds a valid record, checked like the admin checks it."""

import itertools

from catalogue.models import (
    CaseParty,
    Document,
    Event,
    Language,
    LegalCase,
    Membership,
    Organization,
    Person,
    Record,
)

_numbers = itertools.count(1)


def _save(obj):
    obj.full_clean()
    obj.save()
    return obj


def defaults(**values):
    values.setdefault("status", Record.Status.PUBLISHED)
    values.setdefault("sources", "A source, 2001")
    return values


def document(**values):
    n = next(_numbers)
    values.setdefault("reference_code", f"T-{n:05d}")
    values.setdefault("title", f"Document {n}")
    values.setdefault("dates", "1997-04")
    values.setdefault("extent_and_medium", "1 item")
    values.setdefault("kind", Document.Kind.REPORT)
    return _save(Document(**defaults(**values)))


def person(**values):
    values.setdefault("authorized_name", f"Person {next(_numbers)}")
    return _save(Person(**defaults(**values)))


def organization(**values):
    values.setdefault("authorized_name", f"Organization {next(_numbers)}")
    return _save(Organization(**defaults(**values)))


def legal_case(**values):
    values.setdefault("title", f"Case {next(_numbers)}")
    values.setdefault("jurisdiction", LegalCase.Jurisdiction.NATIONAL)
    values.setdefault("kind", LegalCase.Kind.CRIMINAL)
    return _save(LegalCase(**defaults(**values)))


def event(**values):
    values.setdefault("name", f"Event {next(_numbers)}")
    values.setdefault("dates", "1996-12-17/1997-04-22")
    return _save(Event(**defaults(**values)))


def membership(**values):
    return _save(Membership(**values))


def case_party(**values):
    return _save(CaseParty(**values))


def translation(record, language="spa", **values):
    """The record's title and main text in another language (Spanish unless told)."""
    model = record.translations.model
    return _save(model(record=record, language=Language.objects.get(code=language), **values))
