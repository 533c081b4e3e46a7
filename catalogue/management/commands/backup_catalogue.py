from django.core.management import BaseCommand, CommandError
from django.template.defaultfilters import filesizeformat, pluralize

from catalogue import backup


class Command(BaseCommand):
    help = (
        "Write the whole catalogue (records, relationships, history, staff accounts and "
        "attached files) into one archive file, for restore_catalogue to load into an empty "
        "database."
    )

    def add_arguments(self, parser):
        parser.add_argument("path", help="The archive file to write, e.g. memoria-2025-06-01.zip")
        parser.add_argument(
            "--force", action="store_true", help="Replace the file if it already exists."
        )

    def handle(self, *args, path, force, **options):
        try:
            summary = backup.backup(path, force=force)
        except backup.BackupError as error:
            raise CommandError(error) from error
        for label, count in summary.counts.items():
            self.stdout.write(f"  {label}: {count}")
        for name in summary.missing_files:
            self.stderr.write(f"Missing from MEDIA_ROOT, not in the archive: {name}")
        rows, files = sum(summary.counts.values()), summary.files
        size = filesizeformat(summary.path.stat().st_size)
        self.stdout.write(
            self.style.SUCCESS(
                f"Backed up {rows} rows and {files} file{pluralize(files)} "
                f"to {summary.path} ({size})."
            )
        )
