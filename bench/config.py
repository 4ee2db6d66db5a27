"""Knobs of the benchmark, all overridable from the environment (see the README)."""

import os
from dataclasses import dataclass, field


def _int(name: str, default: int) -> int:
    value = os.environ.get(name, "")
    return int(value) if value.strip() else default


def _float(name: str, default: float) -> float:
    value = os.environ.get(name, "")
    return float(value) if value.strip() else default


@dataclass(frozen=True)
class Scale:
    """Size of the seeded practice group. The appointment and session counts follow from
    the per-slot client tenures in ``bench.seed``; about 1,000,000 and 700,000 at the
    defaults."""

    practices: int = 4
    therapists: int = 200
    clients: int = 20_000
    weekly_slots: int = 24
    years: int = 5
    weeks_ahead: int = 8

    @classmethod
    def from_env(cls) -> "Scale":
        return cls(
            practices=_int("BENCH_PRACTICES", cls.practices),
            therapists=_int("BENCH_THERAPISTS", cls.therapists),
            clients=_int("BENCH_CLIENTS", cls.clients),
            weekly_slots=_int("BENCH_WEEKLY_SLOTS", cls.weekly_slots),
            years=_int("BENCH_YEARS", cls.years),
        )


@dataclass(frozen=True)
class Config:
    pg_url: str = "postgres://postgres@127.0.0.1:5432"
    database: str = "practice_bench"
    #: Seconds of measured load per endpoint and concurrency level, split over the rounds.
    duration: float = 8.0
    #: Rounds of (minimal endpoint, endpoint) back to back; ratios are their median.
    rounds: int = 2
    #: Seconds of unmeasured load before each measurement (connections, caches).
    warmup: float = 2.0
    concurrency: tuple[int, ...] = (1, 10)
    #: gunicorn sync workers; see ``bench.server`` for why 3 on 2 cores.
    workers: int = 3
    port: int = 8765
    #: Therapists who sign in and whose requests are rotated (spread over the practices).
    users: int = 8
    password: str = "bench-password"  # noqa: S105 - a fixed password of seeded benchmark users
    scale: Scale = field(default_factory=Scale)

    @classmethod
    def from_env(cls) -> "Config":
        concurrency = os.environ.get("BENCH_CONNECTIONS", "")
        return cls(
            pg_url=os.environ.get("BENCH_PG_URL", cls.pg_url).rstrip("/"),
            database=os.environ.get("BENCH_DB", cls.database),
            duration=_float("BENCH_DURATION", cls.duration),
            warmup=_float("BENCH_WARMUP", cls.warmup),
            rounds=max(1, _int("BENCH_ROUNDS", cls.rounds)),
            concurrency=tuple(int(c) for c in concurrency.split(",")) if concurrency.strip() else cls.concurrency,
            workers=_int("BENCH_WORKERS", cls.workers),
            port=_int("BENCH_PORT", cls.port),
            users=min(_int("BENCH_USERS", cls.users), 16),
            scale=Scale.from_env(),
        )

    @property
    def seed_database(self) -> str:
        """The seeded database; every run works on a fresh copy of it."""
        return f"{self.database}_seed"

    def url(self, database: str) -> str:
        return f"{self.pg_url}/{database}"
