"""Staff roles, kept in step with the models after every migrate."""

from django.apps import apps
from django.contrib.auth.models import Group, Permission
from django.contrib.contenttypes.models import ContentType

ARCHIVIST = "Archivist"


def catalogue_permissions():
    models = apps.get_app_config("catalogue").get_models()
    content_types = ContentType.objects.get_for_models(*models).values()
    return Permission.objects.filter(content_type__in=content_types)


def ensure_groups(sender=None, **kwargs):
    """Archivists describe, link, import and publish every kind of catalogue record."""
    if sender is not None and sender.name != "catalogue":
        return
    group, _ = Group.objects.get_or_create(name=ARCHIVIST)
    group.permissions.set(catalogue_permissions())
