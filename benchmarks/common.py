"""What the database benchmarks share: the machine they ran on, and a fresh database for each run."""

from __future__ import annotations

import os
import platform
import tempfile
from collections.abc import Callable
from datetime import UTC, datetime
from pathlib import Path

POSTGRES_ADMIN = "postgres://postgres@127.0.0.1:5432/postgres"


def machine() -> dict:
    cpu = next(
        (
            line.split(":", 1)[1].strip()
            for line in Path("/proc/cpuinfo").read_text().splitlines()
            if line.startswith("model name")
        ),
        platform.processor(),
    )
    return {
        "cpu": cpu,
        "cores": os.cpu_count(),
        "python": platform.python_version(),
        "date": datetime.now(UTC).isoformat(timespec="seconds"),
    }


def make_database(kind: str, name: str) -> tuple[str, Callable[[], None]]:
    """A new empty database (SQLite in a temporary folder, or a PostgreSQL database called
    `name`), as a DATABASE_URL and a function that removes it."""
    if kind == "sqlite":
        folder = tempfile.TemporaryDirectory(prefix="mhsip-bench-db-")
        return f"sqlite:///{folder.name}/bench.sqlite3", folder.cleanup
    if kind == "postgres":
        import psycopg

        name = f"{name}_{os.getpid()}"
        with psycopg.connect(POSTGRES_ADMIN, autocommit=True, connect_timeout=5) as connection:
            connection.execute(f'CREATE DATABASE "{name}"')

        def drop() -> None:
            with psycopg.connect(POSTGRES_ADMIN, autocommit=True) as connection:
                connection.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')

        return f"postgres://postgres@127.0.0.1:5432/{name}", drop
    raise SystemExit(f"unknown database {kind!r}: use sqlite or postgres")
