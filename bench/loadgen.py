"""Drive the server with wrk: installation, request files, runs and their parsing."""

import json
import os
import shutil
import subprocess
import tempfile
from dataclasses import asdict, dataclass
from pathlib import Path

LUA_SCRIPT = Path(__file__).with_name("request.lua")
RESULT_MARKER = "BENCH_RESULT "


@dataclass(frozen=True)
class Request:
    method: str
    path: str
    token: str = ""
    body: str = ""

    def line(self) -> str:
        for part in (self.method, self.path, self.token, self.body):
            if "\t" in part or "\n" in part:
                raise ValueError(f"tabs and newlines cannot be sent: {part[:40]!r}")
        return f"{self.method}\t{self.path}\t{self.token}\t{self.body}"


@dataclass(frozen=True)
class Measurement:
    connections: int
    requests: int
    seconds: float
    rps: float
    p50_ms: float
    p90_ms: float
    p99_ms: float
    max_ms: float
    errors: int
    non_2xx: int

    def as_dict(self) -> dict:
        return asdict(self)


def ensure_wrk() -> str:
    """The path of wrk, installed with apt-get when missing (every new machine lacks it)."""
    found = shutil.which("wrk")
    if found:
        return found
    print("wrk is not installed; installing it with apt-get", flush=True)
    sudo = [] if os.geteuid() == 0 else ["sudo"]
    env = {**os.environ, "DEBIAN_FRONTEND": "noninteractive"}
    subprocess.run([*sudo, "apt-get", "update", "-qq"], check=True, env=env)  # noqa: S603
    subprocess.run([*sudo, "apt-get", "install", "-y", "-qq", "wrk"], check=True, env=env)  # noqa: S603
    found = shutil.which("wrk")
    if not found:
        raise RuntimeError("wrk could not be installed")
    return found


def parse_wrk_output(output: str, connections: int) -> Measurement:
    """Read the line ``request.lua`` prints when wrk is done."""
    for line in output.splitlines():
        if line.startswith(RESULT_MARKER):
            data = json.loads(line[len(RESULT_MARKER) :])
            break
    else:
        raise ValueError(f"wrk printed no result line:\n{output[-2000:]}")
    seconds = data["duration_us"] / 1e6
    latency = data["latency_us"]
    errors = data["errors"]
    return Measurement(
        connections=connections,
        requests=data["requests"],
        seconds=round(seconds, 3),
        rps=round(data["requests"] / seconds, 1) if seconds else 0.0,
        p50_ms=latency["p50"] / 1000,
        p90_ms=latency["p90"] / 1000,
        p99_ms=latency["p99"] / 1000,
        max_ms=latency["max"] / 1000,
        errors=errors["connect"] + errors["read"] + errors["write"] + errors["timeout"],
        non_2xx=errors["status"],
    )


def run_wrk(
    wrk: str, base_url: str, requests: list[Request], connections: int, duration: float, timeout: float = 10.0
) -> Measurement:
    """One time-bounded wrk run over ``requests`` (sent in turn) with ``connections``
    connections on a single wrk thread, leaving the other core to server and database."""
    with tempfile.NamedTemporaryFile("w", suffix=".tsv", delete=False) as handle:
        handle.write("\n".join(request.line() for request in requests) + "\n")
        request_file = handle.name
    try:
        command = [
            wrk,
            "-t1",
            f"-c{connections}",
            f"-d{max(1, round(duration))}s",
            f"--timeout={timeout:g}s",
            "-s",
            str(LUA_SCRIPT),
            base_url,
        ]
        result = subprocess.run(  # noqa: S603
            command,
            capture_output=True,
            text=True,
            env={**os.environ, "BENCH_REQUESTS": request_file},
            timeout=duration + timeout + 30,
            check=False,
        )
    finally:
        os.unlink(request_file)
    if result.returncode != 0:
        raise RuntimeError(f"wrk failed ({result.returncode}): {result.stderr[-2000:]}")
    return parse_wrk_output(result.stdout, connections)
