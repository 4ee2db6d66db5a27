"""The documented production shape, started for real: gunicorn with deploy/gunicorn.conf.py
and the production settings, behind nginx with deploy/nginx/practice.conf. Slow clients
(slowloris: requests that are never finished) wait in nginx and do not stall the app.

Needs the nginx binary (Debian's nginx-light; .ci/run installs it). Outside CI the test is
skipped without it; in CI a missing nginx is a failure."""

import os
import shutil
import socket
import subprocess
import sys
import time
import urllib.request
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
IDLE_CONNECTIONS = 20
NGINX = shutil.which("nginx") or next((p for p in ("/usr/sbin/nginx",) if Path(p).exists()), None)

pytestmark = pytest.mark.skipif(
    NGINX is None and not os.environ.get("CI"), reason="needs nginx (apt-get install nginx-light)"
)


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def _wait_for(url: str, process: subprocess.Popen, seconds: float = 30) -> None:
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        if process.poll() is not None:
            raise RuntimeError(f"{process.args[0]} exited with {process.returncode}")
        try:
            with urllib.request.urlopen(url, timeout=1):
                return
        except OSError:
            time.sleep(0.2)
    raise RuntimeError(f"{url} did not answer within {seconds}s")


def _nginx_config(tmp: Path, port: int, upstream: str) -> Path:
    """The repository's server block, on a local port and a TCP upstream, in a minimal main
    configuration with every file under ``tmp``."""
    site = (ROOT / "deploy/nginx/practice.conf").read_text()
    assert "listen 80;" in site and "server unix:/run/practice/gunicorn.sock" in site
    site = site.replace("listen 80;", f"listen 127.0.0.1:{port};")
    site = site.replace("server unix:/run/practice/gunicorn.sock", f"server {upstream}")
    (tmp / "practice.conf").write_text(site)
    temp_paths = "\n".join(
        f"    {name}_temp_path {tmp / name};" for name in ("client_body", "proxy", "fastcgi", "uwsgi", "scgi")
    )
    main = tmp / "nginx.conf"
    main.write_text(
        ("user root;\n" if os.geteuid() == 0 else "")
        + f"daemon off;\nworker_processes 1;\npid {tmp / 'nginx.pid'};\nerror_log {tmp / 'error.log'};\n"
        + "events { worker_connections 1024; }\n"
        + f"http {{\n    access_log off;\n{temp_paths}\n    include {tmp / 'practice.conf'};\n}}\n"
    )
    return main


@pytest.fixture(scope="module")
def production(tmp_path_factory):
    """(nginx port, gunicorn port): gunicorn with two sync workers, nginx in front."""
    if NGINX is None:
        pytest.fail("nginx is not installed (CI installs nginx-light)")
    tmp = tmp_path_factory.mktemp("production")
    app_port, proxy_port = _free_port(), _free_port()
    env = {
        **os.environ,
        "DJANGO_SETTINGS_MODULE": "practice.settings.production",
        "SECRET_KEY": "production-shape-test-" + "x" * 50,
        "ALLOWED_HOSTS": "127.0.0.1,localhost",
        "DATABASE_URL": f"sqlite:///{tmp / 'db.sqlite3'}",
        "TRUSTED_PROXY_COUNT": "1",
        "SECURE_SSL_REDIRECT": "0",  # no TLS in this test; nginx says X-Forwarded-Proto: http
        "GUNICORN_BIND": f"127.0.0.1:{app_port}",
        "GUNICORN_WORKERS": "2",
        "GUNICORN_ACCESS_LOG": "",
    }
    env.pop("REDIS_URL", None)
    gunicorn = subprocess.Popen(
        [sys.executable, "-m", "gunicorn", "practice.wsgi", "-c", "deploy/gunicorn.conf.py"],
        cwd=ROOT,
        env=env,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    nginx = subprocess.Popen(
        [NGINX, "-c", str(_nginx_config(tmp, proxy_port, f"127.0.0.1:{app_port}")), "-p", str(tmp)],
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    try:
        _wait_for(f"http://127.0.0.1:{app_port}/api/health", gunicorn)
        _wait_for(f"http://127.0.0.1:{proxy_port}/api/health", nginx)
        yield proxy_port, app_port
    finally:
        for process in (nginx, gunicorn):
            process.terminate()
        for process in (nginx, gunicorn):
            try:
                process.wait(timeout=10)
            except subprocess.TimeoutExpired:
                process.kill()


def _idle_connections(port: int, count: int) -> list[socket.socket]:
    """Requests that are never finished: half of them stop in the headers, half in the body."""
    sockets = []
    for n in range(count):
        sock = socket.create_connection(("127.0.0.1", port), timeout=5)
        if n % 2:
            sock.sendall(b"POST /api/auth/login HTTP/1.1\r\nHost: 127.0.0.1\r\nX-Slow: ")
        else:
            sock.sendall(
                b"POST /api/auth/login HTTP/1.1\r\nHost: 127.0.0.1\r\nContent-Type: application/json\r\n"
                b'Content-Length: 1000\r\n\r\n{"email": "'
            )
        sockets.append(sock)
    return sockets


def _health_seconds(port: int, timeout: float) -> tuple[float, int | None]:
    started = time.monotonic()
    try:
        with urllib.request.urlopen(f"http://127.0.0.1:{port}/api/health", timeout=timeout) as response:
            status = response.status
    except OSError:
        status = None
    return time.monotonic() - started, status


def test_idle_half_sent_connections_do_not_delay_a_health_check_through_nginx(production):
    proxy_port, _ = production
    sockets = _idle_connections(proxy_port, IDLE_CONNECTIONS)
    try:
        time.sleep(0.5)  # let nginx accept them all
        seconds, status = _health_seconds(proxy_port, timeout=5)
    finally:
        for sock in sockets:
            sock.close()
    assert status == 200
    assert seconds < 1.0


def test_the_same_connections_stall_gunicorn_bound_directly(production):
    # Why the proxy is part of the shape: the two sync workers, reached directly, are each
    # held by an idle connection and the health check gets no answer.
    _, app_port = production
    sockets = _idle_connections(app_port, IDLE_CONNECTIONS)
    try:
        time.sleep(0.5)
        seconds, status = _health_seconds(app_port, timeout=2)
    finally:
        for sock in sockets:
            sock.close()
    assert status is None and seconds >= 2


def test_the_server_header_names_no_version(production):
    proxy_port, _ = production
    with urllib.request.urlopen(f"http://127.0.0.1:{proxy_port}/api/health", timeout=5) as response:
        assert response.headers["Server"] == "nginx"
        assert response.headers["Cache-Control"] == "no-store"
        assert "Content-Security-Policy" in response.headers


def test_nginx_sets_the_forwarded_headers_the_app_trusts():
    # The app trusts one proxy (TRUSTED_PROXY_COUNT=1); what a client sends in these headers
    # is replaced, never passed on.
    site = (ROOT / "deploy/nginx/practice.conf").read_text()
    assert "proxy_set_header X-Forwarded-For $remote_addr;" in site
    assert "proxy_set_header X-Forwarded-Proto $scheme;" in site
