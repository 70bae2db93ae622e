"""The local adapters' SQLite file: the registry, the schedules and the scan queue each keep a table in
the same file (`compose.default_registry`), opened the same way."""

from __future__ import annotations

import sqlite3
from pathlib import Path


def open_sqlite(path: str | Path, *ddl: str) -> sqlite3.Connection:
    """A connection in autocommit (a step that needs a transaction says BEGIN), shared across threads (each
    adapter serialises its own use with a lock), waiting up to 5 s for another process's write, in WAL mode
    so readers do not wait for writers; then `ddl`, each statement idempotent (IF NOT EXISTS)."""
    Path(path).parent.mkdir(parents=True, exist_ok=True)
    db = sqlite3.connect(path, check_same_thread=False, isolation_level=None)
    db.execute("PRAGMA busy_timeout=5000")
    db.execute("PRAGMA journal_mode=WAL")
    for statement in ddl:
        db.execute(statement)
    return db
