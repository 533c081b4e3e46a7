"""Import a CSV file of one of our templates (or a registered format): all rows or none."""

import sys

from django.contrib.auth import get_user_model
from django.core.management.base import BaseCommand, CommandError

from catalogue.imports import get_type, run_import, type_names


class Command(BaseCommand):
    help = (
        "Import records or relationships from a CSV file. Nothing is written if any row "
        "fails, or with --dry-run. Rows that match an existing record (public_id, legacy_id "
        "or the natural key) update it; new records are drafts."
    )

    def add_arguments(self, parser):
        parser.add_argument("file", help="The CSV file.")
        parser.add_argument("--type", required=True, choices=type_names(), dest="import_type")
        parser.add_argument(
            "--dry-run", action="store_true", help="Check and report, but write nothing."
        )
        parser.add_argument(
            "--user", help="The archivist the import is recorded under in each record's history."
        )
        parser.add_argument(
            "--source",
            help="The system the legacy_id column's identifiers come from (default: csv).",
        )
        parser.add_argument("--chunk-size", type=int, default=1000, help="Rows per chunk.")

    def handle(self, *args, **options):
        user = None
        if options["user"]:
            try:
                user = get_user_model().objects.get(username=options["user"])
            except get_user_model().DoesNotExist:
                raise CommandError(f"No user {options['user']!r}.") from None
        import_type = get_type(options["import_type"])
        try:
            report = run_import(
                options["file"],
                import_type,
                user=user,
                source=options["source"],
                dry_run=options["dry_run"],
                chunk_size=options["chunk_size"],
                progress=self.progress,
            )
        except FileNotFoundError:
            raise CommandError(f"No file {options['file']!r}.") from None
        for note in report.notes:
            self.stdout.write(f"Note: {note}")
        counts = report.counts
        verb = "Would import" if report.dry_run or report.failed else "Imported"
        self.stdout.write(
            f"{verb} {report.total} rows of {report.file_name or options['file']}: "
            f"{counts['new']} new, {counts['update']} updated, {counts['skip']} unchanged "
            f"(skipped), in {report.seconds:.1f} s."
        )
        for error in report.errors:
            self.stdout.write(str(error))
        if report.error_count > len(report.errors):
            self.stdout.write(f"…and {report.error_count - len(report.errors)} more errors.")
        if report.failed:
            raise CommandError(
                f"{report.error_count} errors: nothing was imported. Correct the file and "
                "import it again."
            )
        if report.dry_run:
            self.stdout.write("Dry run: nothing was written.")

    def progress(self, done, total, rate):
        sys.stderr.write(f"\r{done}/{total} rows, {rate:.0f} rows/s")
        if done >= total:
            sys.stderr.write("\n")
        sys.stderr.flush()
