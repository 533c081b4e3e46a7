"""Measure the catalogue as the public sees it: real HTTP requests to gunicorn on loopback.

Latency percentiles come from a sequential pass (one request at a time, so they are not
inflated by queueing); requests per second from a concurrent pass with --concurrency client
threads. Both passes are bounded by --requests and --max-seconds.
"""

import itertools
import json
import os
import platform
import shutil
import signal
import subprocess
import sys
import tempfile
import threading
import time
from collections import Counter
from contextlib import contextmanager
from dataclasses import asdict
from urllib.parse import urlencode

import django
from django.conf import settings
from django.core.management import BaseCommand, CommandError
from django.db import DatabaseError

from catalogue.models import Document
from devtools.benchmarking import (
    Result,
    Target,
    database_description,
    exit_on_sigterm,
    free_port,
    gunicorn_version,
    percentile,
    stop,
)
from devtools.synthetic import COMMON_TERM, PHRASE_TERM, RARE_TERM

SEARCH = "/search/?"
SCENARIOS = {
    "home": "/",
    "search-common": SEARCH + urlencode({"q": COMMON_TERM}),
    "search-phrase": SEARCH + urlencode({"q": f'"{PHRASE_TERM}"'}),
    "search-rare": SEARCH + urlencode({"q": RARE_TERM}),
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
STARTUP_SECONDS = 60
# No control socket: it would be a file in $HOME shared by every run.
GUNICORN_OPTIONS = ("--no-control-socket", "--timeout", "60", "--graceful-timeout", "5")


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
        self.options = options
        self.server_failed = False  # a 5xx or a dropped connection: show the server's log
        self.log = self.stderr.write if options["json"] else self.stdout.write
        scenarios = list(dict.fromkeys(options["scenario"] or DEFAULT_SCENARIOS))
        environment = self.environment()

        try:
            if options["url"]:
                target = Target.from_url(options["url"])
                environment["server"] = f"already running at {target.url}"
                report = self.run(target, scenarios, environment)
            else:
                version = gunicorn_version()
                with self.gunicorn(options["workers"]) as target:
                    environment["server"] = (
                        f"gunicorn {version}, {options['workers']} sync workers "
                        f"at {target.url}, DEBUG off"
                    )
                    report = self.run(target, scenarios, environment)
        except KeyboardInterrupt:
            raise CommandError("Interrupted; nothing was measured to the end.") from None

        if options["json"]:
            self.stdout.write(json.dumps(report, indent=2, ensure_ascii=False))
        else:
            self.stdout.write(self.table(report))

    # Measuring

    def run(self, target, scenarios, environment):
        opts = self.options
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
        return {"environment": environment, "results": [asdict(r) for r in results]}

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

    # The server

    @contextmanager
    def gunicorn(self, workers):
        workdir = tempfile.mkdtemp(prefix="memoria-benchmark-")
        on_main_thread = threading.current_thread() is threading.main_thread()
        if on_main_thread:
            previous = signal.signal(signal.SIGTERM, exit_on_sigterm)
        process, log_path = None, os.path.join(workdir, "gunicorn.log")
        try:
            env = {
                **os.environ,
                "DEBUG": "0",
                "STATIC_ROOT": os.path.join(workdir, "static"),
                # The benchmark is one caller making thousands of requests: measure the API,
                # not its rate limit.
                "MEMORIA_API_ANONYMOUS_RATE": "1000000/minute",
            }
            started = time.perf_counter()
            # Production settings serve hashed static files from a manifest: build one apart.
            manage = str(settings.BASE_DIR / "manage.py")
            collect = subprocess.run(
                [sys.executable, manage, "collectstatic", "--noinput", "--verbosity", "0"],
                env=env,
                capture_output=True,
                text=True,
                timeout=300,
            )
            if collect.returncode:
                raise CommandError(f"collectstatic failed:\n{collect.stderr[-2000:]}")
            self.log(f"Collected static files in {time.perf_counter() - started:.1f} s.")

            module, _, application = settings.WSGI_APPLICATION.rpartition(".")
            port = free_port()
            with open(log_path, "w") as log:
                process = subprocess.Popen(
                    [
                        *(sys.executable, "-m", "gunicorn", f"{module}:{application}"),
                        *("--bind", f"127.0.0.1:{port}", "--workers", str(workers)),
                        *("--pythonpath", str(settings.BASE_DIR), *GUNICORN_OPTIONS),
                    ],
                    env=env,
                    stdout=log,
                    stderr=subprocess.STDOUT,
                    start_new_session=True,  # Ctrl-C reaches this command, which stops it
                )
            target = Target("127.0.0.1", port)
            self.wait_until_up(process, target, log_path)
            self.log(
                f"gunicorn answers at {target.url} after {time.perf_counter() - started:.1f} s."
            )
            yield target
        finally:
            if process is not None:
                stop(process)
                self.log("Stopped gunicorn.")
                if self.server_failed:
                    with open(log_path) as log:
                        self.stderr.write("The end of gunicorn's log:\n" + log.read()[-4000:])
            if on_main_thread:
                signal.signal(signal.SIGTERM, previous)
            shutil.rmtree(workdir, ignore_errors=True)

    def wait_until_up(self, process, target, log_path):
        deadline = time.monotonic() + STARTUP_SECONDS
        while time.monotonic() < deadline:
            if process.poll() is not None:
                with open(log_path) as log:
                    raise CommandError(f"gunicorn exited at startup:\n{log.read()[-3000:]}")
            status, _ = target.get("/", timeout=5)
            if status is not None:
                return
            time.sleep(0.2)
        raise CommandError(f"gunicorn did not answer within {STARTUP_SECONDS} s.")

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

    def table(self, report):
        env = report["environment"]
        lines = [
            "Memoria benchmark",
            f"  server     {env['server']}",
            f"  database   {env['database']}",
            f"  documents  {env['documents']} ({env['published_documents']} published)",
            f"  client     {env['client']}",
            f"  machine    {env['cpus']} CPUs, {env['platform']}, Python {env['python']}, "
            f"Django {env['django']}",
            "  requests and errors: both passes; latency: the sequential pass; "
            "req/s: the concurrent pass",
            "",
            f"{'scenario':<15} {'requests':>8} {'errors':>6} {'median ms':>9} {'p95 ms':>8} "
            f"{'req/s':>8}  statuses",
        ]
        for r in report["results"]:
            if not r["requests"]:
                lines.append(f"{r['scenario']:<15} {r['note']}")
                continue
            statuses = " ".join(f"{status}×{n}" for status, n in r["statuses"].items())
            lines.append(
                f"{r['scenario']:<15} {r['requests']:>8} {r['errors']:>6} "
                f"{r['median_ms']:>9.1f} {r['p95_ms']:>8.1f} {r['requests_per_second']:>8.1f}  "
                f"{statuses}{'  ' + r['note'] if r['note'] else ''}"
            )
        return "\n".join(lines)
