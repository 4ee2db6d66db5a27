"""The login throttle under a real WSGI server with two worker processes.

With REDIS_URL the limit is counted in Redis and holds across the workers; with the
default local-memory cache each worker counts on its own. This is the reason production
sets REDIS_URL."""

import json
import os
import socket
import subprocess
import sys
import time
import urllib.error
import urllib.request
import uuid
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
LIMIT = 6
WORKERS = 2
REQUESTS = 30
REDIS_URL = os.environ.get("TEST_REDIS_URL", "redis://127.0.0.1:6379/15")


def _redis_available() -> bool:
    try:
        with socket.create_connection(("127.0.0.1", 6379), timeout=1) as sock:
            sock.sendall(b"PING\r\n")
            return sock.recv(16).startswith(b"+PONG")
    except OSError:
        return False


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


@pytest.fixture(scope="module")
def database_file(tmp_path_factory):
    path = tmp_path_factory.mktemp("wsgi") / "db.sqlite3"
    env = {**os.environ, "DATABASE_URL": f"sqlite:///{path}", "DJANGO_SETTINGS_MODULE": "practice.settings.base"}
    subprocess.run([sys.executable, "manage.py", "migrate", "--no-input", "-v0"], cwd=ROOT, env=env, check=True)
    return path


def _serve_and_hammer(database_file: Path, cache_env: dict) -> list[int]:
    port = _free_port()
    env = {
        **os.environ,
        **cache_env,
        "DATABASE_URL": f"sqlite:///{database_file}",
        "DJANGO_SETTINGS_MODULE": "practice.settings.base",
        "THROTTLE_RATE_LOGIN": f"{LIMIT}/hour",
        "CACHE_KEY_PREFIX": f"throttle-test-{uuid.uuid4().hex}",
    }
    server = subprocess.Popen(
        [sys.executable, "-m", "gunicorn", "practice.wsgi", f"--workers={WORKERS}", f"--bind=127.0.0.1:{port}"],
        cwd=ROOT,
        env=env,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    try:
        deadline = time.monotonic() + 90
        while True:
            try:
                urllib.request.urlopen(f"http://127.0.0.1:{port}/api/health", timeout=10)
                break
            except OSError:  # not listening yet, or too slow to answer on a loaded machine
                if time.monotonic() > deadline:
                    raise
                time.sleep(0.2)

        def attempt(index: int) -> int:
            body = json.dumps({"email": f"nobody{index}@test.example", "password": "wrong"}).encode()
            request = urllib.request.Request(
                f"http://127.0.0.1:{port}/api/auth/login",
                data=body,
                headers={"Content-Type": "application/json", "Connection": "close"},
            )
            try:
                return urllib.request.urlopen(request, timeout=60).status
            except urllib.error.HTTPError as exc:
                return exc.code

        with ThreadPoolExecutor(max_workers=6) as pool:
            return list(pool.map(attempt, range(REQUESTS)))
    finally:
        server.terminate()
        server.wait(timeout=10)


@pytest.mark.skipif(not _redis_available(), reason="needs Redis on 127.0.0.1:6379")
def test_login_limit_holds_across_worker_processes_with_redis(database_file):
    statuses = _serve_and_hammer(database_file, {"REDIS_URL": REDIS_URL})
    allowed = statuses.count(401)
    assert statuses.count(429) == REQUESTS - allowed
    # At most one extra request per worker can slip through the read-then-write race.
    assert LIMIT <= allowed <= LIMIT + WORKERS


def test_local_memory_cache_counts_per_worker(database_file):
    statuses = _serve_and_hammer(database_file, {"REDIS_URL": ""})
    allowed = statuses.count(401)
    # Each worker keeps its own count: more than the limit gets through, up to limit x workers.
    assert LIMIT < allowed <= LIMIT * WORKERS
