"""The MRTA demo collection loads, is valid, and is linked up as the seed facts say."""

import datetime

import pytest
from django.apps import apps
from django.core.management import call_command
from django.urls import reverse
from django.utils import timezone
from django.utils.html import escape

from catalogue import search
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
# The records that show the access rules, each kept from the public in one way.
ACCESS_EXAMPLES = {
    (Person, "Juan Valer Sandoval"): {"status": Record.Status.DRAFT},
    (Document, "PE-MEM-MRTA-PRE-013"): {"status": Record.Status.DRAFT},
    (Document, "PE-MEM-MRTA-PRE-014"): {"status": Record.Status.DRAFT},
    (Document, "PE-MEM-MRTA-CHV"): {"access": Record.Access.RESTRICTED},
    (Document, "PE-MEM-MRTA-PRE-015"): {"access": Record.Access.EMBARGOED},
}


@pytest.fixture(scope="module")
def demo_collection_for_the_module(module_transaction, django_db_blocker):
    # Every test here only reads the collection: loaded once, not once a test.
    with django_db_blocker.unblock():
        call_command("loaddata", "mrta", verbosity=0)
        search.rebuild()


def hidden_records():
    for (model, key), state in ACCESS_EXAMPLES.items():
        if model is Person:
            yield model.objects.get(authorized_name=key), state
        else:
            yield model.objects.get(reference_code=key), state


def test_the_public_sees_every_record_of_the_seed_facts():
    assert Person.objects.public().count() == 26
    assert Organization.objects.public().count() >= 15
    assert LegalCase.objects.public().count() == 11
    assert Event.objects.public().count() == 10
    assert Document.objects.public().filter(level=Document.Level.ITEM).count() == 30
    assert Membership.objects.count() == 25


def test_every_record_cites_its_sources_and_only_the_access_examples_are_not_public():
    hidden = {record for record, _state in hidden_records()}
    for model in RECORD_MODELS:
        assert set(model.objects.exclude(pk__in=model.objects.public())) == {
            record for record in hidden if type(record) is model
        }
        for record in model.objects.all():
            assert record.source_list, f"{record} cites no source"
    for record, state in hidden_records():
        for field, value in state.items():
            assert getattr(record, field) == value, record


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


def test_the_demos_hidden_records_answer_404_and_are_in_no_public_list_search_or_api(client):
    for record, _state in hidden_records():
        slug, words = record.slug, record.heading.strip("[]")
        assert client.get(record.get_absolute_url()).status_code == 404, record
        api_detail = reverse(f"api:{record.record_type}-detail", args=[record.public_id])
        assert client.get(api_detail).status_code == 404, record
        for response in (
            client.get(f"/{slug}/"),
            client.get(f"/{slug}/", {"q": words}),
            client.get(reverse("search"), {"q": words}),
            client.get(f"/api/v1/{slug}/", {"page_size": 500}),
            client.get(f"/api/v1/{slug}/", {"search": words}),
        ):
            assert response.status_code == 200
            assert record.public_id not in response.content.decode(), record


def test_the_public_pages_they_are_linked_to_do_not_list_them(client):
    for record, _state in hidden_records():
        if type(record) is Document:
            linked = [link.target for link in record.links.all()] + [record.parent]
        else:
            linked = [role.event for role in record.event_roles.all()]
        assert linked, f"{record} is linked to nothing"
        for neighbour in linked:
            response = client.get(neighbour.get_absolute_url())
            assert response.status_code == 200, neighbour
            assert record.public_id not in response.content.decode(), (record, neighbour)


def test_the_protected_witness_is_public_without_his_personal_details_which_the_admin_shows(
    client, archivist
):
    ogura = Person.objects.get(authorized_name="Hidetaka Ogura")
    assert ogura.protected and ogura.is_public and ogura.personal_details
    page = client.get(ogura.get_absolute_url())
    assert "Hidetaka Ogura" in page.content.decode()
    api = client.get(reverse("api:person-detail", args=[ogura.public_id]))
    for response in (page, api):
        assert ogura.personal_details not in response.content.decode()
    assert "Personal details" not in page.content.decode()
    assert api.json()["personal_details"] == ""
    assert page.context["record"].birth_date == page.context["record"].birth_place == ""

    client.force_login(archivist)
    admin = client.get(reverse("admin:catalogue_person_change", args=[ogura.pk]))
    assert ogura.personal_details in admin.content.decode()


def test_the_archivist_finds_every_hidden_record_in_the_admin(client, archivist):
    client.force_login(archivist)
    for record, _state in hidden_records():
        opts = record._meta
        url = reverse(f"admin:{opts.app_label}_{opts.model_name}_change", args=[record.pk])
        response = client.get(url)
        assert response.status_code == 200, record
        assert escape(record.heading) in response.content.decode(), record


def test_the_embargoed_document_becomes_public_on_its_embargo_date(client, monkeypatch):
    document = Document.objects.get(access=Record.Access.EMBARGOED)
    assert document.status == Record.Status.PUBLISHED
    assert document.embargo_until == datetime.date(2031, 1, 1) > timezone.localdate()
    assert client.get(document.get_absolute_url()).status_code == 404

    real_now = timezone.now
    days_left = (document.embargo_until - timezone.localdate()).days
    monkeypatch.setattr(
        timezone, "now", lambda: real_now() + datetime.timedelta(days=days_left + 1)
    )
    assert client.get(document.get_absolute_url()).status_code == 200


def test_the_demo_says_what_it_is_on_its_about_page_in_both_languages(client):
    english = client.get("/about/").content.decode()
    assert "About this demonstration archive" in english
    assert "only where a court convicted" in english
    spanish = client.get("/about/", headers={"accept-language": "es"}).content.decode()
    assert "Sobre este archivo de demostración" in spanish
    assert "Túpac Amaru" in client.get("/").content.decode()


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
