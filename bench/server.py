"""The application under test: gunicorn with the production settings."""

import json
import os
import secrets
import signal
import socket
import subprocess
import sys
import time
import urllib.error
import urllib.request
from contextlib import contextmanager
from pathlib import Path

from .config import Config

REPO = Path(__file__).resolve().parent.parent
GENEROUS_RATE = "100000000/minute"
THROTTLE_SCOPES = ("LOGIN", "REFRESH", "TWO_FACTOR", "CLINICAL", "NO_SHOW", "API")


def app_environment(config: Config, database: str) -> dict[str, str]:
    """Production settings against the run's database. Throttles are raised so the
    benchmark measures speed, not rate limits; TLS redirects are off because the load
    generator speaks plain HTTP on the loopback, as a server behind a TLS proxy does."""
    env = {
        **os.environ,
        "DJANGO_SETTINGS_MODULE": "bench.settings",
        "SECRET_KEY": os.environ.get("BENCH_SECRET_KEY") or secrets.token_urlsafe(48),
        "DATABASE_URL": config.url(database),
        "DEBUG": "0",
        "SECURE_SSL_REDIRECT": "0",
        "ALLOWED_HOSTS": "127.0.0.1,localhost,testserver",
        "JWT_ACCESS_MINUTES": "240",
        # Persistent connections, as in production: no connect per request.
        "DB_CONN_MAX_AGE": "600",
        "LOG_LEVEL": "WARNING",
        # Static files are not part of the benchmark; WhiteNoise warns that none were collected.
        "PYTHONWARNINGS": "ignore:No directory at",
    }
    for scope in THROTTLE_SCOPES:
        env[f"THROTTLE_RATE_{scope}"] = GENEROUS_RATE
    env.pop("REDIS_URL", None)
    if os.environ.get("BENCH_REDIS_URL"):
        env["REDIS_URL"] = os.environ["BENCH_REDIS_URL"]
    return env


def http_json(url: str, method: str = "GET", body: dict | None = None, token: str = "") -> tuple[int, dict]:
    data = json.dumps(body).encode() if body is not None else None
    request = urllib.request.Request(url, data=data, method=method)  # noqa: S310 - a local http URL
    request.add_header("Accept", "application/json")
    if data is not None:
        request.add_header("Content-Type", "application/json")
    if token:
        request.add_header("Authorization", f"Bearer {token}")
    try:
        with urllib.request.urlopen(request, timeout=60) as response:  # noqa: S310
            raw = response.read()
            status = response.status
    except urllib.error.HTTPError as error:
        raw = error.read()
        status = error.code
    try:
        return status, json.loads(raw) if raw else {}
    except ValueError:
        return status, {"raw": raw[:500].decode(errors="replace")}


def ensure_port_free(port: int, host: str = "127.0.0.1") -> None:
    """Refuse to start when something already listens on the port: the health probe would
    be answered by that other server (an older run's gunicorn, another app), and every
    measurement after it would be of the wrong server."""
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as probe:
        probe.settimeout(1.0)
        if probe.connect_ex((host, port)) == 0:
            raise RuntimeError(
                f"port {port} on {host} is already in use by another server; stop it or set BENCH_PORT to a free port"
            )


@contextmanager
def gunicorn(config: Config, env: dict[str, str]):
    """Serve the app on 127.0.0.1:<port> for the duration of the block.

    Workers: 3 sync workers on 2 cores. The two cores are shared by PostgreSQL, the server
    and wrk. A request spends most of its time in Python (CPU) and part of it waiting on
    PostgreSQL; with one worker per core the CPU idles during those waits, with one more
    there is always a worker ready to run, and beyond that extra processes only contend
    for the same two cores (more context switches, colder caches, longer tail latency).
    ``BENCH_WORKERS`` overrides it."""
    command = [
        sys.executable,
        "-m",
        "gunicorn",
        "practice.wsgi:application",
        "--bind",
        f"127.0.0.1:{config.port}",
        "--workers",
        str(config.workers),
        "--worker-class",
        "sync",
        "--timeout",
        "120",
        "--backlog",
        "256",
        "--log-level",
        "warning",
    ]
    ensure_port_free(config.port)
    process = subprocess.Popen(command, cwd=REPO, env=env)  # noqa: S603
    base = f"http://127.0.0.1:{config.port}"
    try:
        deadline = time.monotonic() + 60
        while True:
            if process.poll() is not None:
                raise RuntimeError(f"gunicorn exited with {process.returncode}")
            try:
                status, _ = http_json(f"{base}/api/health")
                if status == 200:
                    break
            except OSError:
                pass
            if time.monotonic() > deadline:
                raise RuntimeError("gunicorn did not answer /api/health within 60s")
            time.sleep(0.3)
        yield base
    finally:
        process.send_signal(signal.SIGTERM)
        try:
            process.wait(timeout=30)
        except subprocess.TimeoutExpired:
            process.kill()
            process.wait()
