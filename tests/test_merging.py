"""Merging duplicate persons and organizations, as archivists, the public and partners meet it."""

import datetime
import json

import pytest
from django.contrib.auth.models import Group, User
from django.urls import reverse
from django.utils import timezone
from reversion.models import Version

from catalogue import merging, search, services
from catalogue.models import (
    CaseParty,
    DocumentLink,
    EventParticipant,
    LegalCase,
    Membership,
    Merge,
    Organization,
    OrganizationIdentifier,
    OrganizationName,
    OrganizationRelation,
    Person,
    PersonIdentifier,
    PersonName,
    Record,
    Tombstone,
)
from catalogue.roles import CATALOGUER

from . import factories
from .test_oai import NS, harvest_all, oai_id
from .test_workflow import admin_url

pytestmark = pytest.mark.django_db


@pytest.fixture
def twins():
    """The same person described twice, each with names, identifiers and links."""
    kept = factories.person(
        authorized_name="Víctor Polay Campos", birth_date="1951-04-06", sources="Kept source"
    )
    other = factories.person(
        authorized_name="Polay Campos, Victor",
        birth_place="Callao",
        biography="Founder of the MRTA.",
        sources="Other source\nKept source",
    )
    PersonName.objects.create(person=kept, name="Comandante Rolando", kind="nom_de_guerre")
    PersonName.objects.create(person=other, name="Comandante Rolando", kind="nom_de_guerre")
    PersonName.objects.create(person=other, name="Rolo", kind="alias")
    PersonIdentifier.objects.create(person=kept, scheme="wikidata", value="Q2365934")
    PersonIdentifier.objects.create(person=other, scheme="wikidata", value="Q2365934")
    PersonIdentifier.objects.create(person=other, scheme="viaf", value="123")
    org = factories.organization(authorized_name="MRTA")
    factories.membership(person=other, organization=org, kind="founder")
    case = factories.legal_case()
    factories.case_party(case=case, person=other, role="defendant")
    event = factories.event()
    EventParticipant.objects.create(event=event, person=other, role="leader")
    document = factories.document()
    DocumentLink.objects.create(document=document, person=kept, role="subject")
    DocumentLink.objects.create(document=document, person=other, role="subject")  # the same
    DocumentLink.objects.create(document=document, person=other, role="creator")
    return {"kept": kept, "other": other, "org": org, "case": case, "document": document}


def merged(twins, archivist, **choices):
    return merging.merge(twins["kept"], twins["other"], archivist, choices)


def test_a_merge_moves_names_identifiers_and_links_and_keeps_both_sources(twins, archivist):
    merged(twins, archivist)
    kept = Person.objects.get(pk=twins["kept"].pk)
    assert not Person.objects.filter(pk=twins["other"].pk).exists()
    assert {(n.name, n.kind) for n in kept.other_names.all()} == {
        ("Comandante Rolando", "nom_de_guerre"),
        ("Rolo", "alias"),
        ("Polay Campos, Victor", "variant"),
    }
    assert {(i.scheme, i.value) for i in kept.identifiers.all()} == {
        ("wikidata", "Q2365934"),
        ("viaf", "123"),
    }
    assert Membership.objects.get(organization=twins["org"]).person == kept
    assert CaseParty.objects.get(case=twins["case"]).person == kept
    assert EventParticipant.objects.get().person == kept
    assert {(link.person, link.role) for link in DocumentLink.objects.all()} == {
        (kept, "subject"),
        (kept, "creator"),
    }
    assert kept.source_list == ["Kept source", "Other source"]
    # The kept record's own values, and the other's where the kept one had none.
    assert kept.authorized_name == "Víctor Polay Campos"
    assert kept.birth_place == "Callao" and kept.biography == "Founder of the MRTA."
    # Found under the merged-away name too.
    assert search.results(search.parse("Rolo"), ["person"])


def test_the_archivist_chooses_which_value_each_field_keeps(twins, archivist):
    merged(twins, archivist, authorized_name="other")
    kept = Person.objects.get(pk=twins["kept"].pk)
    assert kept.authorized_name == "Polay Campos, Victor"
    assert kept.other_names.filter(name="Víctor Polay Campos", kind="variant").exists()


def test_an_invalid_result_is_refused_and_nothing_is_written(twins, archivist):
    twins["other"].death_date = "1940"
    twins["other"].save()
    with pytest.raises(merging.MergeError, match="date of death"):
        merged(twins, archivist, death_date="other")
    assert Person.objects.filter(pk=twins["other"].pk).exists()
    assert Merge.objects.count() == 0
    assert twins["other"].other_names.count() == 2


def test_organizations_merge_without_relating_one_to_itself_and_keep_their_cases(archivist):
    court = factories.organization(authorized_name="Supreme Court", acronym="CSJ")
    twin = factories.organization(authorized_name="Corte Suprema", acronym="CS")
    rival = factories.organization(authorized_name="Rival")
    OrganizationRelation.objects.create(source=twin, target=court, kind="part_of")
    OrganizationRelation.objects.create(source=rival, target=twin, kind="rival_of")
    OrganizationIdentifier.objects.create(organization=twin, scheme="wikidata", value="Q1")
    case = factories.legal_case(court=twin)
    merge = merging.merge(court, twin, archivist)
    assert LegalCase.objects.get(pk=case.pk).court == court
    assert list(OrganizationRelation.objects.values_list("source", "target")) == [
        (rival.pk, court.pk)
    ]
    assert "itself" in merge.summary
    assert set(OrganizationName.objects.values_list("name", "kind")) == {
        ("Corte Suprema", "variant"),
        ("CS", "acronym"),
    }


def test_the_old_page_and_its_exports_redirect_permanently_to_the_kept_record(
    client, twins, archivist
):
    merged(twins, archivist)
    old, kept = twins["other"].public_id, twins["kept"].public_id
    response = client.get(f"/persons/{old}/")
    assert response.status_code == 301
    assert response["Location"] == f"/persons/{kept}/"
    response = client.get(f"/persons/{old}/cite.bib")
    assert (response.status_code, response["Location"]) == (301, f"/persons/{kept}/cite.bib")
    assert client.get(f"/persons/{old}/", follow=True).status_code == 200


def test_the_api_answers_the_old_id_with_a_redirect(client, twins, archivist):
    merged(twins, archivist)
    response = client.get(f"/api/v1/persons/{twins['other'].public_id}/")
    assert response.status_code == 301
    assert response["Location"].endswith(f"/api/v1/persons/{twins['kept'].public_id}/")


def test_a_chain_of_merges_leads_to_the_last_kept_record(client, twins, archivist):
    merged(twins, archivist)
    third = factories.person(authorized_name="V. Polay")
    merging.merge(third, twins["kept"], archivist)
    response = client.get(f"/persons/{twins['other'].public_id}/")
    assert response["Location"] == f"/persons/{third.public_id}/"


def test_the_old_id_is_not_found_when_the_kept_record_is_not_public(client, twins, archivist):
    merged(twins, archivist)
    Person.objects.filter(pk=twins["kept"].pk).update(status=Record.Status.WITHDRAWN)
    assert client.get(f"/persons/{twins['other'].public_id}/").status_code == 404
    response = client.get(f"/api/v1/persons/{twins['other'].public_id}/")
    assert response.status_code == 404
    assert twins["kept"].public_id not in response.content.decode()


def test_partners_see_the_old_id_deleted_and_the_kept_record_modified(client, twins, archivist):
    before = timezone.now() - datetime.timedelta(seconds=1)
    Person.objects.update(updated_at=before - datetime.timedelta(days=1))
    merged(twins, archivist)
    body = json.loads(
        client.get("/api/v1/deletions/", {"removed_since": before.isoformat()}).content
    )
    assert [(d["type"], d["id"]) for d in body["results"]] == [("person", twins["other"].public_id)]
    body = json.loads(
        client.get("/api/v1/persons/", {"modified_since": before.isoformat()}).content
    )
    assert [p["id"] for p in body["results"]] == [twins["kept"].public_id]

    headers, _tokens = harvest_all(
        client, metadataPrefix="oai_dc", set="type:person", from_=before.strftime("%Y-%m-%d")
    )
    seen = {h.findtext("o:identifier", None, NS): h.get("status") for h in headers}
    assert seen[oai_id(twins["other"])] == "deleted"
    assert seen[oai_id(twins["kept"])] is None


def test_the_merge_is_one_revision_in_the_kept_records_history_with_its_user(
    twins, archivist, archivist_client
):
    merged(twins, archivist)
    (version,) = Version.objects.get_for_object(twins["kept"])
    assert version.revision.user == archivist
    assert version.revision.comment == (
        f"Merged Polay Campos, Victor ({twins['other'].public_id}) into this record."
    )
    history = archivist_client.get(admin_url(Person, "history", twins["kept"].pk))
    assert "Merged Polay Campos, Victor" in history.content.decode()


def test_undo_restores_the_record_its_links_and_its_public_id(client, twins, archivist):
    other = twins["other"]
    merge = merged(twins, archivist, authorized_name="other")
    merging.undo(merge, archivist)
    restored = Person.objects.get(pk=other.pk)
    assert restored.public_id == other.public_id
    assert restored.authorized_name == "Polay Campos, Victor"
    assert {(n.name, n.kind) for n in restored.other_names.all()} == {
        ("Comandante Rolando", "nom_de_guerre"),
        ("Rolo", "alias"),
    }
    assert restored.identifiers.count() == 2
    assert Membership.objects.get().person == restored
    assert CaseParty.objects.get().person == restored
    assert DocumentLink.objects.filter(person=restored).count() == 2
    kept = Person.objects.get(pk=twins["kept"].pk)
    assert kept.authorized_name == "Víctor Polay Campos"
    assert kept.source_list == ["Kept source"]
    assert kept.other_names.count() == 1
    assert client.get(f"/persons/{other.public_id}/").status_code == 200
    assert not Tombstone.objects.current().exists()
    assert Merge.objects.get().undone_at is not None
    assert Version.objects.get_for_object(kept)[0].revision.comment.startswith("Undid the merge")


def test_undo_is_refused_when_the_kept_record_was_edited_since(twins, archivist):
    merge = merged(twins, archivist)
    kept = Person.objects.get(pk=twins["kept"].pk)
    kept.biography = "Rewritten since."
    kept.save()
    with pytest.raises(merging.MergeError, match="biography"):
        merging.undo(merge, archivist)
    assert not Person.objects.filter(pk=twins["other"].pk).exists()


def test_a_merge_never_publishes_a_drafts_data(client, archivist):
    public = factories.person(authorized_name="Public Name")
    draft = factories.person(
        authorized_name="Draft Secretname",
        biography="Unchecked rumour.",
        status=Record.Status.DRAFT,
    )
    PersonName.objects.create(person=draft, name="Hidden Alias", kind="alias")
    PersonIdentifier.objects.create(person=draft, scheme="wikidata", value="Q999")
    document = factories.document()
    DocumentLink.objects.create(document=document, person=draft, role="subject")
    merging.merge(public, draft, archivist)

    kept = Person.objects.get(pk=public.pk)
    assert kept.status == Record.Status.DRAFT
    assert Tombstone.objects.current().filter(public_id=public.public_id).exists()
    for words in ("Secretname", "Hidden Alias", "Public Name"):
        found = client.get("/search/", {"q": words}).content.decode()
        assert public.public_id not in found
    pages = [
        client.get(f"/persons/{public.public_id}/"),
        client.get(f"/documents/{document.public_id}/"),
        client.get("/api/v1/persons/"),
        client.get(f"/api/v1/documents/{document.public_id}/"),
        client.get("/oai/", {"verb": "ListRecords", "metadataPrefix": "oai_dc"}),
    ]
    for page in pages:
        text = page.content.decode()
        for secret in ("Secretname", "Unchecked rumour", "Hidden Alias", "Q999"):
            assert secret not in text


def test_the_side_by_side_page_warns_before_a_public_record_leaves_public_view(
    archivist_client,
):
    public = factories.person(authorized_name="Public Name")
    draft = factories.person(authorized_name="Draft Name", status=Record.Status.DRAFT)
    page = archivist_client.get(admin_url(Person, "merge"), {"a": public.pk, "b": draft.pk})
    assert page.status_code == 200
    assert "leaves public view and becomes a draft" in page.content.decode()


def test_a_protected_person_merged_into_another_keeps_the_result_protected(archivist):
    kept = factories.person()
    merging.merge(kept, factories.person(protected=True, birth_date="1960"), archivist)
    assert Person.objects.get(pk=kept.pk).protected


def test_the_admin_action_leads_to_the_comparison_and_merges(archivist_client):
    a = factories.person(
        authorized_name="Néstor Cerpa Cartolini", birth_place="Lima", nationality=["PE"]
    )
    b = factories.person(authorized_name="Nestor Cerpa", birth_place="Callao")
    response = archivist_client.post(
        admin_url(Person, "changelist"),
        {"action": "merge_selected", "_selected_action": [a.pk, b.pk]},
    )
    assert response.status_code == 302
    page = archivist_client.get(response["Location"])
    text = page.content.decode()
    assert "Néstor Cerpa Cartolini" in text and "Callao" in text and "Peru" in text
    response = archivist_client.post(
        admin_url(Person, "merge"),
        {"a": a.pk, "b": b.pk, "keep": "b", "field_birth_place": "b"},
    )
    assert response.status_code == 302
    assert response["Location"] == admin_url(Person, "change", b.pk)
    kept = Person.objects.get()
    assert (kept.pk, kept.birth_place) == (b.pk, "Callao")
    assert kept.other_names.filter(name="Néstor Cerpa Cartolini").exists()
    (version,) = Version.objects.get_for_object(kept)
    assert version.revision.comment.startswith("Merged Néstor Cerpa Cartolini")
    assert version.revision.user.username == "archie"


@pytest.mark.parametrize("count", [1, 3])
def test_the_merge_action_refuses_anything_but_two_records(archivist_client, count):
    people = [factories.person() for _ in range(count)]
    response = archivist_client.post(
        admin_url(Person, "changelist"),
        {"action": "merge_selected", "_selected_action": [p.pk for p in people]},
        follow=True,
    )
    assert "Select exactly two records" in response.content.decode()
    assert Person.objects.count() == count


@pytest.mark.parametrize("a", ["", "x", "-1", "0", str(10**30)])
def test_a_merge_page_asked_for_ids_that_are_not_records_answers_400_with_a_message(
    archivist_client, a
):
    person = factories.person()
    response = archivist_client.get(admin_url(Person, "merge"), {"a": a, "b": person.pk})
    assert response.status_code == 400
    assert "Choose two existing records" in response.content.decode()


def test_undoing_a_merge_that_cannot_exist_answers_404(archivist_client):
    response = archivist_client.post(reverse("admin:catalogue_merge_undo", args=[10**30]))
    assert response.status_code == 404


def test_a_cataloguer_merges_drafts_but_not_published_records(client):
    user = User.objects.create_user("cata", password="x", is_staff=True)
    user.groups.add(Group.objects.get(name=CATALOGUER))
    client.force_login(user)
    drafts = [factories.person(status=Record.Status.DRAFT) for _ in range(2)]
    published = factories.person()
    url = admin_url(Person, "merge")
    assert client.get(url, {"a": drafts[0].pk, "b": drafts[1].pk}).status_code == 200
    assert client.get(url, {"a": drafts[0].pk, "b": published.pk}).status_code == 403
    assert client.post(url, {"a": drafts[0].pk, "b": published.pk, "keep": "a"}).status_code == 403
    assert Person.objects.count() == 3


def test_staff_without_delete_permission_have_no_merge_action(client):
    user = User.objects.create_user("viewer", password="x", is_staff=True)
    user.user_permissions.set(
        Group.objects.get(name=CATALOGUER).permissions.exclude(codename="delete_person")
    )
    client.force_login(user)
    a, b = factories.person(status="draft"), factories.person(status="draft")
    assert "merge_selected" not in client.get(admin_url(Person, "changelist")).content.decode()
    assert client.get(admin_url(Person, "merge"), {"a": a.pk, "b": b.pk}).status_code == 403


def test_the_merge_page_answers_bad_input_with_400(archivist_client):
    person = factories.person()
    url = admin_url(Person, "merge")
    assert archivist_client.get(url, {"a": "x", "b": person.pk}).status_code == 400
    assert archivist_client.get(url, {"a": person.pk, "b": person.pk}).status_code == 400
    organization = factories.organization()
    assert archivist_client.get(url, {"a": person.pk, "b": organization.pk}).status_code == 400


def test_the_list_of_merges_offers_undo_and_undoes(archivist_client, twins, archivist):
    merge = merged(twins, archivist)
    page = archivist_client.get(admin_url(Merge, "change", merge.pk))
    assert "Undo this merge" in page.content.decode()
    response = archivist_client.post(admin_url(Merge, "undo", merge.pk), follow=True)
    assert "is back" in response.content.decode()
    assert Person.objects.filter(pk=twins["other"].pk).exists()
    assert archivist_client.get(admin_url(Merge, "changelist")).status_code == 200


def test_every_row_that_points_at_a_person_or_organization_is_moved_by_a_merge():
    for model in (Person, Organization):
        pointing = {
            (rel.related_model, rel.field.name)
            for rel in model._meta.related_objects
            if rel.related_model._meta.app_label == "catalogue"
        }
        moved = {(move.model, move.field) for move in merging.MOVES[model]}
        assert pointing == moved, model


def test_the_side_by_side_page_compares_two_organizations_in_words(archivist_client):
    a = factories.organization(authorized_name="MRTA", country="PE", kind="armed_group")
    b = factories.organization(authorized_name="Túpac Amaru Revolutionary Movement")
    OrganizationIdentifier.objects.create(organization=b, scheme="wikidata", value="Q1")
    page = archivist_client.get(admin_url(Organization, "merge"), {"a": a.pk, "b": b.pk})
    text = page.content.decode()
    for shown in ("Peru", "Armed group", "Wikidata: Q1", "Túpac Amaru Revolutionary Movement"):
        assert shown in text


def test_a_merged_away_draft_id_is_not_confirmed_to_the_public(client, archivist):
    kept = factories.person()
    draft = factories.person(status=Record.Status.DRAFT)
    merging.merge(kept, draft, archivist)
    services.change_status([Person.objects.get(pk=kept.pk)], Record.Status.PUBLISHED, archivist)
    assert client.get(f"/persons/{kept.public_id}/").status_code == 200
    assert client.get(f"/persons/{draft.public_id}/").status_code == 404
    assert client.get(f"/api/v1/persons/{draft.public_id}/").status_code == 404


def test_undoing_an_organization_merge_restores_the_relation_it_dropped(archivist):
    kept = factories.organization(authorized_name="Supreme Court")
    twin = factories.organization(authorized_name="Corte Suprema")
    OrganizationRelation.objects.create(source=twin, target=kept, kind="part_of")
    case = factories.legal_case(court=twin)
    merge = merging.merge(kept, twin, archivist)
    merging.undo(merge, archivist)
    assert list(OrganizationRelation.objects.values_list("source", "target")) == [
        (twin.pk, kept.pk)
    ]
    assert LegalCase.objects.get(pk=case.pk).court_id == twin.pk
    assert not OrganizationName.objects.exists()


def test_undo_waits_for_a_later_merge_of_the_kept_record_to_be_undone(twins, archivist):
    first = merged(twins, archivist)
    later = merging.merge(factories.person(), twins["kept"], archivist)
    with pytest.raises(merging.MergeError, match="Undo that first"):
        merging.undo(first, archivist)
    merging.undo(later, archivist)
    merging.undo(first, archivist)
    assert Person.objects.filter(pk=twins["other"].pk).exists()


def test_undo_leaves_rows_deleted_since_the_merge_deleted_and_says_so(twins, archivist):
    merge = merged(twins, archivist)
    Membership.objects.all().delete()
    notes = merging.undo(merge, archivist)
    assert notes == ["1 membership was deleted or moved since and stays as it is."]
    assert CaseParty.objects.get().person_id == twins["other"].pk
