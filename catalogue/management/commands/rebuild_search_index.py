import time

from django.core.management import BaseCommand, CommandError
from django.db import connection

from catalogue import search


class Command(BaseCommand):
    help = (
        "Index every record for full-text search again: the database's own index, then the "
        "embedded search index (MEMORIA_SEARCH_DIR), which is swapped in whole when it is "
        "built; refresh the database's planner statistics (after a bulk load or a restore)."
    )

    def add_arguments(self, parser):
        parser.add_argument(
            "--engine-only",
            action="store_true",
            help="Rebuild only the embedded index, from the database's search entries.",
        )

    def handle(self, *args, **options):
        if not options["engine_only"]:
            started = time.monotonic()
            total = search.rebuild()
            elapsed = time.monotonic() - started
            self.stdout.write(f"Indexed {total} records for search in {elapsed:.1f} s.")
            # After a bulk load the query planner's statistics are stale or missing; with them
            # it picks the covering indexes that browse pages and search counts rely on.
            with connection.cursor() as cursor:
                cursor.execute("ANALYZE")
                if connection.vendor == "sqlite" and not connection.in_atomic_block:
                    # Fold the load's write-ahead log into the database file, where reads go
                    # through the memory map instead of the page cache.
                    cursor.execute("PRAGMA wal_checkpoint(TRUNCATE)")
        if not search.engine.enabled():
            return
        started = time.monotonic()

        def progress(done):
            self.stderr.write(f"  embedded index: {done} records…")

        try:
            total = search.engine.rebuild(progress)
        except search.engine.Unavailable as error:
            raise CommandError(f"The embedded index was not rebuilt: {error}.") from error
        elapsed = time.monotonic() - started
        folder = search.engine.engine().root
        size = sum(path.stat().st_size for path in folder.rglob("*") if path.is_file())
        self.stdout.write(
            f"Built the embedded search index of {total} public records in {elapsed:.1f} s "
            f"({size / 1e6:.0f} MB in {folder})."
        )
