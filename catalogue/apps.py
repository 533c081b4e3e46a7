from django.apps import AppConfig
from django.db.models.signals import post_migrate
from django.utils.translation import gettext_lazy as _


class CatalogueConfig(AppConfig):
    default_auto_field = "django.db.models.BigAutoField"
    name = "catalogue"
    verbose_name = _("Catalogue")

    def ready(self):
        from .roles import ensure_groups
        from .search import tracking

        tracking.connect()

        # Permissions only exist once every app has migrated, so groups are kept in step here.
        post_migrate.connect(ensure_groups, dispatch_uid="catalogue.ensure_groups")
