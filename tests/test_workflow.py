"""Roles, the publication workflow and history, as staff meet them in the admin."""

import pytest
from django.contrib.auth.models import Group, User
from django.urls import reverse
from reversion.models import Version

from catalogue import search
from catalogue.models import Event, Membership, Record
from catalogue.roles import CATALOGUER

from . import factories

pytestmark = pytest.mark.django_db


@pytest.fixture
def cataloguer_client(client):
    user = User.objects.create_user("cata", password="correct horse battery", is_staff=True)
    user.groups.add(Group.objects.get(name=CATALOGUER))
    client.force_login(user)
    return client


def admin_url(model, view, *args):
    return reverse(f"admin:catalogue_{model._meta.model_name}_{view}", args=args)


def form_data(response):
    """What the admin page's form would post back as it stands."""
    data = {}

    def add(form):
        for name in form.fields:
            value = form[name].value()
            if value is None or value is False:
                continue
            key = form.add_prefix(name)
            if value is True:
                data[key] = "on"
            elif isinstance(value, (list, tuple)):
                data[key] = [str(item) for item in value]
            else:
                data[key] = str(value)

    add(response.context["adminform"].form)
    for inline in response.context["inline_admin_formsets"]:
        formset = inline.formset
        add(formset.management_form)
        for form in formset.forms:
            add(form)
    return data


def event_form(client, **changes):
    url = admin_url(Event, "add")
    data = form_data(client.get(url)) | {
        "name": "Hostage crisis",
        "kind": "other",
        "dates": "1996-12-17/1997-04-22",
        "sources": "A source",
        "access": "open",
    }
    return url, data | changes


def test_a_cataloguers_new_record_is_a_draft_even_if_the_form_says_published(cataloguer_client):
    url, data = event_form(cataloguer_client, status="published")
    response = cataloguer_client.post(url, data)
    assert response.status_code == 302, response.context["errors"]
    event = Event.objects.get()
    assert event.status == Record.Status.DRAFT
    assert not event.is_public


def test_a_cataloguer_cannot_publish_or_change_access(cataloguer_client):
    event = factories.event(status=Record.Status.DRAFT)
    page = cataloguer_client.get(admin_url(Event, "change", event.pk))
    for field in ("status", "access", "embargo_until"):
        assert field not in page.context["adminform"].form.fields
    listing = cataloguer_client.get(admin_url(Event, "changelist"))
    actions = dict(listing.context["action_form"].fields["action"].choices)
    assert "publish" not in actions and "withdraw" not in actions
    cataloguer_client.post(
        admin_url(Event, "changelist"),
        {"action": "publish", "_selected_action": [event.pk]},
    )
    event.refresh_from_db()
    assert event.status == Record.Status.DRAFT


def test_a_published_record_is_read_only_to_a_cataloguer(cataloguer_client):
    event = factories.event(name="Published event")
    url = admin_url(Event, "change", event.pk)
    page = cataloguer_client.get(url)
    assert page.status_code == 200  # they may read it
    assert not page.context["has_change_permission"]
    data = {"name": "Changed by a cataloguer", "kind": "other", "dates": event.dates}
    assert cataloguer_client.post(url, data).status_code == 403
    event.refresh_from_db()
    assert event.name == "Published event"


def test_a_cataloguer_cannot_link_two_published_records_behind_their_backs(cataloguer_client):
    person, organization = factories.person(), factories.organization()
    url = admin_url(Membership, "add")
    data = {"person": person.pk, "organization": organization.pk, "kind": "member"}
    assert cataloguer_client.post(url, data).status_code == 403
    assert not Membership.objects.exists()


def test_an_archivist_publishes_and_embargoes(archivist_client):
    event = factories.event(status=Record.Status.DRAFT)
    archivist_client.post(
        admin_url(Event, "changelist"), {"action": "publish", "_selected_action": [event.pk]}
    )
    event.refresh_from_db()
    assert event.is_public
    url = admin_url(Event, "change", event.pk)
    data = form_data(archivist_client.get(url)) | {
        "access": "embargoed",
        "embargo_until": "2999-01-01",
    }
    assert archivist_client.post(url, data).status_code == 302
    event.refresh_from_db()
    assert not event.is_public


def test_an_embargo_needs_its_end_date(archivist_client):
    event = factories.event()
    url = admin_url(Event, "change", event.pk)
    data = form_data(archivist_client.get(url)) | {"access": "embargoed"}
    response = archivist_client.post(url, data)
    assert response.status_code == 200
    assert "Give the date the embargo ends." in response.content.decode()


def test_staff_accounts_are_managed_by_superusers_only(archivist_client, cataloguer_client):
    assert archivist_client.get(reverse("admin:auth_user_changelist")).status_code == 403
    assert cataloguer_client.get(reverse("admin:auth_user_changelist")).status_code == 403


def test_every_admin_change_is_kept_with_who_and_what_and_can_be_reverted(
    archivist_client, archivist
):
    url, data = event_form(archivist_client, name="First wording", status="published")
    archivist_client.post(url, data)
    event = Event.objects.get()
    change = admin_url(Event, "change", event.pk)
    data = form_data(archivist_client.get(change)) | {"name": "Second wording"}
    assert archivist_client.post(change, data).status_code == 302

    versions = Version.objects.get_for_object(event)
    assert versions.count() == 2
    assert {version.revision.user for version in versions} == {archivist}
    history = archivist_client.get(admin_url(Event, "history", event.pk)).content.decode()
    assert "Changed Name." in history or "Changed name." in history

    first = versions.last()
    revert_url = admin_url(Event, "revision", event.pk, first.pk)
    reverted = form_data(archivist_client.get(revert_url))
    assert archivist_client.post(revert_url, reverted).status_code == 302
    event.refresh_from_db()
    assert event.name == "First wording"
    assert Version.objects.get_for_object(event).count() == 3
    # The search index follows the revert.
    assert search.counts(search.parse("first wording"))["event"] == 1
    assert search.counts(search.parse("second wording"))["event"] == 0


def test_a_deleted_record_can_be_restored_from_history(archivist_client):
    url, data = event_form(archivist_client, name="Deleted by mistake", status="published")
    archivist_client.post(url, data)
    event = Event.objects.get()
    public_id = event.public_id
    delete = admin_url(Event, "delete", event.pk)
    assert archivist_client.post(delete, {"post": "yes"}).status_code == 302
    assert not Event.objects.exists()

    listing = archivist_client.get(admin_url(Event, "recoverlist")).content.decode()
    assert "Deleted by mistake" in listing
    version = Version.objects.get_deleted(Event).get()
    recover = admin_url(Event, "recover", version.pk)
    assert (
        archivist_client.post(recover, form_data(archivist_client.get(recover))).status_code == 302
    )
    restored = Event.objects.get()
    assert restored.public_id == public_id
    assert restored.is_public
    assert search.counts(search.parse("deleted mistake"))["event"] == 1
