"""The parts of `manage.py benchmark` that are not the command: timed HTTP requests to a
loopback server, percentiles, stopping gunicorn, and a description of the database.
"""

import http.client
import ipaddress
import math
import os
import signal
import socket
import subprocess
import time
from dataclasses import dataclass, field
from importlib.metadata import PackageNotFoundError, version
from urllib.parse import urlsplit

from django.core.management import CommandError
from django.db import connection

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


def exit_on_sigterm(signum, frame):
    raise SystemExit(128 + signum)  # unwinds through `finally`, which stops gunicorn


def stop(process):
    """Stop gunicorn gracefully; if it hangs, kill its process group (its own session)."""
    if process.poll() is None:
        process.terminate()
        try:
            process.wait(timeout=15)
        except subprocess.TimeoutExpired:
            os.killpg(process.pid, signal.SIGKILL)
            process.wait()


def free_port():
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def gunicorn_version():
    try:
        return version("gunicorn")
    except PackageNotFoundError:
        raise CommandError(
            "gunicorn is not installed: pip install -r requirements.txt, or use --url."
        ) from None


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
