import datetime

import pytest
from django.core.exceptions import ValidationError
from django.core.management import call_command
from django.db import IntegrityError, transaction

from catalogue.models import (
    CaseParty,
    Document,
    DocumentLink,
    Event,
    LegalCase,
    Organization,
    OrganizationRelation,
    Person,
    PersonIdentifier,
    Record,
)

from . import factories

pytestmark = pytest.mark.django_db

RECORD_FACTORIES = [
    factories.document,
    factories.person,
    factories.organization,
    factories.legal_case,
    factories.event,
]


def errors_of(obj):
    with pytest.raises(ValidationError) as error:
        obj.full_clean()
    return error.value.message_dict


def test_a_document_needs_the_isad_essentials():
    errors = errors_of(Document())
    assert {"reference_code", "title", "kind"} <= errors.keys()


def test_a_draft_document_may_lack_dates_and_extent_but_a_published_one_may_not():
    draft = Document(reference_code="PE-1", title="Found", kind=Document.Kind.LETTER)
    draft.full_clean()
    draft.status = Document.Status.PUBLISHED
    draft.sources = "A source"
    assert {"dates", "extent_and_medium"} == errors_of(draft).keys()


def test_authority_records_need_an_authorized_name():
    assert "authorized_name" in errors_of(Person())
    assert "authorized_name" in errors_of(Organization())


def test_reference_codes_are_unique():
    factories.document(reference_code="PE-MEM-1")
    duplicate = Document(
        reference_code="PE-MEM-1", title="Copy", dates="1997", extent_and_medium="1", kind="report"
    )
    assert "reference_code" in errors_of(duplicate)
    with pytest.raises(IntegrityError), transaction.atomic():
        duplicate.save()


def test_a_malformed_date_is_refused_with_a_clear_message():
    doc = Document(
        reference_code="X-1", title="T", dates="April 1997", extent_and_medium="1", kind="report"
    )
    assert "is not a date in EDTF" in errors_of(doc)["dates"][0]


def test_a_reversed_interval_is_refused():
    org = Organization(authorized_name="MRTA", dates="1997/1982")
    assert "ends before it starts" in errors_of(org)["dates"][0]


def test_saving_a_record_computes_its_earliest_and_latest_dates():
    org = factories.organization(dates="1982-03-01/1997~")
    assert (org.date_earliest, org.date_latest) == (
        datetime.date(1982, 3, 1),
        datetime.date(1997, 12, 31),
    )
    org.dates = "199X"
    org.save(update_fields=["dates"])
    org.refresh_from_db()
    assert org.date_latest == datetime.date(1999, 12, 31)


def test_a_person_cannot_die_before_being_born():
    person = Person(authorized_name="A", birth_date="1953-08-14", death_date="1950")
    assert "before the date of birth" in errors_of(person)["death_date"][0]


def test_a_person_with_only_a_date_of_death_has_no_earliest_date():
    person = factories.person(death_date="1997-04-22")
    assert person.date_earliest is None
    assert person.date_latest == datetime.date(1997, 4, 22)


def test_a_case_cannot_be_decided_before_it_was_filed():
    case = LegalCase(
        title="C", jurisdiction="national", kind="criminal", date_filed="2004", date_decided="2003"
    )
    assert "decided before it was filed" in errors_of(case)["date_decided"][0]


def test_a_decided_case_needs_its_decision_date():
    case = LegalCase(title="C", jurisdiction="national", kind="criminal", case_status="decided")
    assert "date_decided" in errors_of(case)


@pytest.mark.parametrize("make", RECORD_FACTORIES)
def test_a_record_cannot_be_published_without_sources(make):
    record = make(status=Record.Status.DRAFT, sources="")
    record.status = Record.Status.PUBLISHED
    assert "sources" in errors_of(record)


@pytest.mark.parametrize("make", RECORD_FACTORIES)
def test_only_published_records_are_public(make):
    published = make()
    make(status=Record.Status.DRAFT)
    make(status=Record.Status.WITHDRAWN)
    assert list(type(published).objects.public()) == [published]


@pytest.mark.parametrize("make", RECORD_FACTORIES)
def test_every_record_gets_a_stable_public_identifier(make):
    first, second = make(), make()
    assert first.public_id and first.public_id != second.public_id
    public_id = first.public_id
    first.save()
    first.refresh_from_db()
    assert first.public_id == public_id


def test_a_case_party_is_a_person_or_an_organization_but_not_both():
    case, person, org = factories.legal_case(), factories.person(), factories.organization()
    for party in (
        CaseParty(case=case, role="defendant"),
        CaseParty(case=case, role="defendant", person=person, organization=org),
    ):
        assert "either a person or an organization" in errors_of(party)["__all__"][0]
        with pytest.raises(IntegrityError), transaction.atomic():
            party.save()


def test_a_document_link_points_to_exactly_one_record():
    doc, person, event = factories.document(), factories.person(), factories.event()
    link = DocumentLink(document=doc, person=person, event=event)
    assert "exactly one" in errors_of(link)["__all__"][0]
    with pytest.raises(IntegrityError), transaction.atomic():
        link.save()


def test_a_description_cannot_be_part_of_its_own_parts():
    fonds = factories.document(level=Document.Level.FONDS)
    series = factories.document(level=Document.Level.SERIES, parent=fonds)
    assert series.ancestors() == [fonds]
    fonds.parent = series
    assert "part of itself" in errors_of(fonds)["parent"][0]
    fonds.parent = fonds
    assert "part of itself" in errors_of(fonds)["parent"][0]


def test_an_organization_cannot_be_related_to_itself():
    org = factories.organization()
    relation = OrganizationRelation(source=org, target=org, kind="rival_of")
    assert "target" in errors_of(relation)
    with pytest.raises(IntegrityError), transaction.atomic():
        relation.save()


@pytest.mark.parametrize(
    ("scheme", "value", "valid"),
    [
        ("wikidata", "Q123", True),
        ("wikidata", "123", False),
        ("viaf", "64009368", True),
        ("viaf", "v64", False),
        ("isni", "000000012146438X", True),
        ("other", "anything", True),
    ],
)
def test_external_identifiers_are_checked_against_their_scheme(scheme, value, valid):
    identifier = PersonIdentifier(person=factories.person(), scheme=scheme, value=value)
    if valid:
        identifier.full_clean()
        assert identifier.url or scheme == "other"
    else:
        assert "value" in errors_of(identifier) or "__all__" in errors_of(identifier)


def test_relationship_dates_are_computed_too():
    membership = factories.membership(
        person=factories.person(), organization=factories.organization(), dates="1982/1992-06-09"
    )
    assert membership.date_latest == datetime.date(1992, 6, 9)


def test_events_and_cases_are_ordered_by_date():
    later = factories.event(dates="1997-04-22")
    earlier = factories.event(dates="1982-03-01")
    assert list(Event.objects.all()) == [earlier, later]


def test_the_migrations_are_in_step_with_the_models():
    call_command("makemigrations", "--check", "--dry-run", verbosity=0)
