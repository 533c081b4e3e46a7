"""Measure the catalogue as the public sees it: real HTTP requests to gunicorn on loopback.

Latency percentiles come from a sequential pass (one request at a time, so they are not
inflated by queueing); requests per second from a concurrent pass with --concurrency client
threads. Both passes are bounded by --requests and --max-seconds. With --backend both (the
default) every scenario runs against a server searching the database, then against one
searching the embedded index, and the two are printed side by side.
"""

import itertools
import json
import os
import platform
import subprocess
import sys
import threading
import time
from collections import Counter
from dataclasses import asdict
from urllib.parse import urlencode

import django
from django.conf import settings
from django.core.management import BaseCommand, CommandError
from django.db import DatabaseError

from catalogue.models import Document
from devtools.benchmark_server import gunicorn, memory_mb
from devtools.benchmarking import (
    Result,
    Target,
    comparison,
    database_description,
    folder_bytes,
    index_problem,
    percentile,
    table,
)
from devtools.synthetic import COMMON_TERM, PHRASE_TERM, PLACES, RARE_TERM

SEARCH = "/search/?"
SCENARIOS = {
    "home": "/",
    "search-common": SEARCH + urlencode({"q": COMMON_TERM}),
    "search-phrase": SEARCH + urlencode({"q": f'"{PHRASE_TERM}"'}),
    "search-rare": SEARCH + urlencode({"q": RARE_TERM}),
    "search-de": SEARCH + urlencode({"q": "de"}),  # in most Spanish text: nearly every document
    # The most frequent place (Zipf order) with the common word: both lists are long, the
    # documents holding both few (about 6% at 100k).
    "search-two": SEARCH + urlencode({"q": f"{COMMON_TERM} {PLACES[0].lower()}"}),
    "detail": "/documents/{public_id}/",
    "list-filtered": "/documents/?"
    + urlencode({"kind": Document.Kind.REPORT, "date_from": 1990, "date_to": 2000}),
    "api-list": "/api/v1/documents/?"
    + urlencode({"kind": Document.Kind.REPORT, "page_size": 100, "ordering": "modified"}),
    "api-detail": "/api/v1/documents/{public_id}/",
    "admin-login": "/admin/login/",
}
DEFAULT_SCENARIOS = [name for name in SCENARIOS if name != "admin-login"]
DETAIL_DOCUMENTS = 100  # the detail scenario rotates over this many published documents
BACKENDS = ("database", "tantivy")  # MEMORIA_SEARCH_ENGINE; run in this order with `both`


class Command(BaseCommand):
    help = (
        "Benchmark the public pages over HTTP: start gunicorn on 127.0.0.1 (or use --url), "
        "then measure latency and throughput for each scenario. Scenarios: "
        + ", ".join(SCENARIOS)
        + f". Default: {', '.join(DEFAULT_SCENARIOS)}."
    )

    def add_arguments(self, parser):
        parser.add_argument(
            "--requests", type=int, default=200, help="Requests per scenario and pass (200)."
        )
        parser.add_argument("--workers", type=int, default=2, help="Gunicorn workers (2).")
        parser.add_argument(
            "--concurrency", type=int, default=2, help="Client threads for req/s (2)."
        )
        parser.add_argument(
            "--scenario",
            action="append",
            choices=list(SCENARIOS),
            help="Run only this scenario; repeat for several.",
        )
        parser.add_argument(
            "--url",
            help="Benchmark a server already running on this machine, "
            "e.g. http://127.0.0.1:8000, instead of starting gunicorn.",
        )
        parser.add_argument(
            "--backend",
            choices=[*BACKENDS, "both"],
            help="What search goes through (MEMORIA_SEARCH_ENGINE): the database, the embedded "
            "index (tantivy), or both, one server after the other (the default). With --url, "
            "the engine that server uses.",
        )
        parser.add_argument(
            "--warmup", type=int, default=10, help="Unmeasured requests per scenario (10)."
        )
        parser.add_argument(
            "--max-seconds",
            type=float,
            default=60,
            help="Stop a pass of a scenario after this long (60).",
        )
        parser.add_argument(
            "--timeout", type=float, default=30, help="Seconds to wait for one response (30)."
        )
        parser.add_argument("--json", action="store_true", help="Print JSON only.")

    def handle(self, *args, **options):
        for name, low, high in (
            ("requests", 1, 100_000),
            ("workers", 1, 64),
            ("concurrency", 1, 64),
            ("warmup", 0, 1000),
        ):
            if not low <= options[name] <= high:
                raise CommandError(f"--{name} must be between {low} and {high}.")
        if options["max_seconds"] <= 0 or options["timeout"] <= 0:
            raise CommandError("--max-seconds and --timeout must be positive.")
        if options["url"] and options["backend"] in (None, "both"):
            raise CommandError(
                "--url measures a server this command did not start: say which engine it "
                "searches with, --backend tantivy or --backend database."
            )
        self.options = options
        self.log = self.stderr.write if options["json"] else self.stdout.write
        scenarios = list(dict.fromkeys(options["scenario"] or DEFAULT_SCENARIOS))
        backend = options["backend"] or "both"
        report = {"environment": self.environment(), "runs": []}
        try:
            for name in BACKENDS if backend == "both" else [backend]:
                report["runs"].append(self.measure(name, scenarios))
        except KeyboardInterrupt:
            raise CommandError("Interrupted; nothing was measured to the end.") from None

        if options["json"]:
            self.stdout.write(json.dumps(report, indent=2, ensure_ascii=False))
        elif len(report["runs"]) == 1:
            self.stdout.write(table(report))
        else:
            self.stdout.write(comparison(report))

    # Measuring

    def measure(self, backend, scenarios):
        """Every scenario against one backend, with what its server used."""
        opts = self.options
        folder = str(settings.MEMORIA_SEARCH_DIR)
        run = {
            "backend": backend,
            "server": None,
            "load": " ".join(f"{n:.2f}" for n in os.getloadavg()),  # others share the machine
            "worker_rss_mb": None,  # at the end of the run
            "worker_anon_mb": None,  # the part of it that is not pages of mapped files
            "index_dir": folder if backend == "tantivy" else None,
            "index_bytes": None,
            "index_rebuild_seconds": None,
            "results": [],
        }
        self.log(f"Backend {backend}:")
        if opts["url"]:
            target = Target.from_url(opts["url"])
            run["server"] = f"already running at {target.url}"
            run["index_dir"] = None  # its index is wherever that server was told
            run["results"] = self.run(target, scenarios)
            return run
        if backend == "tantivy":
            run["index_rebuild_seconds"] = self.ensure_index(folder)
        environment = {"MEMORIA_SEARCH_ENGINE": backend, "MEMORIA_SEARCH_DIR": folder}
        self.server_failed = False
        with gunicorn(opts["workers"], environment, self.log, self.stderr.write) as server:
            run["server"] = server.description
            try:
                run["results"] = self.run(server.target, scenarios)
            finally:
                server.failed = self.server_failed  # then its log is shown when it stops
            workers = [found for pid in server.worker_pids() if (found := memory_mb(pid))]
            run["worker_rss_mb"] = [round(found["VmRSS"], 1) for found in workers]
            run["worker_anon_mb"] = [round(found["RssAnon"], 1) for found in workers]
        if backend == "tantivy":
            run["index_bytes"] = folder_bytes(folder)
        return run

    def ensure_index(self, folder):
        """Build the embedded index if it cannot serve; return the seconds that took, or None."""
        problem = index_problem(folder)
        if problem is None:
            return None
        self.log(f"{folder} {problem}: rebuild_search_index --engine-only ...")
        started = time.perf_counter()
        # In a process of its own, under the settings the server gets.
        manage = str(settings.BASE_DIR / "manage.py")
        rebuilt = subprocess.run(
            [sys.executable, manage, "rebuild_search_index", "--engine-only"],
            env={**os.environ, "MEMORIA_SEARCH_ENGINE": "tantivy", "MEMORIA_SEARCH_DIR": folder},
            capture_output=True,
            text=True,
        )
        elapsed = time.perf_counter() - started
        if rebuilt.returncode:
            raise CommandError(f"rebuild_search_index failed:\n{rebuilt.stderr[-2000:]}")
        self.log(f"{rebuilt.stdout.strip()} ({elapsed:.1f} s with the command's start)")
        return round(elapsed, 1)

    def run(self, target, scenarios):
        opts = self.options
        self.server_failed = False  # a 5xx or a dropped connection: show the server's log
        results = []
        for name in scenarios:
            paths = self.paths(name)
            if not paths:
                results.append(
                    Result(name, SCENARIOS[name], note="skipped: no published documents")
                )
                continue
            self.log(f"{name}: {opts['requests']} requests ...")
            self.concurrent(target, paths, opts["warmup"])
            result = Result(name, paths[0] if len(paths) == 1 else SCENARIOS[name])
            statuses, seconds, stopped = self.sequential(target, paths, opts["requests"])
            result.sequential_requests = sum(statuses.values())
            latencies = [s * 1000 for s in seconds]
            result.median_ms = percentile(latencies, 50)
            result.p95_ms = percentile(latencies, 95)
            result.max_ms = max(latencies)
            more, elapsed, stopped_too = self.concurrent(target, paths, opts["requests"])
            statuses.update(more)
            result.concurrent_requests = sum(more.values())
            result.requests_per_second = result.concurrent_requests / elapsed
            result.requests = sum(statuses.values())
            result.statuses = {str(k): v for k, v in sorted(statuses.items(), key=str)}
            result.errors = sum(n for status, n in statuses.items() if status != 200)
            if any(not isinstance(status, int) or status >= 500 for status in statuses):
                self.server_failed = True
            if stopped or stopped_too:
                result.note = f"stopped after {opts['max_seconds']:g} s"
            results.append(result)
        return [asdict(r) for r in results]

    def paths(self, name):
        if "{public_id}" not in SCENARIOS[name]:
            return [SCENARIOS[name]]
        ids = list(Document.objects.public().order_by("pk").values_list("public_id", flat=True))
        step = max(1, len(ids) // DETAIL_DOCUMENTS)
        return [SCENARIOS[name].format(public_id=i) for i in ids[::step][:DETAIL_DOCUMENTS]]

    def sequential(self, target, paths, count):
        statuses, seconds = Counter(), []
        deadline = time.monotonic() + self.options["max_seconds"]
        for number in range(count):
            if time.monotonic() > deadline:
                return statuses, seconds, True
            status, elapsed = target.get(paths[number % len(paths)], self.options["timeout"])
            statuses[status or "network error"] += 1
            seconds.append(elapsed)
        return statuses, seconds, False

    def concurrent(self, target, paths, count):
        """Send count requests from --concurrency threads; return (statuses, seconds, stopped)."""
        statuses, lock, numbers = Counter(), threading.Lock(), itertools.count()
        stop, timed_out = threading.Event(), threading.Event()
        deadline = time.monotonic() + self.options["max_seconds"]

        def client():
            while not stop.is_set():
                number = next(numbers)
                if number >= count:
                    return
                if time.monotonic() > deadline:
                    timed_out.set()
                    return
                status, _ = target.get(paths[number % len(paths)], self.options["timeout"])
                with lock:
                    statuses[status or "network error"] += 1

        threads = [
            threading.Thread(target=client, daemon=True) for _ in range(self.options["concurrency"])
        ]
        started = time.perf_counter()
        try:
            for thread in threads:
                thread.start()
            for thread in threads:
                thread.join()
        finally:
            stop.set()  # on Ctrl-C the clients finish their request and stop
        return statuses, time.perf_counter() - started, timed_out.is_set()

    # Reporting

    def environment(self):
        try:
            documents = Document.objects.count()
        except DatabaseError as error:
            raise CommandError(f"Cannot read the catalogue ({error}); run migrate?") from error
        return {
            "database": database_description(),
            "documents": documents,
            "published_documents": Document.objects.public().count(),
            "client": (
                f"{self.options['concurrency']} threads; {self.options['requests']} requests "
                f"per scenario and pass, {self.options['warmup']} warm-up"
            ),
            "python": platform.python_version(),
            "django": django.get_version(),
            "cpus": os.cpu_count(),
            "platform": platform.platform(),
        }
