from django.db import migrations

# The languages of this archive's material; archivists add others in the admin.
LANGUAGES = [
    ("spa", "es", "Spanish"),
    ("eng", "en", "English"),
    ("que", "qu", "Quechua"),
    ("aym", "ay", "Aymara"),
    ("por", "pt", "Portuguese"),
    ("fra", "fr", "French"),
    ("deu", "de", "German"),
    ("ita", "it", "Italian"),
    ("jpn", "ja", "Japanese"),
]


def add_languages(apps, schema_editor):
    Language = apps.get_model("catalogue", "Language")
    for code, iso639_1, name in LANGUAGES:
        Language.objects.get_or_create(code=code, defaults={"iso639_1": iso639_1, "name": name})


class Migration(migrations.Migration):
    dependencies = [("catalogue", "0001_initial")]

    operations = [migrations.RunPython(add_languages, migrations.RunPython.noop)]
