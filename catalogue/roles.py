"""Staff roles, kept in step with the models after every migrate.

- Cataloguers describe and link records as drafts; they cannot publish, withdraw or change
  access, and a record that has left draft is read-only to them.
- Archivists do all that and also publish, withdraw and set access (the publish_* permissions).
- Only archivists issue and revoke partners' API keys, and edit the About page.
- Superusers manage staff accounts; neither group may.
"""

from django.apps import apps
from django.contrib.auth.models import Group, Permission
from django.contrib.contenttypes.models import ContentType

ARCHIVIST = "Archivist"
CATALOGUER = "Cataloguer"


def catalogue_permissions():
    models = apps.get_app_config("catalogue").get_models()
    content_types = ContentType.objects.get_for_models(*models).values()
    return Permission.objects.filter(content_type__in=content_types)


def ensure_groups(sender=None, **kwargs):
    if sender is not None and sender.name != "catalogue":
        return
    archivists, _ = Group.objects.get_or_create(name=ARCHIVIST)
    archivists.permissions.set(catalogue_permissions())
    cataloguers, _ = Group.objects.get_or_create(name=CATALOGUER)
    cataloguers.permissions.set(
        catalogue_permissions()
        .exclude(codename__startswith="publish_")
        .exclude(codename__endswith="_apikey")
        .exclude(codename__endswith="_apikeyusage")
        # The archive's own voice: archivists edit it; cataloguers may read it.
        .exclude(codename__in=["add_abouttext", "change_abouttext", "delete_abouttext"])
    )
