"""The server `manage.py benchmark` measures: gunicorn on loopback, started with DEBUG off,
static files collected apart, and the environment a backend asks for; stopped afterwards.
"""

import os
import shutil
import signal
import socket
import subprocess
import sys
import tempfile
import threading
import time
from contextlib import contextmanager
from dataclasses import dataclass
from importlib.metadata import PackageNotFoundError, version
from pathlib import Path

from django.conf import settings
from django.core.management import CommandError

from .benchmarking import Target

STARTUP_SECONDS = 60
# No control socket: it would be a file in $HOME shared by every run.
GUNICORN_OPTIONS = ("--no-control-socket", "--timeout", "60", "--graceful-timeout", "5")


@dataclass
class Server:
    target: Target
    description: str
    process: subprocess.Popen
    failed: bool = False  # a 5xx or a dropped connection: show the server's log when stopped

    def worker_pids(self):
        return children(self.process.pid)


def children(pid):
    """The processes whose parent is pid (gunicorn's workers, for its master)."""
    found = []
    for entry in Path("/proc").iterdir():
        if not entry.name.isdigit():
            continue
        try:
            stat = (entry / "stat").read_text()
        except OSError:  # it ended while we looked
            continue
        # The command name, in parentheses, may hold spaces: the parent comes after it.
        if int(stat.rpartition(")")[2].split()[1]) == pid:
            found.append(int(entry.name))
    return sorted(found)


def memory_mb(pid):
    """{VmRSS, RssAnon, RssFile: MB} of a process, or None if it has gone. Pages of files it
    maps (SQLite's mmap, the index) count in VmRSS and are shared with the other workers;
    RssAnon is its own."""
    found = {}
    try:
        with open(f"/proc/{pid}/status") as status:
            for line in status:
                name, _, value = line.partition(":")
                if name in ("VmRSS", "RssAnon", "RssFile"):
                    found[name] = int(value.split()[0]) * 1024 / 1e6
    except OSError:
        return None
    return found


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


@contextmanager
def gunicorn(workers, environment, log, show_error):
    """Serve the project with gunicorn on a free loopback port, with `environment` added to
    this process's; yield a Server. `log` says what happens, `show_error` the server's log."""
    gunicorn_release = gunicorn_version()
    workdir = tempfile.mkdtemp(prefix="memoria-benchmark-")
    on_main_thread = threading.current_thread() is threading.main_thread()
    if on_main_thread:
        previous = signal.signal(signal.SIGTERM, exit_on_sigterm)
    server, log_path = None, os.path.join(workdir, "gunicorn.log")
    try:
        env = {
            **os.environ,
            "DEBUG": "0",
            "STATIC_ROOT": os.path.join(workdir, "static"),
            # The benchmark is one caller making thousands of requests: measure the API,
            # not its rate limit.
            "MEMORIA_API_ANONYMOUS_RATE": "1000000/minute",
            **environment,
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
        log(f"Collected static files in {time.perf_counter() - started:.1f} s.")

        module, _, application = settings.WSGI_APPLICATION.rpartition(".")
        port = free_port()
        with open(log_path, "w") as output:
            process = subprocess.Popen(
                [
                    *(sys.executable, "-m", "gunicorn", f"{module}:{application}"),
                    *("--bind", f"127.0.0.1:{port}", "--workers", str(workers)),
                    *("--pythonpath", str(settings.BASE_DIR), *GUNICORN_OPTIONS),
                ],
                env=env,
                stdout=output,
                stderr=subprocess.STDOUT,
                start_new_session=True,  # Ctrl-C reaches this command, which stops it
            )
        target = Target("127.0.0.1", port)
        server = Server(
            target,
            f"gunicorn {gunicorn_release}, {workers} sync workers at {target.url}, DEBUG off",
            process,
        )
        wait_until_up(process, target, log_path)
        log(f"gunicorn answers at {target.url} after {time.perf_counter() - started:.1f} s.")
        yield server
    finally:
        if server is not None:
            stop(server.process)
            log("Stopped gunicorn.")
            if server.failed:
                with open(log_path) as output:
                    show_error("The end of gunicorn's log:\n" + output.read()[-4000:])
        if on_main_thread:
            signal.signal(signal.SIGTERM, previous)
        shutil.rmtree(workdir, ignore_errors=True)


def wait_until_up(process, target, log_path):
    deadline = time.monotonic() + STARTUP_SECONDS
    while time.monotonic() < deadline:
        if process.poll() is not None:
            with open(log_path) as output:
                raise CommandError(f"gunicorn exited at startup:\n{output.read()[-3000:]}")
        status, _ = target.get("/", timeout=5)
        if status is not None:
            return
        time.sleep(0.2)
    raise CommandError(f"gunicorn did not answer within {STARTUP_SECONDS} s.")
