"""The benchmark's databases: the seeded one, kept across runs, and a fresh copy of it per
run (the benchmark writes: progress updates, recurring series, audit entries)."""

import json
import os
import subprocess
import sys
import time

import psycopg
from psycopg import sql

from .config import Config

#: Bump when the shape of the seeded data changes: an older seed is then rebuilt.
SEED_VERSION = 5
META_TABLE = "bench_meta"


def _admin(config: Config) -> psycopg.Connection:
    return psycopg.connect(config.url("postgres"), autocommit=True)


def exists(config: Config, database: str) -> bool:
    with _admin(config) as conn:
        return conn.execute("SELECT 1 FROM pg_database WHERE datname = %s", [database]).fetchone() is not None


def drop(config: Config, database: str) -> None:
    with _admin(config) as conn:
        conn.execute(sql.SQL("DROP DATABASE IF EXISTS {} WITH (FORCE)").format(sql.Identifier(database)))


def create(config: Config, database: str, template: str | None = None) -> None:
    with _admin(config) as conn:
        if template is None:
            conn.execute(sql.SQL("CREATE DATABASE {}").format(sql.Identifier(database)))
        else:
            # FILE_COPY copies the files after a checkpoint: seconds for a few GB, where the
            # default (WAL_LOG) writes every page through the WAL.
            statement = sql.SQL("CREATE DATABASE {} TEMPLATE {} STRATEGY = FILE_COPY").format(
                sql.Identifier(database), sql.Identifier(template)
            )
            # The template must have no sessions; the migrate that just ran on it may still
            # be closing its connection.
            for attempt in range(20):
                try:
                    conn.execute(statement)
                    return
                except psycopg.errors.ObjectInUse:
                    if attempt == 19:
                        raise
                    time.sleep(0.5)


def read_meta(config: Config, database: str, key: str) -> dict | None:
    if not exists(config, database):
        return None
    with psycopg.connect(config.url(database)) as conn:
        if conn.execute("SELECT to_regclass(%s)", [META_TABLE]).fetchone()[0] is None:
            return None
        row = conn.execute(
            sql.SQL("SELECT value FROM {} WHERE key = %s").format(sql.Identifier(META_TABLE)), [key]
        ).fetchone()
    return json.loads(row[0]) if row else None


def complete_seed(config: Config) -> dict | None:
    """The seed's metadata when the seed database holds a complete seed of this version."""
    meta = read_meta(config, config.seed_database, "seed")
    return meta if meta and meta.get("version") == SEED_VERSION else None


def migrations_applied(config: Config, database: str) -> int:
    with psycopg.connect(config.url(database)) as conn:
        if conn.execute("SELECT to_regclass('django_migrations')").fetchone()[0] is None:
            return 0
        return conn.execute("SELECT count(*) FROM django_migrations").fetchone()[0]


def manage(config: Config, database: str, *args: str) -> None:
    env = {**os.environ, "DATABASE_URL": config.url(database), "DJANGO_SETTINGS_MODULE": "practice.settings.base"}
    env.setdefault("SECRET_KEY", "bench-only-" + "x" * 50)
    subprocess.run([sys.executable, "manage.py", *args], check=True, env=env)  # noqa: S603


def analyze(config: Config, database: str) -> float:
    started = time.monotonic()
    with psycopg.connect(config.url(database), autocommit=True) as conn:
        conn.execute("ANALYZE")
    return time.monotonic() - started
