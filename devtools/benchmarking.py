"""The parts of `manage.py benchmark` that are not the command: timed HTTP requests to a
loopback server, percentiles, the embedded index on disk, a description of the database, and
the tables it prints. The server it starts is in `benchmark_server`.
"""

import http.client
import ipaddress
import json
import math
import socket
import time
from dataclasses import dataclass, field
from pathlib import Path
from urllib.parse import urlsplit

from django.core.management import CommandError
from django.db import connection

from catalogue.search.engine import schema

USER_AGENT = "memoria-benchmark"


def percentile(values, p):
    """The p-th percentile (0-100), interpolating between the closest ranks."""
    if not values:
        return None
    ordered = sorted(values)
    rank = (len(ordered) - 1) * p / 100
    low = math.floor(rank)
    high = min(low + 1, len(ordered) - 1)
    return ordered[low] + (ordered[high] - ordered[low]) * (rank - low)


@dataclass
class Target:
    """Where the requests go: a loopback host and port, and a path prefix."""

    host: str
    port: int
    prefix: str = ""

    @classmethod
    def from_url(cls, url):
        parts = urlsplit(url)
        if parts.scheme != "http" or not parts.hostname:
            raise CommandError(f"Give an http:// URL on this machine, not {url!r}.")
        try:
            port = parts.port or 80
            addresses = {info[4][0] for info in socket.getaddrinfo(parts.hostname, port)}
        except (ValueError, OSError) as error:
            raise CommandError(f"Cannot use {url!r}: {error}") from error
        if not all(ipaddress.ip_address(a.split("%")[0]).is_loopback for a in addresses):
            raise CommandError(f"The benchmark only talks to loopback addresses, not {url!r}.")
        return cls(parts.hostname, port, parts.path.rstrip("/"))

    @property
    def url(self):
        host = f"[{self.host}]" if ":" in self.host else self.host
        return f"http://{host}:{self.port}{self.prefix}"

    def get(self, path, timeout):
        """GET a path; return (status or None on a network error, seconds)."""
        started = time.perf_counter()
        conn = http.client.HTTPConnection(self.host, self.port, timeout=timeout)
        try:
            conn.request("GET", self.prefix + path, headers={"User-Agent": USER_AGENT})
            response = conn.getresponse()
            response.read()
            status = response.status
        except (OSError, http.client.HTTPException):
            status = None
        finally:
            conn.close()
        return status, time.perf_counter() - started


@dataclass
class Result:
    """One scenario: requests and errors count both passes."""

    scenario: str
    path: str
    requests: int = 0
    errors: int = 0
    statuses: dict = field(default_factory=dict)
    median_ms: float | None = None
    p95_ms: float | None = None
    max_ms: float | None = None
    sequential_requests: int = 0
    concurrent_requests: int = 0
    requests_per_second: float | None = None
    note: str = ""


def database_description():
    connection.ensure_connection()
    name = connection.settings_dict["NAME"]
    if connection.vendor == "sqlite":
        return f"SQLite {connection.Database.sqlite_version} ({name})"
    if connection.vendor == "postgresql":
        major, minor = divmod(connection.pg_version, 10000)
        host = connection.settings_dict.get("HOST") or "local socket"
        return f"PostgreSQL {major}.{minor} ({name} on {host})"
    return f"{connection.vendor} ({name})"


# The embedded index


def index_problem(folder):
    """Why the index in folder cannot serve now, or None. A server given such an index
    rebuilds it in a worker while the benchmark runs, and searches the database meanwhile."""
    folder = Path(folder)
    try:
        build = (folder / "CURRENT").read_text().strip()
        state = json.loads((folder / build / "state.json").read_text())
    except (OSError, ValueError):
        return "has no index in use"
    if state.get("version") != schema.VERSION:
        return f"holds an index of version {state.get('version')}, not {schema.VERSION}"
    return None


def folder_bytes(folder):
    files = (path for path in Path(folder).rglob("*") if path.is_file())
    return sum(path.stat().st_size for path in files)


# Tables


def header(report):
    env = report["environment"]
    lines = [
        "Memoria benchmark",
        f"  database   {env['database']}",
        f"  documents  {env['documents']} ({env['published_documents']} published)",
        f"  client     {env['client']}",
        f"  machine    {env['cpus']} CPUs, {env['platform']}, Python {env['python']}, "
        f"Django {env['django']}",
    ]
    for run in report["runs"]:
        lines.append(f"  {'[' + run['backend'] + ']':<10} {run['server']}")
        lines.append(f"{'':13}load average at the start: {run['load']}")
        if run["worker_rss_mb"] is not None:
            sizes = ", ".join(f"{mb:.0f}" for mb in run["worker_rss_mb"])
            anon = ", ".join(f"{mb:.0f}" for mb in run["worker_anon_mb"])
            lines.append(
                f"{'':13}worker RSS at the end: {sizes} MB, of which anonymous {anon} MB "
                "(the rest: mapped files, shared)"
            )
        if run["index_bytes"] is not None:
            built = run["index_rebuild_seconds"]
            lines.append(
                f"{'':13}index {run['index_bytes'] / 1e6:.0f} MB in {run['index_dir']}"
                + (f" (rebuilt first, {built:.1f} s)" if built is not None else "")
            )
    return lines


def table(report):
    [run] = report["runs"]
    lines = [
        *header(report),
        "  requests and errors: both passes; latency: the sequential pass; "
        "req/s: the concurrent pass",
        "",
        f"{'scenario':<15} {'requests':>8} {'errors':>6} {'median ms':>9} {'p95 ms':>8} "
        f"{'req/s':>8}  statuses",
    ]
    for r in run["results"]:
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


def comparison(report):
    """The runs side by side, and how many times the last run's p95 the first run's is."""
    runs = report["runs"]
    first, last = runs[0]["backend"], runs[-1]["backend"]
    lines = [
        *header(report),
        "  latency (ms): the sequential pass; req/s: the concurrent pass; "
        f"ratio: {first} p95 / {last} p95",
        "",
        f"{'':15}" + "".join(f" {run['backend']:^23}" for run in runs),
        f"{'scenario':<15}" + f" {'median':>7} {'p95':>7} {'req/s':>7}" * len(runs) + "   ratio",
    ]
    by_run = [{r["scenario"]: r for r in run["results"]} for run in runs]
    for name in by_run[0]:
        cells, notes = "", []
        for run, results in zip(runs, by_run, strict=True):
            r = results.get(name)
            if not r or not r["requests"]:
                cells += f" {'-':>7} {'-':>7} {'-':>7}"
                notes.append(f"{run['backend']}: {r['note'] if r else 'not run'}")
                continue
            cells += f" {r['median_ms']:>7.1f} {r['p95_ms']:>7.1f} {r['requests_per_second']:>7.1f}"
            if r["errors"]:
                notes.append(f"{run['backend']}: {r['errors']} errors {r['statuses']}")
            elif r["note"]:
                notes.append(f"{run['backend']}: {r['note']}")
        ends = [by_run[0].get(name), by_run[-1].get(name)]
        if all(r and r["requests"] for r in ends):
            ratio = f"{ends[0]['p95_ms'] / ends[1]['p95_ms']:>7.1f}×"
        else:
            ratio = f"{'-':>8}"
        lines.append(f"{name:<15}{cells}{ratio}" + (f"  {'; '.join(notes)}" if notes else ""))
    return "\n".join(lines)
