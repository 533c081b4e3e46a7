import csv
import random
import resource
import sys
import tempfile
import time
from pathlib import Path

from django.core.management import BaseCommand, CommandError
from django.db import connection

from catalogue.imports import get_type, run_import

HEADER = [
    "legacy_id",
    "reference_code",
    "title",
    "level",
    "parent",
    "dates",
    "kind",
    "extent_and_medium",
    "languages",
    "scope_and_content",
    "sources",
]


def write_documents(path, rows, seed=1):
    """A synthetic documents CSV of `rows` rows: fonds of series of files of items, each
    pointing to its parent by reference code; one block in ten lists children before their
    parents, as exports from other systems sometimes do."""
    rng = random.Random(seed)
    lines, n = [], 0
    while n < rows:
        fonds = f"BM-{n:06d}"
        lines.append(("fonds", fonds, "", n))
        n += 1
        for s in range(5):
            series = f"{fonds}-S{s}"
            lines.append(("series", series, fonds, n))
            n += 1
            for f in range(10):
                file = f"{series}-F{f}"
                lines.append(("file", file, series, n))
                n += 1
                for i in range(18):
                    lines.append(("item", f"{file}-{i:02d}", file, n))
                    n += 1
    lines = lines[:rows]
    blocks = [lines[i : i + 100] for i in range(0, len(lines), 100)]
    with open(path, "w", newline="", encoding="utf-8") as out:
        writer = csv.writer(out)
        writer.writerow(HEADER)
        for number, block in enumerate(blocks):
            for level, code, parent, i in reversed(block) if number % 10 == 3 else block:
                writer.writerow(
                    [
                        f"bm{i}",
                        code,
                        f"Synthetic {level} {i}",
                        level,
                        parent,
                        f"{1980 + rng.randrange(30)}",
                        "report" if level == "item" else "archival_group",
                        "1 item",
                        "spa|eng" if i % 3 else "spa",
                        f"Benchmark text for {code}: the siege, the trial, the archive.",
                        "Synthetic source, 2024\nSecond line",
                    ]
                )


class Command(BaseCommand):
    help = (
        "Time import_csv on a synthetic documents CSV (a tree with parents, some listed after "
        "their children): wall time, rows per second and peak memory. Writes to the "
        "configured database: run it on a throwaway one."
    )

    def add_arguments(self, parser):
        parser.add_argument("--rows", type=int, default=100_000, help="Rows (100,000).")
        parser.add_argument("--dry-run", action="store_true", help="Roll back at the end.")
        parser.add_argument("--chunk-size", type=int, default=1000)
        parser.add_argument("--keep-file", help="Write the CSV here and keep it.")

    def handle(self, *args, rows, dry_run, chunk_size, keep_file, **options):
        if rows < 1:
            raise CommandError("Give a positive number of rows.")
        folder = tempfile.TemporaryDirectory()
        path = Path(keep_file) if keep_file else Path(folder.name) / "benchmark.csv"
        write_documents(path, rows)
        self.stdout.write(
            f"Database: {connection.vendor}; file: {rows} rows, "
            f"{path.stat().st_size / 1024 / 1024:.1f} MB"
        )
        started = time.perf_counter()
        report = run_import(
            path,
            get_type("document"),
            dry_run=dry_run,
            chunk_size=chunk_size,
            progress=self.progress,
        )
        seconds = time.perf_counter() - started
        peak_mb = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024  # KB on Linux
        folder.cleanup()
        for error in report.errors[:10]:
            self.stdout.write(str(error))
        if report.failed:
            raise CommandError(f"{report.error_count} errors.")
        self.stdout.write(
            self.style.SUCCESS(
                f"Imported {report.total} rows ({report.counts['new']} new) in {seconds:.1f} s: "
                f"{report.total / seconds:.0f} rows/s, peak RSS {peak_mb:.0f} MB"
                + (" (dry run, rolled back)" if dry_run else "")
            )
        )

    def progress(self, done, total, rate):
        if done % 10_000 < 1000 or done == total:
            peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
            sys.stderr.write(f"{done}/{total} rows, {rate:.0f} rows/s, peak RSS {peak:.0f} MB\n")
