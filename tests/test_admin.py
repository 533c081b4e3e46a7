import pytest
from django.contrib import admin
from django.contrib.admin.models import LogEntry
from django.contrib.auth.models import Group, Permission
from django.test import RequestFactory
from django.urls import reverse

from catalogue import merging
from catalogue.models import (
    AboutText,
    ApiKey,
    CaseLink,
    Document,
    DocumentLink,
    Event,
    EventParticipant,
    Language,
    OrganizationName,
    OrganizationRelation,
    Person,
    PersonIdentifier,
    PersonName,
    Record,
)
from catalogue.roles import ARCHIVIST

from . import factories

pytestmark = pytest.mark.django_db

CATALOGUE_ADMINS = [model for model in admin.site._registry if model._meta.app_label == "catalogue"]


@pytest.fixture
def linked_records():
    """One of every kind of record and relationship, linked together."""
    fonds = factories.document(level=Document.Level.FONDS, title="MRTA collection")
    doc = factories.document(parent=fonds, title="Judgment")
    doc.languages.add(Language.objects.get(code="spa"))
    person = factories.person(authorized_name="Néstor Cerpa Cartolini")
    PersonName.objects.create(person=person, name="Comrade Evaristo", kind="nom_de_guerre")
    PersonIdentifier.objects.create(person=person, scheme="wikidata", value="Q123")
    org = factories.organization(authorized_name="MRTA", acronym="MRTA", country="PE")
    rival = factories.organization(authorized_name="Shining Path")
    OrganizationName.objects.create(organization=org, name="Movimiento", kind="translation")
    OrganizationRelation.objects.create(source=org, target=rival, kind="rival_of", evidence=doc)
    factories.membership(person=person, organization=org, kind="leader", dates="1992/1997")
    case = factories.legal_case(court=factories.organization(authorized_name="Court"))
    appeal = factories.legal_case(title="Appeal")
    CaseLink.objects.create(from_case=appeal, kind="appeal_of", to_case=case)
    factories.case_party(case=case, person=person, role="defendant", outcome="convicted")
    event = factories.event(name="Embassy crisis")
    EventParticipant.objects.create(event=event, organization=org, role="leader")
    DocumentLink.objects.create(document=doc, legal_case=case, role="case_record")
    DocumentLink.objects.create(document=doc, person=person, role="subject")
    withdrawn = factories.event(name="Withdrawn")
    # A bulk update leaves its tombstone, as any change does.
    Event.objects.filter(pk=withdrawn.pk).update(status=Record.Status.WITHDRAWN)
    key = ApiKey(institution="Partner archive", contact_email="it@partner.example")
    key.issue()
    key.save()
    AboutText.objects.create(language="en", title="About the archive", body="Who we are.")
    twin = factories.person(authorized_name="Cerpa Cartolini, Néstor")
    merging.merge(factories.person(authorized_name="N. Cerpa"), twin, user=None)
    return {"document": doc, "person": person, "organization": org, "case": case}


def admin_url(model, view, *args):
    return reverse(f"admin:catalogue_{model._meta.model_name}_{view}", args=args)


@pytest.mark.parametrize("model", CATALOGUE_ADMINS, ids=lambda m: m.__name__)
def test_every_admin_list_and_form_renders_for_an_archivist(
    archivist, archivist_client, linked_records, model
):
    changelist = archivist_client.get(admin_url(model, "changelist"))
    assert changelist.status_code == 200
    assert archivist_client.get(admin_url(model, "changelist"), {"q": "cerpa"}).status_code == 200
    request = RequestFactory().get("/")
    request.user = archivist
    writable = admin.site._registry[model].has_add_permission(request)
    assert archivist_client.get(admin_url(model, "add")).status_code == (200 if writable else 403)
    obj = model.objects.first()
    assert archivist_client.get(admin_url(model, "change", obj.pk)).status_code == 200


def test_the_workspace_names_itself_as_memorias_on_every_page(archivist_client):
    page = archivist_client.get(reverse("admin:index")).content.decode()
    assert "Memoria: archivists’ workspace" in page or "Memoria: archivists&#x27; workspace" in page
    assert "Django administration" not in page


@pytest.mark.parametrize("model", CATALOGUE_ADMINS, ids=lambda m: m.__name__)
def test_anonymous_visitors_are_sent_to_the_login_page(client, model):
    response = client.get(admin_url(model, "changelist"))
    assert response.status_code == 302
    assert response.url.startswith(reverse("admin:login"))


def test_a_person_page_shows_names_memberships_cases_and_documents(
    archivist_client, linked_records
):
    page = archivist_client.get(admin_url(Person, "change", linked_records["person"].pk))
    html = page.content.decode()
    for text in ("Comrade Evaristo", "MRTA", "Leader", "Defendant", "Judgment", "Q123"):
        assert text in html


def test_the_archivist_group_manages_every_catalogue_record_but_not_users(db):
    group = Group.objects.get(name=ARCHIVIST)
    codenames = set(group.permissions.values_list("codename", flat=True))
    for model in CATALOGUE_ADMINS:
        for action in ("add", "change", "delete", "view"):
            assert f"{action}_{model._meta.model_name}" in codenames
    assert not group.permissions.filter(content_type__app_label="auth").exists()
    assert Permission.objects.get(codename="add_user") not in group.permissions.all()


def test_archivists_publish_withdraw_and_return_records_to_draft_in_bulk(
    archivist_client, archivist
):
    drafts = [factories.person(status=Record.Status.DRAFT) for _ in range(3)]
    url = admin_url(Person, "changelist")
    ids = [p.pk for p in drafts]

    response = archivist_client.post(
        url, {"action": "publish", "_selected_action": ids}, follow=True
    )
    assert "3 records set to Published" in response.content.decode()
    assert Person.objects.public().count() == 3
    assert LogEntry.objects.filter(user=archivist).count() == 3

    archivist_client.post(url, {"action": "withdraw", "_selected_action": ids[:1]})
    assert Person.objects.get(pk=ids[0]).status == Record.Status.WITHDRAWN
    archivist_client.post(url, {"action": "return_to_draft", "_selected_action": ids[1:2]})
    assert Person.objects.get(pk=ids[1]).status == Record.Status.DRAFT
    assert Person.objects.public().count() == 1


def test_records_without_sources_are_not_published_and_the_archivist_is_told(archivist_client):
    unsourced = factories.person(status=Record.Status.DRAFT, sources="", authorized_name="Nobody")
    response = archivist_client.post(
        admin_url(Person, "changelist"),
        {"action": "publish", "_selected_action": [unsourced.pk]},
        follow=True,
    )
    assert "lack what publishing needs: Nobody (sources)" in response.content.decode()
    unsourced.refresh_from_db()
    assert unsourced.status == Record.Status.DRAFT


def empty_inline_management_forms(response):
    data = {}
    for inline in response.context["inline_admin_formsets"]:
        prefix = inline.formset.prefix
        data |= {f"{prefix}-TOTAL_FORMS": "0", f"{prefix}-INITIAL_FORMS": "0"}
    return data


def test_an_edtf_mistake_is_explained_on_the_form_and_nothing_is_saved(archivist_client):
    url = admin_url(Document, "add")
    data = empty_inline_management_forms(archivist_client.get(url)) | {
        "reference_code": "PE-MEM-1",
        "title": "Judgment",
        "level": "item",
        "dates": "April 1997",
        "extent_and_medium": "1 item",
        "kind": "judgment",
        "status": "draft",
        "access": "open",
    }
    response = archivist_client.post(url, data)
    assert response.status_code == 200
    assert "is not a date in EDTF" in response.content.decode()
    assert not Document.objects.exists()


def test_an_archivist_adds_a_person_with_a_nom_de_guerre(archivist_client):
    url = admin_url(Person, "add")
    data = empty_inline_management_forms(archivist_client.get(url)) | {
        "authorized_name": "Néstor Cerpa Cartolini",
        "birth_date": "1953-08-14",
        "death_date": "1997-04-22",
        "status": "published",
        "access": "open",
        "sources": "CVR, Informe Final (2003)",
        "other_names-TOTAL_FORMS": "1",
        "other_names-0-name": "Comrade Evaristo",
        "other_names-0-kind": "nom_de_guerre",
    }
    response = archivist_client.post(url, data)
    assert response.status_code == 302, response.context and response.context["errors"]
    person = Person.objects.get()
    assert person.is_public
    assert person.other_names.get().name == "Comrade Evaristo"
    assert str(person.date_latest) == "1997-04-22"
