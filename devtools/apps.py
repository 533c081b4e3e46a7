from django.apps import AppConfig


class DevtoolsConfig(AppConfig):
    default_auto_field = "django.db.models.BigAutoField"
    name = "devtools"
    # Not translated: the app has no models, so the admin never shows this name.
    verbose_name = "Development tools"
