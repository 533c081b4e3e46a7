"""The record type is `record_type`; `kind` is left to the subtypes (a document's kind...)."""

from django.db import migrations, models


class Migration(migrations.Migration):
    dependencies = [
        ("catalogue", "0010_tombstone_collection"),
    ]

    operations = [
        # Search entries: renamed in the models only. The column stays `kind`, so the table
        # and the triggers that feed the full-text index are left as they are.
        migrations.SeparateDatabaseAndState(
            state_operations=[
                migrations.AlterModelOptions(
                    name="searchentry",
                    options={
                        "ordering": ["record_type", "object_id"],
                        "verbose_name": "search entry",
                        "verbose_name_plural": "search entries",
                    },
                ),
                migrations.RemoveConstraint(model_name="searchentry", name="unique_search_entry"),
                migrations.RenameField(
                    model_name="searchentry", old_name="kind", new_name="record_type"
                ),
                migrations.AlterField(
                    model_name="searchentry",
                    name="record_type",
                    field=models.CharField(db_column="kind", max_length=20),
                ),
                migrations.AddConstraint(
                    model_name="searchentry",
                    constraint=models.UniqueConstraint(
                        fields=("record_type", "object_id"), name="unique_search_entry"
                    ),
                ),
            ],
        ),
        migrations.RemoveConstraint(model_name="tombstone", name="unique_tombstone"),
        migrations.RenameField(model_name="tombstone", old_name="kind", new_name="record_type"),
        migrations.AddConstraint(
            model_name="tombstone",
            constraint=models.UniqueConstraint(
                fields=("record_type", "public_id"), name="unique_tombstone"
            ),
        ),
    ]
