from django.core.management import BaseCommand, CommandError
from django.template.defaultfilters import pluralize

from catalogue import backup


class Command(BaseCommand):
    help = (
        "Load an archive written by backup_catalogue into an empty, migrated database, all or "
        "nothing, put its files back into MEDIA_ROOT and rebuild the search index."
    )

    def add_arguments(self, parser):
        parser.add_argument("path", help="The archive file written by backup_catalogue.")

    def handle(self, *args, path, **options):
        try:
            summary = backup.restore(path, stdout=self.stdout)
        except backup.BackupError as error:
            raise CommandError(error) from error
        for label, count in summary.counts.items():
            self.stdout.write(f"  {label}: {count}")
        for name in summary.missing_files:
            self.stderr.write(f"Missing when the backup was made, not restored: {name}")
        rows, files = sum(summary.counts.values()), summary.files
        self.stdout.write(
            self.style.SUCCESS(
                f"Restored {rows} rows and {files} file{pluralize(files)} from {summary.path}."
            )
        )
