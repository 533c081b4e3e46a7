"""Write a synthetic AtoM description CSV (see devtools.atom_csv) to measure imports on."""

from django.core.management import BaseCommand

from devtools import atom_csv


class Command(BaseCommand):
    help = "Write a synthetic AtoM ISAD description CSV: a shuffled tree of descriptions."

    def add_arguments(self, parser):
        parser.add_argument("path")
        parser.add_argument("--descriptions", type=int, default=10_000)
        parser.add_argument("--seed", type=int, default=1)

    def handle(self, *args, path, descriptions, seed, **options):
        with open(path, "w", encoding="utf-8", newline="") as stream:
            atom_csv.write(stream, descriptions, seed)
        self.stdout.write(f"Wrote {descriptions} descriptions to {path}.")
