"""A record the public saw and no longer may leaves a tombstone, so partners can remove it."""

import datetime

import pytest
from django.utils import timezone

from catalogue import services
from catalogue.models import Document, Event, Person, Record, Tombstone

from . import factories
from .test_workflow import admin_url, form_data

pytestmark = pytest.mark.django_db


def tombstones():
    return set(Tombstone.objects.current().values_list("record_type", "public_id"))


def test_withdrawing_a_public_record_leaves_a_tombstone(archivist_client):
    event = factories.event()
    archivist_client.post(
        admin_url(Event, "changelist"), {"action": "withdraw", "_selected_action": [event.pk]}
    )
    assert tombstones() == {("event", event.public_id)}


def test_restricting_or_embargoing_in_the_edit_form_leaves_a_tombstone(archivist_client):
    restricted, embargoed = factories.person(), factories.person()
    for person, changes in [
        (restricted, {"access": "restricted"}),
        (embargoed, {"access": "embargoed", "embargo_until": "2999-01-01"}),
    ]:
        url = admin_url(Person, "change", person.pk)
        data = form_data(archivist_client.get(url)) | changes
        assert archivist_client.post(url, data).status_code == 302
    assert tombstones() == {("person", restricted.public_id), ("person", embargoed.public_id)}


def test_deleting_a_public_record_leaves_a_tombstone(archivist_client):
    event = factories.event()
    delete = admin_url(Event, "delete", event.pk)
    assert archivist_client.post(delete, {"post": "yes"}).status_code == 302
    assert tombstones() == {("event", event.public_id)}


def test_bulk_deleting_public_records_leaves_tombstones(archivist_client):
    events = [factories.event(), factories.event()]
    archivist_client.post(
        admin_url(Event, "changelist"),
        {"action": "delete_selected", "_selected_action": [e.pk for e in events], "post": "yes"},
    )
    assert tombstones() == {("event", e.public_id) for e in events}


def test_a_draft_that_was_never_public_leaves_no_trace(archivist_client):
    draft = factories.document(status=Record.Status.DRAFT)
    delete = admin_url(Document, "delete", draft.pk)
    assert archivist_client.post(delete, {"post": "yes"}).status_code == 302
    assert not Tombstone.objects.exists()


def test_a_record_published_again_is_no_longer_gone(archivist_client):
    event = factories.event()
    for action in ("withdraw", "publish"):
        archivist_client.post(
            admin_url(Event, "changelist"), {"action": action, "_selected_action": [event.pk]}
        )
    assert Tombstone.objects.filter(public_id=event.public_id).exists()
    assert tombstones() == set()


def test_an_embargo_that_lifts_counts_as_a_change_without_a_save():
    today = timezone.localdate()
    lifted = factories.event(access="embargoed", embargo_until=today)
    waiting = factories.event(access="embargoed", embargo_until=today + datetime.timedelta(1))
    Event.objects.filter(pk__in=[lifted.pk, waiting.pk]).update(
        updated_at=timezone.now() - datetime.timedelta(days=30)
    )
    yesterday = timezone.now() - datetime.timedelta(days=1)
    assert list(Event.objects.changed_since(yesterday)) == [lifted]
    lifted.refresh_from_db()
    assert lifted.last_changed == datetime.datetime.combine(
        today, datetime.time.min, tzinfo=datetime.UTC
    )


def test_changed_until_agrees_with_last_changed():
    today = timezone.localdate()
    lifted = factories.event(access="embargoed", embargo_until=today)
    Event.objects.filter(pk=lifted.pk).update(
        updated_at=timezone.now() - datetime.timedelta(days=30)
    )
    before_lift = timezone.now() - datetime.timedelta(days=1)
    assert not Event.objects.changed_until(before_lift).exists()
    assert list(Event.objects.changed_until(timezone.now())) == [lifted]


def test_a_removed_document_remembers_the_public_tree_it_was_in(django_user_model):
    user = django_user_model.objects.create(username="remover")
    fonds = factories.document(level="fonds")
    series = factories.document(level="series", parent=fonds)
    item = factories.document(parent=series)
    hidden_series = factories.document(level="series", parent=fonds, status="draft")
    item_under_hidden = factories.document(parent=hidden_series)
    person = factories.person()
    for record in [item, item_under_hidden, person]:
        services.change_status([record], Record.Status.WITHDRAWN, user)
    Document.objects.filter(pk=series.pk).update(status=Record.Status.WITHDRAWN)
    services.change_status([fonds], Record.Status.WITHDRAWN, user)
    collections = dict(Tombstone.objects.values_list("public_id", "collection"))
    assert collections == {
        item.public_id: fonds.public_id,
        series.public_id: fonds.public_id,
        item_under_hidden.public_id: "",  # never in the fonds' public tree
        fonds.public_id: "",
        person.public_id: "",
    }


def test_a_deleted_document_remembers_its_tree_though_the_tree_no_longer_holds_it(
    archivist_client,
):
    fonds = factories.document(level="fonds")
    item = factories.document(parent=factories.document(level="series", parent=fonds))
    response = archivist_client.post(admin_url(Document, "delete", item.pk), {"post": "yes"})
    assert response.status_code == 302
    assert Tombstone.objects.get(public_id=item.public_id).collection == fonds.public_id
