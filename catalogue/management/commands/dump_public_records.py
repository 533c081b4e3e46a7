import time

from django.conf import settings
from django.core.management import BaseCommand

from catalogue.api import dump


class Command(BaseCommand):
    help = (
        "Write every public record, as the API gives it, to one gzipped JSON Lines file that "
        "partners download from /api/v1/dump/. Records changed since are served as they stand "
        "(see catalogue.api.dump), at a cost that grows with the changes: run it nightly."
    )

    def add_arguments(self, parser):
        parser.add_argument(
            "--folder", help=f"Where to write it (default: {settings.MEMORIA_DUMP_ROOT})."
        )

    def handle(self, *args, folder=None, **options):
        started = time.monotonic()
        counts = dump.write(folder)
        elapsed = time.monotonic() - started
        summary = ", ".join(f"{count} {key}" for key, count in counts.items())
        self.stdout.write(
            f"Wrote {sum(counts.values())} public records ({summary}) "
            f"to {folder or settings.MEMORIA_DUMP_ROOT} in {elapsed:.1f} s."
        )
