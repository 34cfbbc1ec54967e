"""The proxy's durable journal: SQLite on the office PC, synced to disk at every step.

One row per card transaction (keyed by its request id) and per fiscal receipt
(keyed by its external id), plus an append-only event log that is the audit
trail of every state change. ``synchronous=FULL`` with a WAL makes each commit
durable before the proxy acts on it, so a process killed right after a write
finds it on restart.
"""

import json
import sqlite3
import threading
import time
from pathlib import Path

SCHEMA = """
CREATE TABLE IF NOT EXISTS txn (
    request_id TEXT PRIMARY KEY,
    kind TEXT NOT NULL,            -- sale, refund
    order_ref TEXT NOT NULL,
    amount INTEGER NOT NULL CHECK (amount > 0),
    original_rrn TEXT NOT NULL DEFAULT '',
    state TEXT NOT NULL,
    result TEXT NOT NULL DEFAULT '{}',
    cancel_id TEXT NOT NULL DEFAULT '',
    created REAL NOT NULL,
    updated REAL NOT NULL
);
CREATE TABLE IF NOT EXISTS receipt (
    external_id TEXT PRIMARY KEY,
    state TEXT NOT NULL,
    operation INTEGER NOT NULL,
    total INTEGER NOT NULL,
    document TEXT NOT NULL,
    txns TEXT NOT NULL DEFAULT '[]',
    fd_before INTEGER,
    result TEXT NOT NULL DEFAULT '{}',
    created REAL NOT NULL,
    updated REAL NOT NULL
);
CREATE TABLE IF NOT EXISTS event (
    id INTEGER PRIMARY KEY AUTOINCREMENT,
    at REAL NOT NULL,
    subject TEXT NOT NULL,
    key TEXT NOT NULL,
    state TEXT NOT NULL,
    detail TEXT NOT NULL DEFAULT ''
);
"""

TXN_JSON = ("result",)
RECEIPT_JSON = ("document", "txns", "result")


def _dump(value):
    return None if value is None else json.dumps(value, default=str)


class Journal:
    def __init__(self, path, clock=time.time):
        self.path = Path(path)
        self.path.parent.mkdir(parents=True, exist_ok=True)
        self._clock = clock
        self._lock = threading.RLock()
        self._db = sqlite3.connect(str(self.path), check_same_thread=False, isolation_level=None)
        self._db.row_factory = sqlite3.Row
        self._db.execute("PRAGMA journal_mode=WAL")
        self._db.execute("PRAGMA synchronous=FULL")
        self._db.executescript(SCHEMA)

    def close(self):
        with self._lock:
            self._db.close()

    # writes: each one a transaction, durable when it returns

    def _write(self, statements):
        with self._lock:
            self._db.execute("BEGIN IMMEDIATE")
            try:
                for sql, params in statements:
                    self._db.execute(sql, params)
            except BaseException:
                self._db.execute("ROLLBACK")
                raise
            self._db.execute("COMMIT")

    def _event(self, subject, key, state, detail=""):
        return (
            "INSERT INTO event (at, subject, key, state, detail) VALUES (?, ?, ?, ?, ?)",
            (self._clock(), subject, key, state, detail),
        )

    def add_txn(self, request_id, kind, order_ref, amount, state, original_rrn=""):
        """Journal a new card transaction; False when its request id exists already."""
        now = self._clock()
        try:
            self._write(
                [
                    (
                        "INSERT INTO txn (request_id, kind, order_ref, amount, original_rrn,"
                        " state, created, updated) VALUES (?, ?, ?, ?, ?, ?, ?, ?)",
                        (request_id, kind, order_ref, amount, original_rrn, state, now, now),
                    ),
                    self._event("txn", request_id, state, f"{kind} {amount}"),
                ]
            )
        except sqlite3.IntegrityError as error:
            if "UNIQUE" not in str(error):
                raise
            return False
        return True

    def set_txn(self, request_id, state, result=None, cancel_id=None, detail=""):
        self._write(
            [
                (
                    "UPDATE txn SET state = ?, updated = ?, result = COALESCE(?, result),"
                    " cancel_id = COALESCE(?, cancel_id) WHERE request_id = ?",
                    (state, self._clock(), _dump(result), cancel_id, request_id),
                ),
                self._event("txn", request_id, state, detail),
            ]
        )

    def add_receipt(self, external_id, operation, total, document, txns):
        """Journal a new receipt; False when its external id exists already."""
        now = self._clock()
        try:
            self._write(
                [
                    (
                        "INSERT INTO receipt (external_id, state, operation, total, document,"
                        " txns, created, updated) VALUES (?, 'pending', ?, ?, ?, ?, ?, ?)",
                        (
                            external_id,
                            operation,
                            total,
                            json.dumps(document),
                            json.dumps(list(txns)),
                            now,
                            now,
                        ),
                    ),
                    self._event("receipt", external_id, "pending", f"total {total}"),
                ]
            )
        except sqlite3.IntegrityError as error:
            if "UNIQUE" not in str(error):
                raise
            return False
        return True

    def set_receipt(self, external_id, state, result=None, fd_before=None, detail=""):
        self._write(
            [
                (
                    "UPDATE receipt SET state = ?, updated = ?, result = COALESCE(?, result),"
                    " fd_before = COALESCE(?, fd_before) WHERE external_id = ?",
                    (state, self._clock(), _dump(result), fd_before, external_id),
                ),
                self._event("receipt", external_id, state, detail),
            ]
        )

    def log(self, subject, key, state, detail=""):
        """An audit event of an operation that keeps no row of its own (shift, day close)."""
        self._write([self._event(subject, key, state, detail or "")])

    # reads

    @staticmethod
    def _row(row, json_fields):
        if row is None:
            return None
        data = dict(row)
        for name in json_fields:
            data[name] = json.loads(data[name])
        return data

    def txn(self, request_id):
        with self._lock:
            row = self._db.execute("SELECT * FROM txn WHERE request_id = ?", (request_id,))
            return self._row(row.fetchone(), TXN_JSON)

    def receipt(self, external_id):
        with self._lock:
            row = self._db.execute("SELECT * FROM receipt WHERE external_id = ?", (external_id,))
            return self._row(row.fetchone(), RECEIPT_JSON)

    def txns(self, states=None):
        with self._lock:
            rows = self._db.execute("SELECT * FROM txn ORDER BY created").fetchall()
        found = [self._row(row, TXN_JSON) for row in rows]
        return [t for t in found if states is None or t["state"] in states]

    def receipts(self, states=None):
        with self._lock:
            rows = self._db.execute("SELECT * FROM receipt ORDER BY created").fetchall()
        found = [self._row(row, RECEIPT_JSON) for row in rows]
        return [r for r in found if states is None or r["state"] in states]

    def events(self, key=None):
        with self._lock:
            if key is None:
                rows = self._db.execute("SELECT * FROM event ORDER BY id").fetchall()
            else:
                rows = self._db.execute(
                    "SELECT * FROM event WHERE key = ? ORDER BY id", (key,)
                ).fetchall()
        return [dict(row) for row in rows]
