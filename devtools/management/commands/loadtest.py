"""Hold the catalogue under load: N concurrent clients, for a bounded time, on loopback.

Where `benchmark` measures one scenario at a time, this drives a realistic mix at once:
searches, browse pages with filters, record pages, API lists and details, and OAI-PMH pages,
each client picking its next request at random by weight, without pause. It reports every
kind's latency percentiles and errors, the throughput, the load average and each worker's
memory. Bounded by --seconds and --max-requests; only loopback addresses.
"""

import json
import os
import random
import threading
import time
from collections import defaultdict
from urllib.parse import urlencode

from django.conf import settings
from django.core.management import BaseCommand, CommandError

from catalogue.models import Document, LegalCase, Organization, Person
from devtools.benchmark_server import gunicorn, memory_mb
from devtools.benchmarking import Target, database_description, percentile
from devtools.synthetic import COMMON_TERM, PHRASE_TERM, PLACES, RARE_TERM

SAMPLE = 200  # record ids per type the clients pick from
SEARCH_WORDS = [COMMON_TERM, f'"{PHRASE_TERM}"', RARE_TERM, f"{COMMON_TERM} {PLACES[0].lower()}"]
OAI = "/oai/?"


# (kind, group, weight, a function of the sampled ids and a Random giving a path). Groups are
# what the goal speaks of: pages and API lists (p95 within GOAL_MS), and the rest.
def one_of(*paths):
    return lambda ids, chooser: chooser.choice(paths)


MIX = [
    ("search", "page", 20, lambda ids, r: "/search/?" + urlencode({"q": r.choice(SEARCH_WORDS)})),
    (
        "browse",
        "page",
        15,
        one_of(
            "/documents/?"
            + urlencode({"kind": Document.Kind.REPORT, "date_from": 1990, "date_to": 2000}),
            "/documents/?" + urlencode({"language": "spa", "sort": "-date"}),
            "/persons/?" + urlencode({"date_from": 1950}),
            "/cases/?" + urlencode({"jurisdiction": LegalCase.Jurisdiction.NATIONAL}),
            "/organizations/",
        ),
    ),
    ("record", "page", 25, lambda ids, r: r.choice(ids["page"])),
    (
        "api-documents",
        "api list",
        8,
        one_of(
            "/api/v1/documents/?"
            + urlencode({"kind": Document.Kind.REPORT, "ordering": "modified"}),
            "/api/v1/documents/?"
            + urlencode({"level": Document.Level.ITEM, "date_from": 1990, "page_size": 100}),
        ),
    ),
    ("api-persons", "api list", 4, one_of("/api/v1/persons/?ordering=title")),
    # A case lists every document about it: at 100k documents, a page of 50 names 11,000.
    ("api-cases", "api list", 2, one_of("/api/v1/cases/?page_size=10")),
    ("api-detail", "other", 15, lambda ids, r: r.choice(ids["api"])),
    (
        "oai",
        "other",
        10,
        lambda ids, r: r.choice(
            [
                OAI + urlencode({"verb": "ListRecords", "metadataPrefix": "oai_dc"}),
                OAI
                + urlencode(
                    {"verb": "ListIdentifiers", "metadataPrefix": "oai_dc", "set": "type:person"}
                ),
                OAI
                + urlencode(
                    {
                        "verb": "GetRecord",
                        "metadataPrefix": "oai_dc",
                        "identifier": r.choice(ids["oai"]),
                    }
                ),
            ]
        ),
    ),
]
GOAL_MS = 100  # p95 of pages and API lists


class Command(BaseCommand):
    help = (
        "Drive a mix of searches, browse pages, record pages, API lists and details and "
        "OAI-PMH pages with --clients concurrent clients for --seconds against gunicorn on "
        "127.0.0.1 (or --url, a server on this machine); report latency, errors, throughput "
        "and workers' memory."
    )

    def add_arguments(self, parser):
        parser.add_argument("--clients", type=int, default=8, help="Concurrent clients (8).")
        parser.add_argument("--seconds", type=float, default=60, help="How long (60).")
        parser.add_argument(
            "--max-requests", type=int, default=100_000, help="Stop after this many (100000)."
        )
        parser.add_argument("--workers", type=int, default=2, help="Gunicorn workers (2).")
        parser.add_argument(
            "--url", help="A server already running on this machine, e.g. http://127.0.0.1:8000."
        )
        parser.add_argument("--seed", type=int, default=1, help="Seed of the clients' choices.")
        parser.add_argument(
            "--timeout", type=float, default=30, help="Seconds to wait for one response (30)."
        )
        parser.add_argument("--json", action="store_true", help="Print JSON only.")

    def handle(self, *args, **options):
        for name, low, high in (
            ("clients", 1, 64),
            ("workers", 1, 64),
            ("max_requests", 1, 1_000_000),
        ):
            if not low <= options[name] <= high:
                raise CommandError(f"--{name.replace('_', '-')} must be between {low} and {high}.")
        if not 0 < options["seconds"] <= 600 or options["timeout"] <= 0:
            raise CommandError("--seconds must be above 0 and at most 600; --timeout positive.")
        self.options = options
        log = self.stderr.write if options["json"] else self.stdout.write
        ids = self.sample_ids()
        report = {
            "database": database_description(),
            "documents": Document.objects.count(),
            "clients": options["clients"],
            "load_before": os.getloadavg(),
        }
        if options["url"]:
            target = Target.from_url(options["url"])
            report["server"] = f"already running at {target.url}"
            report.update(self.drive(target, ids, log))
            report["worker_rss_mb"] = None
        else:
            with gunicorn(options["workers"], {}, log, self.stderr.write) as server:
                report["server"] = server.description
                report.update(self.drive(server.target, ids, log))
                workers = [found for pid in server.worker_pids() if (found := memory_mb(pid))]
                report["worker_rss_mb"] = [round(found["VmRSS"], 1) for found in workers]
                report["worker_anon_mb"] = [round(found["RssAnon"], 1) for found in workers]
                server.failed = report["errors"] > 0
        report["load_after"] = os.getloadavg()
        if options["json"]:
            self.stdout.write(json.dumps(report, indent=2))
        else:
            self.stdout.write(self.table(report))

    def sample_ids(self):
        ids = {"page": [], "api": [], "oai": []}
        repository = settings.MEMORIA_OAI_REPOSITORY_ID
        for model in (Document, Person, Organization):
            chosen = model.objects.public().order_by("?").values_list("public_id", flat=True)
            for public_id in chosen[:SAMPLE]:
                ids["page"].append(f"/{model.slug}/{public_id}/")
                ids["api"].append(f"/api/v1/{model.slug}/{public_id}/")
                ids["oai"].append(f"oai:{repository}:{model.record_type}/{public_id}")
        return ids

    def drive(self, target, ids, log):
        opts = self.options
        needs_ids = ("record", "api-detail", "oai")
        mix = [entry for entry in MIX if entry[0] not in needs_ids or ids["page"]]
        weights = [weight for _kind, _group, weight, _path in mix]
        latencies, statuses = defaultdict(list), defaultdict(lambda: defaultdict(int))
        lock, count = threading.Lock(), [0]
        deadline = time.monotonic() + opts["seconds"]

        def client(number):
            chooser = random.Random(opts["seed"] * 1000 + number)
            while time.monotonic() < deadline:
                with lock:
                    if count[0] >= opts["max_requests"]:
                        return
                    count[0] += 1
                kind, _group, _weight, path = chooser.choices(mix, weights)[0]
                status, seconds = target.get(path(ids, chooser), opts["timeout"])
                with lock:
                    latencies[kind].append(seconds * 1000)
                    statuses[kind][status or "network error"] += 1

        log(f"{opts['clients']} clients for {opts['seconds']:g} s against {target.url} ...")
        threads = [
            threading.Thread(target=client, args=(n,), daemon=True) for n in range(opts["clients"])
        ]
        started = time.perf_counter()
        for thread in threads:
            thread.start()
        for thread in threads:
            thread.join()
        elapsed = time.perf_counter() - started
        kinds = []
        for kind, group, _weight, _path in mix:
            values = latencies.get(kind, [])
            errors = sum(n for status, n in statuses[kind].items() if status != 200)
            kinds.append(
                {
                    "kind": kind,
                    "group": group,
                    "requests": len(values),
                    "errors": errors,
                    "statuses": {str(k): v for k, v in statuses[kind].items()},
                    "median_ms": percentile(values, 50),
                    "p95_ms": percentile(values, 95),
                    "max_ms": max(values, default=None),
                }
            )
        goal = [k for k in kinds if k["group"] in ("page", "api list") and k["requests"]]
        total = sum(k["requests"] for k in kinds)
        every = [value for values in latencies.values() for value in values]
        return {
            "seconds": round(elapsed, 1),
            "requests": total,
            "errors": sum(k["errors"] for k in kinds),
            "requests_per_second": round(total / elapsed, 1),
            "median_ms": percentile(every, 50),
            "p95_ms": percentile(every, 95),
            "goal_met": bool(goal) and all(k["p95_ms"] <= GOAL_MS for k in goal),
            "kinds": kinds,
        }

    def table(self, report):
        load = " ".join(f"{n:.2f}" for n in report["load_before"])
        lines = [
            "Memoria load test",
            f"  server     {report['server']}",
            f"  database   {report['database']}, {report['documents']} documents",
            f"  clients    {report['clients']} for {report['seconds']} s; "
            f"load average before: {load}, after: "
            + " ".join(f"{n:.2f}" for n in report["load_after"]),
        ]
        if report["worker_rss_mb"] is not None:
            sizes = ", ".join(f"{mb:.0f}" for mb in report["worker_rss_mb"])
            anon = ", ".join(f"{mb:.0f}" for mb in report["worker_anon_mb"])
            lines.append(f"  workers    RSS {sizes} MB, of which anonymous {anon} MB")
        lines += [
            "",
            f"{'kind':<14} {'group':<9} {'requests':>8} {'errors':>6} {'median ms':>9} "
            f"{'p95 ms':>8} {'max ms':>8}",
        ]
        for k in report["kinds"]:
            if not k["requests"]:
                continue
            lines.append(
                f"{k['kind']:<14} {k['group']:<9} {k['requests']:>8} {k['errors']:>6} "
                f"{k['median_ms']:>9.1f} {k['p95_ms']:>8.1f} {k['max_ms']:>8.1f}"
            )
        lines += [
            "",
            f"{report['requests']} requests, {report['errors']} errors, "
            f"{report['requests_per_second']} requests/s; median {report['median_ms']:.1f} ms, "
            f"p95 {report['p95_ms']:.1f} ms",
            f"goal (0 errors, p95 of pages and API lists within {GOAL_MS} ms): "
            + ("met" if report["goal_met"] and not report["errors"] else "not met"),
        ]
        return "\n".join(lines)
