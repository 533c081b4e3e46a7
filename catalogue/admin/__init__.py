"""The archivists' workspace, one module per concern."""

from django.contrib import admin
from django.utils.translation import gettext_lazy as _

from . import links, records, system  # noqa: F401  (registers the models)

admin.site.site_header = _("Memoria: archivists' workspace")
admin.site.site_title = _("Memoria admin")
admin.site.index_title = _("Catalogue")
