import time

from django.core.management import BaseCommand

from catalogue import search


class Command(BaseCommand):
    help = "Index every record for full-text search again (after a bulk load or a restore)."

    def handle(self, *args, **options):
        started = time.monotonic()
        total = search.rebuild()
        elapsed = time.monotonic() - started
        self.stdout.write(f"Indexed {total} records for search in {elapsed:.1f} s.")
