"""Databases built once per test process and copied per test.

Creating and migrating an empty database costs ~0.2 s (more on a busy 2-core runner), seeding it with
`testing_support.seed.populate` more again; copying the finished file costs a few milliseconds. Hundreds of tests
(and every Hypothesis example of the hostile-input suite) start from one of these states, so each state is built
once, by the real `Store.open` (and seeder), and copied. The copy is the same bytes the build wrote: the test then
opens it with `Store.open` as usual, which finds it migrated. Migrating a fresh file is still tested where that is
the point (tests/foundation/test_foundation_migrations.py and every CLI test, which creates its database).
"""

from __future__ import annotations

import atexit
import shutil
import tempfile
import threading
from collections.abc import Callable, Iterator
from contextlib import contextmanager, suppress
from pathlib import Path

import duckdb

from pipeline.store import Store, StoreError

_lock = threading.Lock()
_built: dict[str, Path] = {}
_root: Path | None = None


def _template(key: str, seed: Callable[[Store], None] | None) -> Path:
    global _root
    with _lock:
        if key not in _built:
            if _root is None:
                _root = Path(tempfile.mkdtemp(prefix="thinkmill-db-templates-"))
                atexit.register(shutil.rmtree, _root, True)
            path = _root / f"{key}.duckdb"
            with Store.open(path) as store:
                if seed is not None:
                    seed(store)
            _built[key] = path
        return _built[key]


def copy_db(src: Path, dst: Path) -> Path:
    """Copy a closed database file (and its WAL, if one was left) to `dst`."""
    dst.parent.mkdir(parents=True, exist_ok=True)
    shutil.copyfile(src, dst)
    wal = src.with_name(src.name + ".wal")
    if wal.exists():
        shutil.copyfile(wal, dst.with_name(dst.name + ".wal"))
    return dst


def migrated_db(dst: Path) -> Path:
    """An empty database, migrated to the current schema, at `dst` (which must not exist yet)."""
    return copy_db(_template("migrated", None), dst)


def seeded_db(dst: Path, key: str, seed: Callable[[Store], None]) -> Path:
    """A database at `dst` holding what `seed(store)` writes into a fresh one; `key` names that state (one build
    per key and process: the same key must always mean the same seed)."""
    return copy_db(_template(f"seeded-{key}", seed), dst)


def close_unsaved(store: Store) -> None:
    """Close a test's store whose file is thrown away next, without DuckDB's checkpoint on closing (it writes the
    WAL into the file: ~20-40 ms after a small ingest, a sixth of a typical ingest test, for a file nobody reads
    again). Nothing a test asserted depends on it: `Store.close` ignores a failed checkpoint, and the WAL holds every
    committed write anyway."""
    if store.holds_file and not store.read_only:
        with suppress(duckdb.Error, StoreError):  # then it closes as usual
            store.execute("PRAGMA disable_checkpoint_on_shutdown")
    store.close()


@contextmanager
def scratch_store(path: Path) -> Iterator[Store]:
    """`Store.open` on a copy of the migrated template at `path` (`migrated_db`), closed by `close_unsaved`: for a
    test whose database is thrown away when the block ends."""
    store = Store.connect(migrated_db(path))
    try:
        yield store
    finally:
        close_unsaved(store)
