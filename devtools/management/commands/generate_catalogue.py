import secrets
import time

from django.core.management import BaseCommand, CommandError, call_command, get_commands
from django.db import connection

from catalogue import search
from devtools import synthetic

SEARCH_INDEX_COMMAND = "rebuild_search_index"


class Command(BaseCommand):
    help = (
        "Create a realistic synthetic catalogue of N documents, with proportionate persons, "
        "organizations, legal cases, events and the links between them, for load tests and "
        "benchmarks. Benchmark terms: "
        f"{synthetic.COMMON_TERM!r} in {synthetic.COMMON_SHARE:.0%} of documents, the phrase "
        f"{synthetic.PHRASE_TERM!r} in {synthetic.PHRASE_SHARE:.1%}, {synthetic.RARE_TERM!r} in "
        f"{synthetic.RARE_COUNT}."
    )

    def add_arguments(self, parser):
        parser.add_argument("documents", type=int, help="How many documents to create.")
        parser.add_argument(
            "--seed", type=int, help="Seed for deterministic output; random when omitted."
        )
        parser.add_argument(
            "--clear",
            action="store_true",
            help="Delete every catalogue record (documents, persons, organizations, cases, "
            "events and their links) first.",
        )
        parser.add_argument(
            "--batch-size", type=int, default=2000, help="Rows per bulk insert (default 2000)."
        )

    def handle(self, *args, documents, seed, clear, batch_size, **options):
        if documents < 1:
            raise CommandError("Give a positive number of documents.")
        if batch_size < 1:
            raise CommandError("--batch-size must be positive.")
        seed = secrets.randbelow(10**6) if seed is None else seed
        started = time.perf_counter()
        self.stdout.write(f"Database: {connection.vendor} ({connection.settings_dict['NAME']})")
        if clear:
            synthetic.clear_catalogue()
            self.stdout.write(f"Cleared the catalogue in {time.perf_counter() - started:.1f} s.")

        builder = synthetic.CatalogueBuilder(
            documents, seed=seed, batch_size=batch_size, progress=self.stdout.write
        )
        try:
            # Its search entries are written once, by the rebuild below.
            with search.deferred():
                builder.build()
        except LookupError as error:
            raise CommandError(str(error)) from error
        self.stdout.write(
            self.style.SUCCESS(
                f"Generated {documents} documents in {time.perf_counter() - started:.1f} s "
                f"(seed {seed}; reference codes {builder.prefix}-…)."
            )
        )

        if SEARCH_INDEX_COMMAND in get_commands():
            indexing = time.perf_counter()
            call_command(SEARCH_INDEX_COMMAND, stdout=self.stdout, stderr=self.stderr)
            self.stdout.write(f"Search index rebuilt in {time.perf_counter() - indexing:.1f} s.")
        else:
            self.stdout.write(
                f"Search indexing skipped: there is no {SEARCH_INDEX_COMMAND} command yet."
            )
        self.stdout.write(f"Total time {time.perf_counter() - started:.1f} s.")
