"""The MRTA demo collection loads, is valid, and is linked up as the seed facts say."""

import pytest
from django.apps import apps
from django.core.management import call_command

from catalogue.models import (
    CaseParty,
    Document,
    Event,
    LegalCase,
    Membership,
    Organization,
    Person,
    Record,
)

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("demo_collection_for_the_module")]

RECORD_MODELS = [Document, Person, Organization, LegalCase, Event]


@pytest.fixture(scope="module")
def demo_collection_for_the_module(module_transaction, django_db_blocker):
    # Every test here only reads the collection: loaded once, not once a test.
    with django_db_blocker.unblock():
        call_command("loaddata", "mrta", verbosity=0)


def test_the_collection_holds_every_record_of_the_seed_facts():
    assert Person.objects.count() == 26
    assert Organization.objects.count() >= 15
    assert LegalCase.objects.count() == 11
    assert Event.objects.count() == 10
    assert Document.objects.filter(level=Document.Level.ITEM).count() == 30
    assert Membership.objects.count() == 25


def test_every_record_is_published_and_cites_its_sources():
    for model in RECORD_MODELS:
        assert model.objects.exclude(status=Record.Status.PUBLISHED).count() == 0
        for record in model.objects.all():
            assert record.source_list, f"{record} cites no source"


def test_every_object_is_valid_and_its_computed_dates_match_its_edtf_dates():
    for model in apps.get_app_config("catalogue").get_models():
        for obj in model.objects.all():
            obj.full_clean()
            if hasattr(obj, "computed_dates"):
                stored = {field: getattr(obj, field) for field in obj.computed_dates()}
                assert obj.computed_dates() == stored, str(obj)


def test_comrade_evaristo_is_the_mrta_leader_nestor_cerpa_cartolini():
    evaristo = Person.objects.get(other_names__name="Comrade Evaristo")
    assert evaristo.authorized_name == "Néstor Cerpa Cartolini"
    membership = evaristo.memberships.get(organization__acronym="MRTA")
    assert membership.kind == Membership.Kind.LEADER
    assert membership.organization.authorized_name == "Túpac Amaru Revolutionary Movement"


def test_the_mrta_is_found_under_its_spanish_name_and_was_formed_from_two_groups():
    mrta = Organization.objects.get(other_names__name="Movimiento Revolucionario Túpac Amaru")
    formed_from = mrta.relations_out.filter(kind="formed_from").values_list(
        "target__acronym", flat=True
    )
    assert set(formed_from) == {"PSR-ML", "MIR-EM"}


def test_every_criminal_case_has_its_defendants_and_every_petition_its_respondent_state():
    for case in LegalCase.objects.all():
        roles = set(case.parties.values_list("role", flat=True))
        if case.kind == LegalCase.Kind.CRIMINAL:
            assert CaseParty.Role.DEFENDANT in roles, case
        if case.kind == LegalCase.Kind.HUMAN_RIGHTS:
            assert CaseParty.Role.RESPONDENT_STATE in roles, case
        assert case.court is not None, case


def test_the_2006_civilian_trial_convicted_polay_and_retried_the_military_case():
    polay = Person.objects.get(authorized_name="Víctor Polay Campos")
    outcomes = dict(polay.case_parties.values_list("case__jurisdiction", "outcome"))
    assert outcomes[LegalCase.Jurisdiction.NATIONAL] == CaseParty.Outcome.CONVICTED
    assert outcomes[LegalCase.Jurisdiction.MILITARY] == CaseParty.Outcome.CONVICTION_ANNULLED
    retrial = LegalCase.objects.get(
        parties__person=polay, jurisdiction=LegalCase.Jurisdiction.NATIONAL, kind="criminal"
    )
    assert retrial.links_out.filter(
        kind="retrial_of", to_case__jurisdiction=LegalCase.Jurisdiction.MILITARY
    ).exists()


def test_people_the_courts_acquitted_are_never_recorded_as_convicted():
    for name in ("Vladimiro Montesinos Torres", "Nicolás de Bari Hermoza Ríos"):
        outcomes = set(
            Person.objects.get(authorized_name=name).case_parties.values_list("outcome", flat=True)
        )
        assert outcomes == {CaseParty.Outcome.ACQUITTED}, name


def test_every_item_sits_in_the_fonds_and_is_linked_to_what_it_is_about():
    fonds = Document.objects.get(level=Document.Level.FONDS)
    for item in Document.objects.filter(level=Document.Level.ITEM):
        assert item.ancestors()[0] == fonds
        assert item.links.exists(), item
        assert item.languages.exists(), item


def test_every_judgment_is_part_of_the_record_of_its_case():
    for judgment in Document.objects.filter(kind=Document.Kind.JUDGMENT):
        assert judgment.links.filter(role="case_record").exists(), judgment


def test_the_spanish_language_sources_read_in_spanish_and_say_so():
    report = Document.objects.get(reference_code="PE-MEM-MRTA-REP-006")
    shown = report.localized("es")
    assert shown.title.value == "Informe Final de la Comisión de la Verdad y Reconciliación"
    assert shown.text.language == "es" and "Comisión de la Verdad" in shown.text.value
    assert report.localized("en").text.value == report.scope_and_content
    mrta = Organization.objects.get(acronym="MRTA")
    assert mrta.localized("es").title.value == "Movimiento Revolucionario Túpac Amaru"
    for model in RECORD_MODELS:
        for record in model.objects.filter(translations__isnull=False):
            assert {t.language.code for t in record.translations.all()} == {"spa"}, record
