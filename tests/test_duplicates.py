"""The admin's list of suggested duplicates: the likely pairs, best first, each to merge."""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from catalogue import duplicates
from catalogue.models import Organization, OrganizationName, Person, PersonIdentifier, PersonName

from . import factories
from .test_workflow import admin_url

pytestmark = pytest.mark.django_db


def pairs(model=Person):
    return {frozenset((pair.a, pair.b)): pair for pair in duplicates.suggestions(model)}


def test_names_are_compared_ignoring_accents_punctuation_and_word_order():
    assert duplicates.name_key("Polay Campos, Víctor") == "campos polay victor"
    assert duplicates.name_key("VICTOR POLAY CAMPOS") == "campos polay victor"


def test_accent_and_word_order_variants_are_suggested_and_unrelated_names_are_not():
    a = factories.person(authorized_name="Víctor Polay Campos")
    b = factories.person(authorized_name="Polay Campos, Victor")
    c = factories.person(authorized_name="Néstor Cerpa Cartolini")
    d = factories.person(authorized_name="Abimael Guzmán Reynoso")
    found = pairs()
    assert frozenset((a.pk, b.pk)) in found
    assert not any(pk in pair for pair in found for pk in (c.pk, d.pk))


def test_a_shared_wikidata_id_is_suggested_first():
    a = factories.person(authorized_name="Lori Berenson")
    b = factories.person(authorized_name="Lori Helene Berenson Mejía")
    c = factories.person(authorized_name="Someone Else")
    d = factories.person(authorized_name="Another Person")
    e = factories.person(authorized_name="Another Persson")
    for person in (c, d):
        PersonIdentifier.objects.create(person=person, scheme="wikidata", value="Q448126")
    best, *_rest = duplicates.suggestions(Person)
    assert {best.a, best.b} == {c.pk, d.pk}
    assert best.reasons[0] == ("identifier", "Wikidata Q448126")
    found = pairs()
    assert found[frozenset((a.pk, b.pk))].reasons[0][0] == "name_within"
    assert found[frozenset((d.pk, e.pk))].reasons[0][0] == "spelling"


def test_other_forms_of_name_are_compared_too():
    a = factories.person(authorized_name="Néstor Cerpa Cartolini")
    b = factories.person(authorized_name="Comandante Evaristo")
    PersonName.objects.create(person=a, name="Comandante Evaristo", kind="nom_de_guerre")
    assert frozenset((a.pk, b.pk)) in pairs()


def test_conflicting_dates_lower_a_pair_and_matching_dates_raise_it():
    same = [factories.person(authorized_name="Juan Pérez", birth_date="1950") for _ in range(2)]
    apart = [
        factories.person(authorized_name="Ana Ruiz", birth_date="1920"),
        factories.person(authorized_name="Ana Ruiz", birth_date="1970"),
    ]
    found = pairs()
    assert found[frozenset(p.pk for p in same)].score > found[frozenset(p.pk for p in apart)].score


def test_a_name_shared_by_many_records_is_not_evidence():
    crowd = [
        factories.person(authorized_name="Juan Quispe") for _ in range(duplicates.MAX_GROUP + 1)
    ]
    assert not any(p.pk in pair for pair in pairs() for p in crowd)


def test_organizations_match_on_their_acronyms_and_other_names():
    a = factories.organization(authorized_name="Movimiento Revolucionario Túpac Amaru")
    b = factories.organization(authorized_name="Túpac Amaru Revolutionary Movement")
    OrganizationName.objects.create(organization=b, name="MRTA", kind="acronym")
    a.acronym = "MRTA"
    a.save()
    found = pairs(Organization)
    assert frozenset((a.pk, b.pk)) in found


def test_the_suggestions_page_lists_pairs_with_merge_links(archivist_client):
    a = factories.person(authorized_name="Víctor Polay Campos")
    b = factories.person(authorized_name="Victor Polay Campos")
    changelist = archivist_client.get(admin_url(Person, "changelist")).content.decode()
    assert admin_url(Person, "duplicates") in changelist
    page = archivist_client.get(admin_url(Person, "duplicates"))
    assert page.status_code == 200
    assert f"{admin_url(Person, 'merge')}?a={a.pk}&amp;b={b.pk}" in page.content.decode()
    assert archivist_client.get(admin_url(Organization, "duplicates")).status_code == 200
    assert archivist_client.get(admin_url(Person, "duplicates"), {"page": "x"}).status_code == 400


def test_the_suggestions_page_reads_the_same_number_of_queries_however_many_pairs_it_shows(
    archivist_client,
):
    def queries():
        with CaptureQueriesContext(connection) as captured:
            assert archivist_client.get(admin_url(Person, "duplicates")).status_code == 200
        return len(captured)

    factories.person(authorized_name="Ana María Ruiz")
    factories.person(authorized_name="Ruiz, Ana María")
    few = queries()
    for n in range(10):
        factories.person(authorized_name=f"Name{n} Surname{n}")
        factories.person(authorized_name=f"Surname{n} Name{n}")
    assert queries() == few
