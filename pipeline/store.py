"""The DuckDB store: migrations, typed reads and transactional writes, polars in and polars out.

DuckDB allows one read-write process per database file. `Store.open` therefore waits (with backoff) for a
file held by another process, says on stderr after 2 s which process holds it, and past `lock_timeout_s`
(default 60 s; the CLI's `--lock-timeout`, or `$THINKMILL_LOCK_TIMEOUT`) raises `StoreLockedError` naming the
file and the holder. Every write runs in one transaction: a failure mid-write leaves the previous state intact.

    with Store.open("data/thinkmill.duckdb") as store:
        store.insert("tasks", df, on_conflict="ignore")
        tasks = store.read("tasks", where="domain = ?", params=["math"])
        with store.writing() as w:          # several writes, one transaction: all or nothing
            w.delete("contamination", "benchmark = ?", ["gsm8k"])
            w.insert("contamination", hits)

A stage that waits a long time between writes (generation waits on a model server) wraps the wait in
`with store.released(): ...`: the file is closed, other processes (`thinkmill db info`, `thinkmill verify`)
can open it, and every store call inside the block opens the file for its own transaction and closes it again.
"""

from __future__ import annotations

import json
import os
import random
import re
import sys
import threading
import time
from collections.abc import Iterator, Sequence
from contextlib import contextmanager, suppress
from datetime import UTC, datetime
from pathlib import Path
from typing import Any, Literal

import duckdb
import polars as pl

from pipeline.errors import ThinkmillError
from schemas import LATEST_VERSION, MIGRATIONS, TABLES, Table, table

DEFAULT_DB = "data/thinkmill.duckdb"
DEFAULT_LOCK_TIMEOUT_S = 60.0
LOCK_NOTICE_AFTER_S = 2.0  # a writer waiting this long says on stderr who holds the lock
_lock_timeout_override: float | None = None
OnConflict = Literal["error", "ignore", "replace"]


class StoreError(ThinkmillError):
    """Base class of the store's errors (a ThinkmillError: the CLI prints it as one line)."""


class StoreNotFoundError(StoreError):
    """The database file does not exist (and was not to be created)."""


class StoreLockedError(StoreError):
    """Another process holds the database file for writing."""


class StoreWriteError(StoreError):
    """A write failed; the transaction was rolled back and the previous state is intact."""


class StoreOutOfMemoryError(StoreWriteError):
    """DuckDB ran out of memory under its memory limit (`Store.memory_cap`): a write was rolled back, or a query
    returned nothing."""


class StoreReadOnlyError(StoreError):
    """The database file or its folder cannot be written (permissions, read-only file system)."""


class StoreDiskFullError(StoreWriteError):
    """The disk holding the database is full; the write was rolled back and the previous state is intact."""


class SchemaMismatchError(StoreError):
    """A frame does not fit a table's contract."""


def default_db_path() -> Path:
    return Path(os.environ.get("THINKMILL_DB", DEFAULT_DB))


def set_default_lock_timeout(seconds: float | None) -> None:
    """Set the lock wait of every later `Store.connect` without an explicit one (the CLI's `--lock-timeout`);
    None restores the default (`$THINKMILL_LOCK_TIMEOUT`, else 60 s)."""
    global _lock_timeout_override
    if seconds is not None and seconds < 0:
        raise StoreError(f"lock timeout must be >= 0 seconds, got {seconds}")
    _lock_timeout_override = seconds


def default_lock_timeout() -> float:
    if _lock_timeout_override is not None:
        return _lock_timeout_override
    env = os.environ.get("THINKMILL_LOCK_TIMEOUT")
    if env:
        try:
            value = float(env)
        except ValueError:
            raise StoreError(f"THINKMILL_LOCK_TIMEOUT={env!r} is not a number of seconds") from None
        if value < 0:
            raise StoreError(f"THINKMILL_LOCK_TIMEOUT={env!r} must be >= 0 seconds")
        return value
    return DEFAULT_LOCK_TIMEOUT_S


def lock_holder(exc: BaseException) -> str:
    """Who holds a DuckDB lock, from DuckDB's error ("... held in /usr/bin/python3 (PID 123)"): the pid and,
    when /proc can tell, its command line; "" when the message names no process."""
    msg = str(exc)
    pid_match = re.search(r"\(PID (\d+)\)", msg)
    if not pid_match:
        return ""
    exe = re.search(r"held in (.+?) \(PID", msg)
    return process_description(int(pid_match.group(1)), exe.group(1) if exe else "")


def process_description(pid: int, fallback: str = "") -> str:
    """`process PID (its command line)`, the command line as /proc tells it (`fallback` when it cannot), on one line
    and at most 200 characters."""
    cmdline = ""
    with suppress(OSError):
        raw = Path(f"/proc/{pid}/cmdline").read_bytes()
        cmdline = " ".join(part.decode(errors="replace") for part in raw.split(b"\0") if part)
    cmdline = " ".join(cmdline.split()) or fallback  # one line, whatever the arguments hold
    if len(cmdline) > 200:
        cmdline = cmdline[:197] + "..."
    return f"process {pid}" + (f" ({cmdline})" if cmdline else "")


def _sql_path(path: str | Path) -> str:
    return str(path).replace("'", "''")


def now_utc() -> datetime:
    return datetime.now(UTC)


def to_json(value: Any) -> str:
    """Canonical JSON text (sorted keys, no spaces) for json columns and content hashes."""
    return json.dumps(value, sort_keys=True, separators=(",", ":"), ensure_ascii=False, default=str)


_LOCK_PATTERNS = ("could not set lock", "conflicting lock", "lock on file")


_DISK_FULL_PATTERNS = ("no space left on device", "disk is full", "disk full", "not enough space")
_READ_ONLY_PATTERNS = ("read-only file system", "permission denied", "read-only mode", "operation not permitted")


def _is_lock_error(exc: BaseException) -> bool:
    msg = str(exc).lower()
    return any(p in msg for p in _LOCK_PATTERNS)


def _held_by_another_process(db: Path) -> bool:
    """True when another process holds DuckDB's lock on `db` (it may be creating the file right now)."""
    try:
        import fcntl
    except ImportError:  # not POSIX: assume it is held, so nothing is ever removed
        return True
    try:
        with db.open("rb+") as f:
            try:
                fcntl.lockf(f, fcntl.LOCK_EX | fcntl.LOCK_NB)
            except OSError:
                return True
            fcntl.lockf(f, fcntl.LOCK_UN)
            return False
    except OSError:
        return True


def _is_environment_failure(exc: BaseException) -> bool:
    """Disk full, read-only or invalidated: failures of the machine, not of the data written."""
    msg = str(exc).lower()
    return any(p in msg for p in (*_DISK_FULL_PATTERNS, *_READ_ONLY_PATTERNS, "invalidated"))


def _write_failure(db: Path, what: str, exc: BaseException) -> StoreError:
    """Classify a failed write (disk full, read-only, other) into an error that says what to do."""
    msg = str(exc).lower()
    if any(p in msg for p in _DISK_FULL_PATTERNS):
        return StoreDiskFullError(
            f"{what} to database {db} failed: the disk is full ({exc}). The write was rolled back and the "
            f"previous state is intact; free space on {db.parent} and rerun."
        )
    if any(p in msg for p in _READ_ONLY_PATTERNS):
        return StoreReadOnlyError(
            f"{what} to database {db} failed: the file or its folder {db.parent} is read-only ({exc}). The "
            f"previous state is intact; fix the permissions or open the database read-only."
        )
    if isinstance(exc, duckdb.OutOfMemoryException) or "out of memory" in msg:
        return StoreOutOfMemoryError(f"{what} to database {db} ran out of memory and was rolled back: {exc}")
    if "invalidated" in msg:
        return StoreWriteError(
            f"{what} to database {db} failed: DuckDB invalidated the connection after an earlier fatal error "
            f"({exc}). Committed data is intact; reopen the database and rerun."
        )
    return StoreWriteError(f"{what} to database {db} failed and was rolled back: {exc}")


_SIZE_UNITS = {"B": 1, "KB": 1000, "MB": 1000**2, "GB": 1000**3, "TB": 1000**4, "KIB": 1 << 10, "MIB": 1 << 20}
_SIZE_UNITS.update({"GIB": 1 << 30, "TIB": 1 << 40, "BYTES": 1})


def _size_bytes(text: str) -> int | None:
    """DuckDB's size text ('18.8 GiB', '300.0 MiB') in bytes; None when it is not one."""
    parts = text.strip().split()
    if len(parts) != 2 or parts[1].upper() not in _SIZE_UNITS:
        return None
    try:
        return int(float(parts[0]) * _SIZE_UNITS[parts[1].upper()])
    except ValueError:
        return None


class Writer:
    """Writes inside one open transaction, from `Store.writing()`; nothing is committed before the block ends.

    Tables are named by their contract (`schemas.contracts`); frames are conformed to it first."""

    def __init__(self, store: Store, con: duckdb.DuckDBPyConnection) -> None:
        self._store = store
        self._con = con

    def insert(self, name: str, df: pl.DataFrame, *, on_conflict: OnConflict = "error") -> int:
        """Insert rows; returns how many were added (or replaced, with on_conflict="replace")."""
        if df.height == 0:
            return 0
        return self._store._insert_frame(self._con, table(name), self._store.conform(name, df), on_conflict)

    def upsert(self, name: str, df: pl.DataFrame) -> int:
        """Insert rows, replacing those whose primary key is already stored."""
        return self.insert(name, df, on_conflict="replace")

    def insert_parquet(
        self,
        name: str,
        paths: Sequence[str | Path],
        *,
        only: pl.DataFrame | None = None,
        values: dict[str, Any] | None = None,
        on_conflict: OnConflict = "error",
    ) -> int:
        """Insert the rows of Parquet files, read and written by DuckDB without passing through Python (a 1M-row
        ingest writes its tasks in one statement, in bounded memory). Returns how many rows were added.

        `only` (a one-column frame) keeps the rows whose value in that column is among its values; `values` gives
        constants for table columns the files lack; file columns the table lacks are ignored; other missing
        nullable columns are null. Casts follow the contract's column types (JSON text is checked by DuckDB)."""
        if not paths:
            return 0
        t = table(name)
        files = "[" + ", ".join(f"'{_sql_path(p)}'" for p in paths) + "]"
        source = f"read_parquet({files})"
        have = {str(r[0]) for r in self._con.execute(f"DESCRIBE SELECT * FROM {source}").fetchall()}
        consts = dict(values or {})
        select: list[str] = []
        params: list[Any] = []
        for c in t.columns:
            if c.name in consts:
                select.append(f"CAST(? AS {c.duckdb_type})")
                params.append(consts.pop(c.name))
            elif c.name in have:
                select.append(f"CAST({c.name} AS {c.duckdb_type})")
            elif c.nullable:
                select.append(f"CAST(NULL AS {c.duckdb_type})")
            else:
                raise SchemaMismatchError(f"table {name!r}: required column {c.name!r} is not in the Parquet files")
        if consts:
            raise SchemaMismatchError(f"table {name!r} has no columns {sorted(consts)}")
        where = ""
        view = f"_thinkmill_only_{t.name}"
        if only is not None:
            if only.width != 1 or only.columns[0] not in have:
                raise StoreError(f"insert_parquet: `only` must be one column of the files, got {only.columns}")
            key = only.columns[0]
            self._con.register(view, only.to_arrow())
            where = f" WHERE {key} IN (SELECT {key} FROM {view})"
        verb = {"error": "INSERT", "ignore": "INSERT OR IGNORE", "replace": "INSERT OR REPLACE"}[on_conflict]
        try:
            row = self._con.execute(
                f"{verb} INTO {t.name} ({', '.join(t.column_names)}) SELECT {', '.join(select)} FROM {source}{where}",
                params,
            ).fetchone()
        except duckdb.Error as exc:
            raise _write_failure(self._store.path, f"writing table {t.name!r}", exc) from exc
        finally:
            if only is not None:
                self._con.unregister(view)
        return int(row[0]) if row else 0

    def update(self, name: str, df: pl.DataFrame, *, key: str) -> int:
        """Set the columns of `df` other than `key` on the rows of contract table `name` whose `key` matches a row of
        `df` (cast to the contract's types; key columns of an index are not updated here). Returns the rows set."""
        if df.height == 0:
            return 0
        t = table(name)
        cols = [c for c in df.columns if c != key]
        view = f"_thinkmill_update_{t.name}"
        self._con.register(view, df.to_arrow())
        try:
            sets = ", ".join(f"{c} = CAST({view}.{c} AS {t.column(c).duckdb_type})" for c in cols)
            row = self._con.execute(
                f"UPDATE {t.name} SET {sets} FROM {view} WHERE {t.name}.{key} = {view}.{key}"
            ).fetchone()
        except duckdb.Error as exc:
            raise _write_failure(self._store.path, f"updating table {t.name!r}", exc) from exc
        finally:
            self._con.unregister(view)
        return int(row[0]) if row else 0

    def delete(self, name: str, where: str, params: Sequence[Any] | None = None) -> int:
        """Delete the rows of a contract table matching `where`; returns how many went."""
        t = table(name)
        before = self._count(t.name)
        self.execute(f"DELETE FROM {t.name} WHERE {where}", params)
        return before - self._count(t.name)

    def delete_matching(self, name: str, keys: pl.DataFrame) -> int:
        """Delete the rows of contract table `name` whose value in the one column of `keys` is among its values;
        returns how many went."""
        t, key = table(name), keys.columns[0]
        view = f"_thinkmill_keys_{t.name}"
        self._con.register(view, keys.to_arrow())
        try:
            return self.delete(name, f"{key} IN (SELECT {key} FROM {view})")
        finally:
            self._con.unregister(view)

    def execute(self, sql: str, params: Sequence[Any] | None = None) -> None:
        """Run one SQL statement in the transaction (an error rolls the whole block back)."""
        self._con.execute(sql, list(params or []))

    def query(self, sql: str, params: Sequence[Any] | None = None) -> pl.DataFrame:
        """Read inside the transaction: sees this block's own uncommitted writes."""
        return self._con.execute(sql, list(params or [])).pl()

    def _count(self, name: str) -> int:
        row = self._con.execute(f"SELECT count(*) FROM {name}").fetchone()
        return int(row[0]) if row else 0


class Store:
    """An open thinkmill database.

    The DuckDB connection is private: read with `query`/`read`/`count`/`fetchone`/`fetchall`, write with
    `insert`/`upsert`/`delete`/`execute` or, for several statements in one transaction, `store.writing()`."""

    def __init__(
        self, con: duckdb.DuckDBPyConnection, path: Path, read_only: bool, lock_timeout_s: float | None = None
    ) -> None:
        self._con: duckdb.DuckDBPyConnection | None = con
        self.path = path
        self.read_only = read_only
        self.lock_timeout_s = lock_timeout_s
        self._mutex = threading.RLock()  # one user of the connection at a time (generate's writer thread)
        self._released = 0  # depth of `released()` blocks: while > 0 the file is opened per operation
        self._in_transaction = False
        self._closed = False
        self._released_wait_s: float | None = None  # lock wait of operations inside `released()`
        self._memory_limit: int | None = None  # the connection's DuckDB memory limit in bytes, once read or set

    # ------------------------------------------------------------------ opening
    @classmethod
    def connect(
        cls,
        path: str | Path | None = None,
        *,
        read_only: bool = False,
        create: bool = True,
        migrate: bool = True,
        lock_timeout_s: float | None = None,
    ) -> Store:
        """Open (and by default create and migrate) the database at `path`.

        `lock_timeout_s`: how long to wait for another process's lock (None: `default_lock_timeout()`)."""
        db = Path(path) if path is not None else default_db_path()
        if lock_timeout_s is None:
            lock_timeout_s = default_lock_timeout()
        # A zero-byte file nobody holds is a creation that died before DuckDB wrote its header.
        empty = db.is_file() and db.stat().st_size == 0 and not _held_by_another_process(db)
        creating = empty or not db.exists()
        if creating:
            if read_only or not create:
                raise StoreNotFoundError(
                    f"database {db} does not exist{' (the file is empty)' if empty else ''}; run `thinkmill "
                    f"demo` or an ingest first, or point THINKMILL_DB / --db at an existing file"
                )
            try:
                db.parent.mkdir(parents=True, exist_ok=True)
                if empty:
                    db.unlink()
            except OSError as exc:
                raise _write_failure(db, "creating the database", exc) from exc
        con: duckdb.DuckDBPyConnection | None = None
        try:
            con = cls._connect_with_wait(db, read_only, lock_timeout_s)
            store = cls(con, db, read_only, lock_timeout_s)
            if migrate and not read_only:
                store.migrate()
            return store
        except BaseException as exc:
            if con is not None:
                with suppress(duckdb.Error):
                    con.close()
            if creating and not isinstance(exc, StoreLockedError):
                # A half-created file (disk full, killed) would block every later open: remove what we made.
                # Never after a lock error: then the file is another process's, mid-creation.
                for leftover in (db, db.with_name(db.name + ".wal")):
                    with suppress(OSError):
                        leftover.unlink()
            raise

    @classmethod
    @contextmanager
    def open(cls, path: str | Path | None = None, **kwargs: Any) -> Iterator[Store]:
        store = cls.connect(path, **kwargs)
        try:
            yield store
        finally:
            store.close()

    @staticmethod
    def _connect_with_wait(db: Path, read_only: bool, lock_timeout_s: float) -> duckdb.DuckDBPyConnection:
        start = time.monotonic()
        deadline = start + lock_timeout_s
        delay = 0.05
        noticed = False
        while True:
            try:
                return duckdb.connect(str(db), read_only=read_only)
            except duckdb.Error as exc:
                if not _is_lock_error(exc):
                    low = str(exc).lower()
                    if not read_only and any(p in low for p in _READ_ONLY_PATTERNS):
                        raise StoreReadOnlyError(
                            f"database {db} cannot be opened for writing: the file or its folder {db.parent} "
                            f"is read-only ({exc}). Fix the permissions, or open it read-only to inspect it."
                        ) from exc
                    if any(p in low for p in _DISK_FULL_PATTERNS):
                        raise StoreDiskFullError(f"database {db} cannot be opened: the disk is full ({exc})") from exc
                    raise StoreError(f"database {db} cannot be opened: {exc}") from exc
                now = time.monotonic()
                if now >= deadline:
                    holder = lock_holder(exc)
                    who = f" (held by {holder})" if holder else ""
                    raise StoreLockedError(
                        f"database {db} is in use by another thinkmill process{who}; waited "
                        f"{lock_timeout_s:g}s. DuckDB allows one writer per file: wait for the other run "
                        f"to finish or raise --lock-timeout SECONDS (or $THINKMILL_LOCK_TIMEOUT)."
                    ) from exc
                if not noticed and now - start >= LOCK_NOTICE_AFTER_S:
                    noticed = True
                    holder = lock_holder(exc) or "another process"
                    print(
                        f"waiting for database {db}: it is locked by {holder}; giving up after "
                        f"{lock_timeout_s:g}s (--lock-timeout)",
                        file=sys.stderr,
                        flush=True,
                    )
                # wake no later than the notice is due and than the deadline: a backoff sleep stepping over both
                # would give up without ever saying who holds the lock
                wake = deadline if noticed else min(deadline, start + LOCK_NOTICE_AFTER_S)
                pause = delay + random.uniform(0, delay)
                if wake > now:
                    pause = min(pause, wake - now)
                time.sleep(pause)
                delay = min(delay * 2, 1.0)

    def close(self) -> None:
        """Close the connection. DuckDB checkpoints here; if that fails (disk full) the WAL keeps every
        committed write and the next open replays it, so nothing is lost and closing never raises."""
        with self._mutex:
            self._closed = True
            con, self._con = self._con, None
            if con is not None:
                with suppress(duckdb.Error):
                    con.close()

    def __enter__(self) -> Store:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    # ------------------------------------------------------------- the file lock
    def _timeout(self) -> float:
        if self._released and self._released_wait_s is not None:
            return self._released_wait_s
        return self.lock_timeout_s if self.lock_timeout_s is not None else default_lock_timeout()

    @contextmanager
    def _connection(self) -> Iterator[duckdb.DuckDBPyConnection]:
        """The connection for one operation: the held one; else the file is opened (waiting for the lock like
        `Store.open`) and, inside `released()`, closed again after this operation, otherwise held again."""
        with self._mutex:
            if self._closed:
                raise StoreError(f"database {self.path} is closed")
            if self._con is not None:
                yield self._con
                return
            con = self._connect_with_wait(self.path, self.read_only, self._timeout())
            self._con = con
            self._memory_limit = None  # a new connection starts at DuckDB's default
            if not self._released:  # first use after `released()`: hold the file again from here on
                yield con
                return
            try:
                yield con
            finally:
                self._con = None
                with suppress(duckdb.Error):
                    con.close()

    @contextmanager
    def released(self, *, lock_timeout_s: float | None = None) -> Iterator[Store]:
        """Let other processes open the database file until the block ends.

        DuckDB locks the file per process, so a long stage that keeps it open shuts out every other
        `thinkmill` command, even a read-only `db info`. Inside this block the file is closed; each store
        call opens it for its own transaction (waiting for the lock like `Store.open`) and closes it again.
        After the block the store takes the file back at its next use (waiting for it like `Store.open`), so a
        stage that ends right after the block never waits for the lock again.

        `lock_timeout_s`: how long an operation inside the block waits for the file (default: the store's lock
        timeout). A background stage passes a long one, so that a `thinkmill verify` holding the file for a few
        minutes delays its next commit instead of failing it."""
        if str(self.path) == ":memory:":  # nothing to share, and closing would drop the data
            yield self
            return
        with self._mutex:
            if self._in_transaction:
                raise StoreError("cannot release the database file inside store.writing()")
            self._released += 1
            if self._released == 1:
                self._released_wait_s = lock_timeout_s
            con, self._con = self._con, None
            if con is not None:
                with suppress(duckdb.Error):
                    con.close()
        try:
            yield self
        finally:
            with self._mutex:
                self._released -= 1
                if not self._released:
                    self._released_wait_s = None

    @property
    def holds_file(self) -> bool:
        """True while this store keeps the database file open (and so locked against other processes)."""
        return self._con is not None

    # ---------------------------------------------------------------- migrations
    def schema_version(self) -> int:
        exists = self.fetchone("SELECT count(*) FROM information_schema.tables WHERE table_name = 'schema_migrations'")
        if not exists or exists[0] == 0:
            return 0
        row = self.fetchone("SELECT max(version) FROM schema_migrations")
        return int(row[0]) if row and row[0] is not None else 0

    def migrate(self) -> list[int]:
        """Apply pending migrations in order, each in its own transaction. Returns the versions applied."""
        with self._connection() as con:
            # the version is read first and the table made only where it is missing: on every open of a migrated
            # file (each command, each test) this is one cheap statement instead of a DDL statement and a catalog
            # query (`schema_version`), which cost ~5-13 ms on a busy 2-core machine
            try:
                row = con.execute("SELECT max(version) FROM schema_migrations").fetchone()
            except duckdb.CatalogException:
                con.execute(
                    "CREATE TABLE IF NOT EXISTS schema_migrations ("
                    "version INTEGER PRIMARY KEY, description VARCHAR, applied_at TIMESTAMPTZ)"
                )
                row = None
            current = int(row[0]) if row and row[0] is not None else 0
            if current > LATEST_VERSION:
                raise StoreError(
                    f"database {self.path} has schema version {current}, newer than this thinkmill "
                    f"({LATEST_VERSION}); upgrade thinkmill"
                )
            applied = []
            for m in MIGRATIONS:
                if m.version <= current:
                    continue
                with self.writing() as w:
                    for stmt in m.statements():
                        w.execute(stmt)
                    w.execute("INSERT INTO schema_migrations VALUES (?, ?, ?)", [m.version, m.description, now_utc()])
                applied.append(m.version)
            return applied

    # ------------------------------------------------------------- transactions
    @contextmanager
    def writing(self) -> Iterator[Writer]:
        """One transaction for several writes: committed when the block ends, rolled back on any exception.

            with store.writing() as w:
                w.delete("contamination", "benchmark = ?", ["gsm8k"])
                w.insert("contamination", hits, on_conflict="ignore")

        A failed COMMIT (disk full, read-only file system) raises a StoreWriteError subclass that says so;
        DuckDB has then discarded the transaction, so the previous state is intact."""
        if self.read_only:
            raise StoreReadOnlyError(f"database {self.path} is open read-only")
        with self._connection() as con:
            if self._in_transaction:
                raise StoreError("store.writing() blocks do not nest: use the outer block's writer")
            try:
                con.execute("BEGIN TRANSACTION")
            except duckdb.Error as exc:
                if _is_environment_failure(exc):
                    raise _write_failure(self.path, "starting a transaction", exc) from exc
                raise
            self._in_transaction = True
            try:
                yield Writer(self, con)
            except BaseException as exc:
                with suppress(duckdb.Error):  # the transaction may already be gone (invalidated connection)
                    con.execute("ROLLBACK")
                if isinstance(exc, duckdb.Error) and _is_environment_failure(exc):
                    raise _write_failure(self.path, "a write", exc) from exc
                raise  # the caller's own error (constraint, SQL) stays as it was
            else:
                try:
                    con.execute("COMMIT")
                except duckdb.Error as exc:
                    with suppress(duckdb.Error):
                        con.execute("ROLLBACK")
                    raise _write_failure(self.path, "committing a write", exc) from exc
            finally:
                self._in_transaction = False

    # -------------------------------------------------------------------- reads
    def query(
        self, sql: str, params: Sequence[Any] | None = None, *, frames: dict[str, pl.DataFrame] | None = None
    ) -> pl.DataFrame:
        """Run a read-only SQL query and return a polars frame. `frames` are visible to the query as views
        under their names (zero-copy, for this query only)."""
        with self._connection() as con:
            for name, frame in (frames or {}).items():
                con.register(name, frame.to_arrow())
            try:
                return con.execute(sql, list(params or [])).pl()
            except duckdb.OutOfMemoryException as exc:
                raise StoreOutOfMemoryError(f"a query on database {self.path} ran out of memory: {exc}") from exc
            finally:
                for name in frames or {}:
                    con.unregister(name)

    def trim_memory(self) -> None:
        """Hand DuckDB's cached buffers back (after a large query whose result is already in Python): DuckDB keeps
        what a query used, up to its memory limit (80% of RAM by default), and a 1M-row join kept ~400 MB that
        the next step then had to hold beside it. Lowering the limit for a moment evicts them; nothing is lost
        (unpinned buffers are caches or spill to disk), and the limit the connection had comes back."""
        with self._connection() as con:
            before = self._limit_bytes(con)
            if before is None:
                return
            try:
                con.execute("SET memory_limit = '32MB'")
            except duckdb.Error:
                pass
            finally:
                self._set_limit(con, before)

    def _limit_bytes(self, con: duckdb.DuckDBPyConnection) -> int | None:
        """The connection's memory limit in bytes. DuckDB shows it rounded ('18.8 GiB'), and setting that text
        back lowers the limit by 0.1 GiB each time, so it is read once and then tracked here."""
        if self._memory_limit is None:
            row = con.execute("SELECT current_setting('memory_limit')").fetchone()
            self._memory_limit = _size_bytes(str(row[0])) if row else None
        return self._memory_limit

    def _set_limit(self, con: duckdb.DuckDBPyConnection, nbytes: int) -> None:
        con.execute(f"SET memory_limit = '{int(nbytes)}B'")
        self._memory_limit = int(nbytes)

    @contextmanager
    def memory_cap(self, nbytes: int) -> Iterator[None]:
        """Run a block with DuckDB's memory limit lowered to `nbytes` (never raised), then restore the limit the
        connection had. Under the cap DuckDB evicts and spills to its temporary folder instead of growing: a
        1M-row insert into `tasks` took +650 MB of RSS without a cap and +330 MB under 400 MB, in the same
        time. What DuckDB cannot spill (the indexes it checks) must fit, else the block fails with
        StoreOutOfMemoryError. A cap DuckDB cannot take (it already holds more and cannot free it) is skipped."""
        with self._connection() as con:
            before = self._limit_bytes(con)
            if before is not None and before <= nbytes:
                yield
                return
            try:
                self._set_limit(con, nbytes)
            except duckdb.Error:
                yield
                return
            try:
                yield
            finally:
                if before is not None:
                    self._set_limit(con, before)
                else:
                    con.execute("RESET memory_limit")
                    self._memory_limit = None

    def fetchone(self, sql: str, params: Sequence[Any] | None = None) -> tuple[Any, ...] | None:
        """First row of a query as a tuple of Python values (None when there is none)."""
        with self._connection() as con:
            return con.execute(sql, list(params or [])).fetchone()

    def fetchall(self, sql: str, params: Sequence[Any] | None = None) -> list[tuple[Any, ...]]:
        """Every row of a query as tuples of Python values."""
        with self._connection() as con:
            return con.execute(sql, list(params or [])).fetchall()

    def read(
        self,
        name: str,
        *,
        where: str | None = None,
        params: Sequence[Any] | None = None,
        columns: Sequence[str] | None = None,
        order_by: str | None = None,
    ) -> pl.DataFrame:
        """Read a contract table as a polars frame with the contract's dtypes."""
        t = table(name)
        cols = list(columns) if columns else t.column_names
        for c in cols:
            t.column(c)
        sql = f"SELECT {', '.join(cols)} FROM {t.name}"
        if where:
            sql += f" WHERE {where}"
        sql += f" ORDER BY {order_by or ', '.join(t.primary_key or cols[:1])}"
        df = self.query(sql, params)
        schema = t.polars_schema()
        return (
            df.cast({c: schema[c] for c in cols}, strict=False)
            if df.height
            else pl.DataFrame(schema={c: schema[c] for c in cols})
        )

    def batches(self, sql: str, params: Sequence[Any] | None = None, *, rows: int = 10_000) -> Iterator[Any]:
        """Stream a query's result as Arrow record batches of at most `rows` rows, so a caller holds one batch
        at a time (exports of whole versions). The store's connection is used until the iterator ends."""
        with self._connection() as con:
            reader = con.execute(sql, list(params or [])).fetch_record_batch(rows)
            yield from reader

    def copy_to(self, sql: str, params: Sequence[Any] | None, target: str | Path, options: str) -> None:
        """`COPY (sql) TO target (options)`: DuckDB streams a query's result into a file itself (Parquet, JSON),
        without the rows passing through Python. Works on a read-only store: only the target file is written."""
        with self._connection() as con:
            con.execute(f"COPY ({sql}) TO '{_sql_path(target)}' ({options})", list(params or []))

    def count(self, name: str, where: str | None = None, params: Sequence[Any] | None = None) -> int:
        t = table(name)
        sql = f"SELECT count(*) FROM {t.name}" + (f" WHERE {where}" if where else "")
        row = self.fetchone(sql, params)
        return int(row[0]) if row else 0

    def table_counts(self) -> dict[str, int]:
        with self._connection():
            return {name: self.count(name) for name in TABLES}

    # ------------------------------------------------------------------- writes
    def conform(self, name: str, df: pl.DataFrame) -> pl.DataFrame:
        """Return `df` with exactly the table's columns and dtypes; absent nullable columns become null.

        Raises SchemaMismatchError naming the table and columns when a required column is missing or a
        column is not in the contract.
        """
        t = table(name)
        unknown = [c for c in df.columns if c not in t.column_names]
        if unknown:
            raise SchemaMismatchError(f"table {name!r} has no columns {unknown}")
        out = []
        for c in t.columns:
            if c.name in df.columns:
                col = df.get_column(c.name)
                if c.type == "json" and col.dtype != pl.String:
                    col = pl.Series(c.name, [None if v is None else to_json(v) for v in col.to_list()], dtype=pl.String)
                try:
                    col = col.cast(c.polars_type, strict=True)
                except Exception as exc:
                    raise SchemaMismatchError(
                        f"table {name!r} column {c.name!r}: cannot cast {col.dtype} to {c.polars_type}: {exc}"
                    ) from exc
                if not c.nullable and col.null_count():
                    first = int(col.is_null().arg_true()[0])
                    raise SchemaMismatchError(f"table {name!r} column {c.name!r} is null in row {first}")
                out.append(col)
            elif c.name == "created_at":
                out.append(pl.Series(c.name, [now_utc()] * df.height, dtype=c.polars_type))
            elif c.nullable:
                out.append(pl.Series(c.name, [None] * df.height, dtype=c.polars_type))
            else:
                raise SchemaMismatchError(f"table {name!r}: required column {c.name!r} is missing")
        return pl.DataFrame(out)

    def insert(self, name: str, df: pl.DataFrame, *, on_conflict: OnConflict = "error") -> int:
        """Insert rows in one transaction. Returns the number of rows actually added or replaced.

        on_conflict: "error" fails on a primary-key clash, "ignore" keeps the existing row, "replace"
        overwrites it.
        """
        if self.read_only:
            raise StoreReadOnlyError(f"database {self.path} is open read-only")
        if df.height == 0:
            return 0
        frame = self.conform(name, df)
        with self.writing() as w:
            return w.insert(name, frame, on_conflict=on_conflict)

    def upsert(self, name: str, df: pl.DataFrame) -> int:
        """Insert rows in one transaction, replacing those whose primary key is already stored."""
        return self.insert(name, df, on_conflict="replace")

    def _insert_frame(
        self, con: duckdb.DuckDBPyConnection, t: Table, frame: pl.DataFrame, on_conflict: OnConflict
    ) -> int:
        def count() -> int:
            row = con.execute(f"SELECT count(*) FROM {t.name}").fetchone()
            return int(row[0]) if row else 0

        before = count() if on_conflict != "replace" else 0  # a replace reports the frame's rows, uncounted
        verb = {"error": "INSERT", "ignore": "INSERT OR IGNORE", "replace": "INSERT OR REPLACE"}[on_conflict]
        cols = ", ".join(t.column_names)
        view = f"_thinkmill_in_{t.name}"
        con.register(view, frame.to_arrow())
        try:
            try:
                con.execute(f"{verb} INTO {t.name} ({cols}) SELECT {cols} FROM {view}")
            except duckdb.Error as exc:
                raise _write_failure(self.path, f"writing table {t.name!r}", exc) from exc
        finally:
            con.unregister(view)
        return frame.height if on_conflict == "replace" else count() - before

    def insert_many(self, frames: dict[str, pl.DataFrame], *, on_conflict: OnConflict = "error") -> dict[str, int]:
        """Insert into several tables in a single transaction (all or nothing)."""
        conformed = {name: self.conform(name, df) for name, df in frames.items() if df.height}
        counts: dict[str, int] = {name: 0 for name in frames}
        with self.writing() as w:
            for name, frame in conformed.items():
                counts[name] = w.insert(name, frame, on_conflict=on_conflict)
        return counts

    def delete(self, name: str, where: str, params: Sequence[Any] | None = None) -> int:
        """Delete the rows of a contract table matching `where` in one transaction; returns how many went."""
        with self.writing() as w:
            return w.delete(name, where, params)

    def execute(self, sql: str, params: Sequence[Any] | None = None) -> None:
        """Run one SQL statement (an UPDATE, DDL, CHECKPOINT, ...); DuckDB commits it on its own."""
        if self.read_only:
            raise StoreReadOnlyError(f"database {self.path} is open read-only")
        with self._connection() as con:
            try:
                con.execute(sql, list(params or []))
            except duckdb.Error as exc:
                if _is_environment_failure(exc):
                    raise _write_failure(self.path, "a write", exc) from exc
                raise

    # ---------------------------------------------------------------- summary
    def info(self) -> dict[str, Any]:
        with self._connection():
            latest = self.fetchone(
                "SELECT version_id, created_at FROM dataset_versions ORDER BY created_at DESC, version_id DESC LIMIT 1"
            )
            return {
                "path": str(self.path),
                "schema_version": self.schema_version(),
                "tables": self.table_counts(),
                "latest_version": latest[0] if latest else None,
            }
