"""Ratios to the minimal endpoint, target checks, the printed table and the JSON file."""

import json
import math
from collections.abc import Sequence
from pathlib import Path
from statistics import median

from .loadgen import Measurement

RESULTS_DIR = Path(__file__).with_name("results")


def paired(rounds: Sequence[tuple[Measurement, Measurement]]) -> dict:
    """An endpoint's numbers from rounds of (minimal run, endpoint run) back to back.

    On a shared, noisy machine the speed available drifts by tens of percent within a
    minute; a ratio taken within one round cancels most of that, and the median over the
    rounds drops an outlier round."""
    per_round = [ratios(endpoint, minimal) for minimal, endpoint in rounds]
    endpoints = [endpoint for _, endpoint in rounds]
    minimals = [minimal for minimal, _ in rounds]
    return {
        "rps": round(median(m.rps for m in endpoints), 1),
        "p50_ms": round(median(m.p50_ms for m in endpoints), 3),
        "p99_ms": round(median(m.p99_ms for m in endpoints), 3),
        "requests": sum(m.requests for m in endpoints),
        "errors": sum(m.errors for m in endpoints),
        "non_2xx": sum(m.non_2xx for m in endpoints),
        "minimal_rps": round(median(m.rps for m in minimals), 1),
        "minimal_p50_ms": round(median(m.p50_ms for m in minimals), 3),
        "minimal_p99_ms": round(median(m.p99_ms for m in minimals), 3),
        **{key: round(median(r[key] for r in per_round), 2) for key in per_round[0]},
        "rounds": [{"minimal": minimal.as_dict(), "endpoint": endpoint.as_dict()} for minimal, endpoint in rounds],
    }


def ratios(measured: Measurement, minimal: Measurement) -> dict:
    def div(a: float, b: float) -> float:
        return round(a / b, 3) if b else math.inf

    return {
        "rps_ratio": div(measured.rps, minimal.rps),
        "p50_ratio": div(measured.p50_ms, minimal.p50_ms),
        "p99_ratio": div(measured.p99_ms, minimal.p99_ms),
        "p99_over_p50": div(measured.p99_ms, measured.p50_ms),
    }


def format_table(headers: Sequence[str], rows: Sequence[Sequence[object]]) -> str:
    cells = [[str(h) for h in headers]] + [[_cell(value) for value in row] for row in rows]
    widths = [max(len(row[i]) for row in cells) for i in range(len(headers))]
    lines = []
    for n, row in enumerate(cells):
        lines.append(
            "  ".join(cell.ljust(widths[i]) if i == 0 else cell.rjust(widths[i]) for i, cell in enumerate(row))
        )
        if n == 0:
            lines.append("  ".join("-" * width for width in widths))
    return "\n".join(lines)


def _cell(value: object) -> str:
    if value is None:
        return "-"
    if isinstance(value, float):
        if math.isinf(value):
            return "inf"
        return f"{value:,.2f}" if abs(value) < 100 else f"{value:,.0f}"
    return str(value)


def write_json(results: dict, stamp: str) -> Path:
    RESULTS_DIR.mkdir(exist_ok=True)
    path = RESULTS_DIR / f"{stamp}.json"
    path.write_text(json.dumps(results, indent=2, default=str) + "\n")
    return path
