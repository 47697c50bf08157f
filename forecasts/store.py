"""The store: all of the package's SQL, over one sqlite3 connection.

``Store`` holds the writes and the reads of single records (questions, options, tags,
forecasters, sources, forecasts, resolutions); its scoring reads are in ``store_scores``, its
exports in ``store_exports``, its accounts in ``store_accounts``, the hash chain in ``chain`` (a
leaf module over a plain connection). Clients and the library above hold no SQL.

Size: a little over 800 lines, as every single-record read (questions, forecasters, forecasts)
reads the corrected state when there are corrections (``store_corrections`` holds that logic).

Example::

    >>> store = Store.open(":memory:")
    >>> alice = store.forecaster_id("Alice")
    >>> qid = store.create_question("It rains tomorrow", resolves="2030-01-02", opens="2030-01-01")
    >>> fid = store.add_forecast(qid, alice, made="2030-01-01", p_ppm=700000, p_text="70%")
    >>> store.find_question("it-rains-tomorrow")["id"] == qid
    True
"""

import collections
import contextlib
import datetime
import functools
import os
import re
import sqlite3
import sys
import threading
import time

from . import chain, files, names
from .chain import CHAINED_TABLES
from .errors import NewerDatabase, NotFound, StorageError
from .migrations import KNOWN_MIGRATIONS
from .store_accounts import AccountRecords
from .store_corrections import CorrectionReads
from .store_exports import ExportReads
from .store_scores import ScoreReads

BUSY_TIMEOUT_SECONDS = 30
SQLITE_HEADER = b"SQLite format 3\x00"
VOID_OUTCOMES = ("ambiguous", "annulled")


def now_timestamp():
    """The current UTC time as ISO text, e.g. '2026-11-22T10:04:05.123456+00:00'."""
    return datetime.datetime.now(datetime.timezone.utc).isoformat()


def forecast_key(forecaster_id, made, p_ppm, option_ppm, quote):
    """What makes two forecasts on a question the same, for imports that skip what is there:
    forecaster, date, probability (or option id and probability pairs) and quote."""
    options = (tuple(sorted((oid, ppm) for oid, (ppm, _) in option_ppm.items())) if option_ppm
               else ())
    return forecaster_id, made, p_ppm, options, quote


ASCII_LOWER = {code: code + 32 for code in range(ord("A"), ord("Z") + 1)}


def nocase(text):
    """``text`` as SQLite's NOCASE collation compares it, as a key for a dict: ASCII letters
    folded, and past a NUL character only the length in bytes counts (SQLite stops comparing
    characters there).

    >>> nocase("Alice") == nocase("ALICE"), nocase("Zoë") == nocase("ZOË")
    (True, False)
    """
    head, nul, _ = text.partition("\x00")
    head = head.lower() if head.isascii() else head.translate(ASCII_LOWER)
    return (head, len(text.encode("utf-8", "surrogatepass"))) if nul else head


def question_ref(ref):
    """How a QUESTION argument names a question: ("id", number) for digits, else ("slug", slug).
    A number too large for SQLite's integers is ("id", None): no question has it."""
    ref = str(ref).strip()
    if ref.isascii() and ref.isdigit():  # not "²" or "٣"
        return "id", int(ref) if len(ref) < 19 else None
    return "slug", ref.lower()


def no_question(ref):
    return NotFound(f"no question {str(ref).strip()!r}: see `forecasts list` for the questions")


def backup_database(connection, path):
    """Copy the database behind ``connection`` to a new file at ``path`` with SQLite's online
    backup API, which gives a consistent copy even while others write. The copy is written
    beside ``path`` and renamed into place, so ``path`` never holds half a database."""
    partial = f"{path}.partial-{os.getpid()}"
    target = sqlite3.connect(partial)
    try:
        connection.backup(target)
    except BaseException:
        target.close()
        os.remove(partial)
        raise
    target.close()
    os.replace(partial, path)


def slugify(text, max_length=60):
    """A short lowercase id made from a question's text.

    >>> slugify("Russia accepts the Berlin peace framework!")
    'russia-accepts-the-berlin-peace-framework'
    """
    slug = re.sub(r"[^a-z0-9]+", "-", text.lower()).strip("-")
    if len(slug) > max_length:
        slug = slug[:max_length].rsplit("-", 1)[0]
    return slug or "question"


def check_database_path(path):
    """Refuse paths that cannot hold a forecasts database, with a one-line reason."""
    if path == ":memory:":
        return
    if not str(path).strip():
        raise StorageError("the database path is empty: give the name of a database file")
    if os.path.isdir(path):
        raise StorageError(f"database path {path} is a directory, not a file")
    parent = os.path.dirname(os.path.abspath(path))
    if not os.path.isdir(parent):
        raise StorageError(f"cannot create database {path}: folder {parent} does not exist")
    if os.path.exists(path) and os.path.getsize(path) > 0 and not files.open_here(path):
        with open(path, "rb") as f:
            if f.read(len(SQLITE_HEADER)) != SQLITE_HEADER:
                raise StorageError(f"{path} is not a SQLite database")


# How a Writer writes each table, in an order that puts every row after the rows it refers to.
WRITES = {
    "forecasters": "INSERT INTO forecasters (id, name, kind, role, created) VALUES (?, ?, ?, ?, ?)",
    "sources": "INSERT INTO sources (id, url, outlet, title, published, author)"
               " VALUES (?, ?, ?, ?, ?, ?)",
    "questions": "INSERT INTO questions (id, slug, text, kind, opens, resolves, criteria, created)"
                 " VALUES (?, ?, ?, ?, ?, ?, ?, ?)",
    "options": "INSERT INTO options (id, question_id, position, label) VALUES (?, ?, ?, ?)",
    "tags": "INSERT OR IGNORE INTO tags (name) VALUES (?)",
    "question_tags": "WITH given (question_id, name) AS (VALUES (?, ?))"
                     " INSERT OR IGNORE INTO question_tags (question_id, tag_id)"
                     " SELECT given.question_id, tags.id FROM given JOIN tags USING (name)",
    "forecasts": "INSERT INTO forecasts (id, question_id, forecaster_id, made, recorded, p_ppm,"
                 " p_text, verbal, scale, quote, source_id, hash)"
                 " VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
    "forecast_options": "INSERT INTO forecast_options (forecast_id, option_id, p_ppm, p_text)"
                        " VALUES (?, ?, ?, ?)",
    "resolutions": "INSERT INTO resolutions (id, question_id, outcome, option_id, resolved,"
                   " evidence, note, recorded, hash) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)",
    "corrections": "INSERT INTO corrections (id, action, forecast_id, question_id, forecaster_id,"
                   " into_forecaster_id, changes, reason, author, recorded, hash)"
                   " VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
    "hash_chain": "INSERT INTO hash_chain (row_table, row_id, hash) VALUES (?, ?, ?)",
    "roles": "UPDATE forecasters SET role = ? WHERE id = ?",
    "untags": "DELETE FROM question_tags WHERE question_id = ?"
              " AND tag_id = (SELECT id FROM tags WHERE name = ?)",
}
FLUSH_EVERY = 5000  # records a Writer holds before writing them
# Rows a statement writes (at most, within the variables SQLite allows a statement): INSERT ...
# VALUES (...), (...), ... runs several times faster than a statement a row (SQLite evaluates
# hash_chain's CHECK (row_table IN (...)) once a statement).
ROWS_PER_STATEMENT = 2500
# A batch of at least this many rows is written by a thread of its own while the caller goes on
# (an import reads, checks and hashes the next records meanwhile: two cores, half the time).
BACKGROUND_ROWS = 2000


class Writer:
    """Appends records inside a transaction: get one from ``Store.writing()``.

    Each record gets its id, its recorded time and its hash-chain entry here, in Python, and the
    rows wait in memory to be written many to a statement, every ``FLUSH_EVERY`` records and when
    the ``writing()`` block ends: one record from ``forecasts add`` and a million from an import
    are written the same way. Nothing is looked up: the caller knows what is new. While a Writer
    is open, write through it only (it holds the head of the hash chain).
    """

    def __init__(self, store):
        self.store = store
        self.now = store.now()
        self.head = chain.chain_head(store.conn)
        self.next_ids = {}
        self.rows = {table: [] for table in WRITES}

    def _new_id(self, table):
        if table not in self.next_ids:
            self.next_ids[table] = (self.store._next_id(table) if table != "options" else
                                    self.store._one("SELECT coalesce(max(id), 0) + 1 AS id"
                                                    " FROM options")["id"])
        self.next_ids[table] += 1
        return self.next_ids[table] - 1

    def _chain(self, table, content):
        """A new record of ``table``: its id, and its hash, chained to the record before.
        ``content`` has exactly the record's CONTENT_FIELDS (and its options, if it has any)."""
        if len(self.rows["hash_chain"]) >= FLUSH_EVERY:
            self.flush()
        row_id = self._new_id(table)
        self.head = chain.new_record_hash(self.head, table, row_id, content)
        self.rows["hash_chain"].append((table, row_id, self.head))
        return row_id, self.head

    def add_forecaster(self, name, kind="person", role=None, created=None):
        row = {"name": name, "kind": kind, "created": created or self.now}
        forecaster_id, _ = self._chain("forecasters", row)
        self.rows["forecasters"].append((forecaster_id, name, kind, role, row["created"]))
        return forecaster_id

    def set_role(self, forecaster_id, role):
        self.rows["roles"].append((role, forecaster_id))

    def add_source(self, url=None, outlet=None, title=None, published=None, author=None):
        row = {"url": url, "outlet": outlet, "title": title, "published": published,
               "author": author}
        source_id, _ = self._chain("sources", row)
        self.rows["sources"].append((source_id, url, outlet, title, published, author))
        return source_id

    def add_question(self, slug, text, kind="binary", options=(), opens=None, resolves=None,
                     criteria=None, tags=(), created=None):
        """Returns the question's id and its options' ids."""
        option_ids = [self._new_id("options") for _ in options]
        row = {"slug": slug, "text": text, "kind": kind, "resolves": resolves,
               "criteria": criteria, "created": created or self.now,
               "options": [[oid, position, label] for position, (oid, label)
                           in enumerate(zip(option_ids, options))]}
        question_id, _ = self._chain("questions", row)
        self.rows["questions"].append((question_id, slug, text, kind, opens, resolves, criteria,
                                       row["created"]))
        self.rows["options"].extend((oid, question_id, position, label)
                                    for oid, position, label in row["options"])
        self.tag_question(question_id, tags)
        return question_id, option_ids

    def tag_question(self, question_id, tags):
        self.rows["tags"].extend((tag,) for tag in tags)
        self.rows["question_tags"].extend((question_id, tag) for tag in tags)

    def add_forecast(self, question_id, forecaster_id, made, p_ppm=None, p_text="",
                     verbal=None, scale=None, quote=None, source_id=None, option_ppm=None,
                     recorded=None):
        """Binary: ``p_ppm``; multiple-choice: ``option_ppm`` maps option id to (ppm, text)."""
        options = sorted([option_id, ppm, text]
                         for option_id, (ppm, text) in option_ppm.items()) if option_ppm else []
        row = {"question_id": question_id, "forecaster_id": forecaster_id, "made": made,
               "recorded": recorded or self.now, "p_ppm": p_ppm, "p_text": p_text,
               "verbal": verbal, "scale": scale, "quote": quote, "source_id": source_id,
               "options": options}
        forecast_id, digest = self._chain("forecasts", row)
        self.rows["forecasts"].append((forecast_id, question_id, forecaster_id, made,
                                       row["recorded"], p_ppm, p_text, verbal, scale, quote,
                                       source_id, digest))
        if options:
            self.rows["forecast_options"].extend((forecast_id, option_id, ppm, text)
                                                 for option_id, ppm, text in options)
        return forecast_id

    def add_resolution(self, question_id, outcome, resolved, option_id=None, evidence=None,
                       note=None, recorded=None):
        row = {"question_id": question_id, "outcome": outcome, "option_id": option_id,
               "resolved": resolved, "evidence": evidence, "note": note,
               "recorded": recorded or self.now}
        resolution_id, digest = self._chain("resolutions", row)
        self.rows["resolutions"].append((resolution_id, question_id, outcome, option_id,
                                         resolved, evidence, note, row["recorded"], digest))
        return resolution_id

    def add_correction(self, action, reason, forecast_id=None, question_id=None,
                       forecaster_id=None, into_forecaster_id=None, changes=None, author=None,
                       recorded=None):
        """A correction record (``changes`` already canonical JSON text, or None)."""
        row = {"action": action, "forecast_id": forecast_id, "question_id": question_id,
               "forecaster_id": forecaster_id, "into_forecaster_id": into_forecaster_id,
               "changes": changes, "reason": reason, "author": author,
               "recorded": recorded or self.now}
        correction_id, digest = self._chain("corrections", row)
        self.rows["corrections"].append((correction_id, *row.values(), digest))
        return correction_id

    def untag_question(self, question_id, tags):  # tags are not in the chain: amend records it
        self.rows["untags"].extend((question_id, tag) for tag in tags)

    def flush(self):
        """Write every row waiting, table by table: a large batch in the background (see
        ``Store.write_rows``), so that the next records are read while SQLite writes these."""
        batch, self.rows = self.rows, {table: [] for table in WRITES}
        self.store.write_rows(batch)


def write_batch(connection, batch):
    """Write ``batch`` (table -> rows, as a Writer holds them) through ``connection``, table by
    table in WRITES order."""
    most = connection.getlimit(sqlite3.SQLITE_LIMIT_VARIABLE_NUMBER)
    for table, sql in WRITES.items():
        rows = batch.get(table)
        if not rows:
            continue
        if "VALUES (" not in sql:  # an UPDATE or a DELETE
            connection.executemany(sql, rows)
            continue
        # SQLite releases the GIL only inside a statement: fewer, larger statements leave
        # the reading thread alone for longer
        step = max(1, min(ROWS_PER_STATEMENT, most // len(rows[0])))
        for start in range(0, len(rows), step):
            chunk = rows[start:start + step]
            connection.execute(_values(sql, len(chunk)), [v for row in chunk for v in row])


@functools.lru_cache(maxsize=64)
def _values(sql, rows):
    """``sql``, a statement with one row of VALUES, made to have ``rows`` rows.

    >>> _values("INSERT INTO t (a, b) VALUES (?, ?)", 2)
    'INSERT INTO t (a, b) VALUES (?, ?), (?, ?)'
    """
    head, _, rest = sql.partition("VALUES (")
    row, _, tail = rest.partition(")")
    return f"{head}VALUES {', '.join([f'({row})'] * rows)}{tail}"


class Store(ScoreReads, ExportReads, AccountRecords, CorrectionReads):
    """A forecasts database: open it with ``Store.open(path)``."""

    def __init__(self, conn: sqlite3.Connection, path=":memory:"):
        self._conn = conn
        self._background = None  # (thread, [error], switch interval) of the rows a Writer is writing
        self._db = None
        self.path = path
        self.upgraded = None  # (old version, new version, backup path) after an upgrade
        self._transaction_time = None

    @property
    def conn(self) -> sqlite3.Connection:
        """The connection, once the rows a Writer is writing in the background are written
        (an error there is raised here)."""
        return self._conn if self._background is None else self._settled_conn()

    def _settled_conn(self, raise_error=True):
        """The connection once the background write, if any, is done; its error raised (or,
        with ``raise_error`` false, dropped: for undoing the transaction that error, or another,
        is already ending)."""
        if self._background is not None:
            thread, error, interval = self._background
            thread.join()
            self._background = None
            sys.setswitchinterval(interval)
            if error and raise_error:
                raise error[0]
        return self._conn

    def write_rows(self, batch):
        """Write a Writer's ``batch`` (table -> rows) after the rows before it: a large one by a
        thread, and this returns at once; a small one here and now."""
        connection = self.conn  # the batch before is written first
        if sum(map(len, batch.values())) < BACKGROUND_ROWS:
            write_batch(connection, batch)
            return
        error = []

        def write():
            try:
                write_batch(connection, batch)
            except BaseException as exception:  # raised in the caller's thread by ``conn``
                error.append(exception)

        thread = threading.Thread(target=write, name="forecasts-writer", daemon=True)
        # the writer takes the GIL back after each statement: within 0.1 ms, not the usual 5
        self._background = (thread, error, sys.getswitchinterval())
        sys.setswitchinterval(0.0001)
        thread.start()

    @classmethod
    def open(cls, path: str, create: bool = True) -> "Store":
        """Open (and migrate) the database at ``path``. With ``create=False`` a missing file is
        not created: an empty in-memory database stands in, so that read-only commands on a new
        folder print nothing instead of writing a file."""
        check_database_path(path)
        if not create and path != ":memory:" and not os.path.exists(path):
            path = ":memory:"
        try:
            # a Writer's thread writes through it too, never at the same time (``conn``)
            conn = sqlite3.connect(path, timeout=BUSY_TIMEOUT_SECONDS, check_same_thread=False)
        except sqlite3.DatabaseError as error:
            raise StorageError(f"cannot open database {path}: {error}") from None
        try:
            conn.execute(f"PRAGMA busy_timeout = {BUSY_TIMEOUT_SECONDS * 1000}")
            conn.execute("PRAGMA foreign_keys = ON")
            store = cls(conn, path)
            store._refuse_newer_schema()
            store._refuse_other_database()
            if not create and path != ":memory:" and store._is_empty():  # stays empty
                conn.close()
                return cls.open(":memory:")
            if path != ":memory:":
                store._use_wal()
            store._migrate()
            store.open_key = files.note_open(path)
        except sqlite3.DatabaseError as error:
            conn.close()
            raise StorageError(f"cannot open database {path}: {error}") from None
        except BaseException:
            conn.close()
            raise
        return store

    @property
    def db(self):
        """The connection as a sqlite_utils Database, for writes and migrations (sqlite-utils is
        imported on first use)."""
        if self._db is None:
            from .light_imports import sqlite_utils

            self._db = sqlite_utils.Database(self.conn)
        return self._db

    def _use_wal(self):
        # Changing the journal mode needs the database to itself: on a new file opened by several
        # processes at once, wait for the others like any other lock.
        deadline = time.monotonic() + BUSY_TIMEOUT_SECONDS
        while self.conn.execute("PRAGMA journal_mode").fetchone()[0] != "wal":
            try:
                mode = self.conn.execute("PRAGMA journal_mode = wal").fetchone()[0]
            except sqlite3.OperationalError as error:
                if "locked" not in str(error) or time.monotonic() > deadline:
                    raise
                time.sleep(0.05)
                continue
            if mode != "wal":  # no lock to wait for: SQLite cannot keep a log for this file
                raise StorageError(f"cannot use {self.path} as a database: SQLite cannot keep "
                                   f"a write-ahead log for it (journal mode {mode})")

    def _is_empty(self):
        return self.conn.execute("SELECT count(*) FROM sqlite_master").fetchone()[0] == 0

    def _refuse_other_database(self):
        """Refuse an SQLite file that holds another program's tables (no forecasts migrations):
        nothing is added to it, and its journal mode stays as it is."""
        if self._is_empty() or self._applied_migrations():
            return
        held = [name for name, in self.conn.execute(
            "SELECT name FROM sqlite_master WHERE type IN ('table', 'view')"
            " AND name NOT LIKE 'sqlite_%' ORDER BY name LIMIT 4")]
        raise StorageError(f"{self.path} is an SQLite database but not a forecasts database (it"
                           f" holds {', '.join(held) or 'other objects'}): give another file")

    def _migrate(self):
        """Apply pending migrations under the write lock, so that processes opening the same
        database at once migrate it once. An existing database from an older version is first
        copied next to itself (``PATH.backup-v2-20260101T120000Z``)."""
        if (set(self._applied_migrations()) == set(KNOWN_MIGRATIONS)
                and self.conn.execute("PRAGMA user_version").fetchone()[0]
                == len(KNOWN_MIGRATIONS)):
            return
        from . import migrations

        with self.transaction():
            self._refuse_newer_schema()
            if self._is_empty():  # a new database: every migration, recorded, in one go
                migrations.make_schema(self.conn, record=True)
                self._record_schema_version()
                return
            applied = migrations.applied(self.db)
            if migrations.pending(self.db):
                backup = None
                if applied and self.path != ":memory:":
                    backup = self._backup_before_upgrade(len(applied))
                migrations.apply(self.db)
                if applied:
                    self.upgraded = (len(applied), len(KNOWN_MIGRATIONS), backup)
            self._record_schema_version()

    def _backup_before_upgrade(self, version):
        stamp = datetime.datetime.now(datetime.timezone.utc).strftime("%Y%m%dT%H%M%SZ")
        path = f"{self.path}.backup-v{version}-{stamp}"
        n = 1
        while os.path.exists(path):
            n += 1
            path = f"{self.path}.backup-v{version}-{stamp}-{n}"
        # SQLite cannot back up through a connection that holds the write lock, and this one
        # does (nobody can change the file meanwhile): a second connection reads the copy.
        reader = sqlite3.connect(self.path, timeout=BUSY_TIMEOUT_SECONDS)
        try:
            backup_database(reader, path)
        finally:
            reader.close()
        return path

    def _applied_migrations(self):
        """Names of the migrations recorded in the database, in the order they were applied
        (as sqlite-utils' ``Migrations.applied`` gives them)."""
        if not self.conn.execute("SELECT 1 FROM sqlite_master WHERE type = 'table'"
                                 " AND name = '_sqlite_migrations'").fetchone():
            return []
        return [name for name, in self.conn.execute(
            "SELECT name FROM _sqlite_migrations WHERE migration_set = 'forecasts'"
            " ORDER BY rowid")]

    def _refuse_newer_schema(self):
        version = self.conn.execute("PRAGMA user_version").fetchone()[0]
        if version > len(KNOWN_MIGRATIONS):
            raise NewerDatabase(
                f"this database was written by a newer version of forecasts (schema version"
                f" {version}; this version knows {len(KNOWN_MIGRATIONS)}); upgrade forecasts")
        unknown = [name for name in self._applied_migrations() if name not in KNOWN_MIGRATIONS]
        if unknown:
            raise NewerDatabase(
                "this database was written by a newer version of forecasts "
                f"(unknown schema migration {unknown[0]}); upgrade forecasts to use it"
            )

    def _record_schema_version(self):
        # PRAGMA user_version mirrors the migration count, so other tools can see the schema level.
        if self.conn.execute("PRAGMA user_version").fetchone()[0] != len(KNOWN_MIGRATIONS):
            self.conn.execute(f"PRAGMA user_version = {len(KNOWN_MIGRATIONS)}")

    def close(self):
        self.conn.close()
        files.note_closed(getattr(self, "open_key", None))

    @staticmethod
    def remove_if_empty(path: str) -> bool:
        """Delete the database file at ``path`` (and its log files) if no table in it holds a
        row beyond the migrations that made it: for a command that created the file and then
        failed, which leaves nothing behind. Another connection writing to it keeps it.

        >>> import os, tempfile
        >>> path = os.path.join(tempfile.mkdtemp(), "new.db")
        >>> Store.open(path).close()
        >>> Store.remove_if_empty(path), os.path.exists(path)
        (True, False)
        """
        try:
            conn = sqlite3.connect(path, timeout=0)
        except sqlite3.Error:
            return False
        from .audit import data_tables

        try:
            conn.execute("BEGIN EXCLUSIVE")  # fails at once if another connection is writing
            if any(conn.execute(f'SELECT 1 FROM "{name}" LIMIT 1').fetchone()
                   for name in data_tables(conn)):
                return False
        except sqlite3.Error:
            return False
        finally:
            conn.close()
        for suffix in ("", "-wal", "-shm", "-journal"):
            with contextlib.suppress(OSError):  # gone already, or not ours to remove: left
                os.remove(path + suffix)
        return not os.path.exists(path)

    @contextlib.contextmanager
    def _savepoint(self):
        """A nested transaction: undone alone if its block fails."""
        self.conn.execute("SAVEPOINT nested")
        try:
            yield
        except BaseException:
            connection = self._settled_conn(raise_error=False)
            connection.execute("ROLLBACK TO SAVEPOINT nested")
            connection.execute("RELEASE SAVEPOINT nested")
            raise
        self.conn.execute("RELEASE SAVEPOINT nested")

    @contextlib.contextmanager
    def transaction(self):
        """All writes inside happen together or not at all (BEGIN IMMEDIATE takes the write lock
        up front, so concurrent writers wait on the busy timeout instead of failing). Every row
        written in one transaction gets the same recorded time: they arrive together."""
        if self.conn.in_transaction:
            with self._savepoint():
                yield
            return
        self.conn.execute("BEGIN IMMEDIATE")
        self._transaction_time = now_timestamp()
        try:
            yield
            self.conn.execute("COMMIT")
        except BaseException:
            self._settled_conn(raise_error=False).rollback()
            raise
        finally:
            self._transaction_time = None

    def now(self):
        """The recorded time for rows written now (the time the transaction began)."""
        return self._transaction_time or now_timestamp()

    @contextlib.contextmanager
    def writing(self):
        """A Writer in a transaction; what it holds is written when the block ends without an
        error (and with an error, nothing is)."""
        with self.transaction():
            writer = Writer(self)
            yield writer
            writer.flush()

    @contextlib.contextmanager
    def snapshot(self):
        """Reads inside see one consistent state of the database, whatever others write."""
        if self.conn.in_transaction:
            yield
            return
        self.conn.execute("BEGIN")
        try:
            yield
        finally:
            if self.conn.in_transaction:
                self.conn.execute("ROLLBACK")

    def _one(self, sql, params=()):
        cursor = self.conn.execute(sql, params)
        row = cursor.fetchone()
        if row is None:
            return None
        return dict(zip([c[0] for c in cursor.description], row))

    def _all(self, sql, params=()):
        cursor = self.conn.execute(sql, params)
        columns = [c[0] for c in cursor.description]
        return [dict(zip(columns, row)) for row in cursor.fetchall()]

    # Forecasters -------------------------------------------------------------------------------

    def find_forecaster(self, name):
        """The forecaster row for ``name`` (case-insensitive, NFKC), or None. After corrections,
        a name the forecaster had before a rename, or the name of a forecaster merged into it,
        finds it too, and the row carries its current ``name``."""
        name = names.lookup_form(name)
        row = self._one("SELECT * FROM forecasters WHERE name = ?", [name])
        return self._forecaster_by_alias(name) if self.has_corrections() else row

    def forecaster_id(self, name, kind=None, role=None, created=None, new_forecaster=False):
        """The id of forecaster ``name``, created when new (with ``kind``, ``role`` and the
        ``created`` time, default now). A new name that looks like an existing forecaster's is
        refused unless ``new_forecaster`` confirms it (see ``forecasts.names``)."""
        name = names.clean_name(name)
        with self.writing() as write:  # look up and create under the write lock: no race
            row = self.find_forecaster(name)
            if row:
                if role and not row["role"]:
                    write.set_role(row["id"], role)
                return row["id"]
            lookalike = None if new_forecaster else names.find_lookalike(
                name, (other for other, in self.conn.execute("SELECT name FROM forecasters")))
            if lookalike:
                raise names.lookalike_error(name, lookalike)
            return write.add_forecaster(name, kind or "person", role, created)

    def forecasters(self):
        """Every forecaster that stands on its own (not merged into another), by current name."""
        rows = self._all("SELECT * FROM forecasters ORDER BY name")
        return self._standing_forecasters(rows) if self.has_corrections() else rows

    # Sources -----------------------------------------------------------------------------------

    def source_id(self, url=None, outlet=None, title=None, published=None, author=None):
        """The id of the source with this URL (or title when there is no URL), created when new."""
        with self.writing() as write:
            row = self.find_source(url, title)
            if row:
                return row["id"]
            return write.add_source(url, outlet, title, published, author)

    def find_source(self, url=None, title=None):
        """The source with this URL, or with this title and no URL; None when unknown."""
        if url:
            return self._one("SELECT * FROM sources WHERE url = ?", [url])
        return self._one("SELECT * FROM sources WHERE url IS NULL AND title = ?", [title])

    # Questions ---------------------------------------------------------------------------------

    def _unique_slug(self, base):
        slug, n = base, 1
        while self._one("SELECT 1 FROM questions WHERE slug = ?", [slug]):
            n += 1
            slug = f"{base}-{n}"
        return slug

    def create_question(self, text, kind="binary", options=(), opens=None, resolves=None,
                        criteria=None, tags=(), slug=None, created=None):
        """Create a question (with its options and tags) and return its id."""
        with self.writing() as write:
            if slug is None:
                slug = self._unique_slug(slugify(text))
            elif self._one("SELECT 1 FROM questions WHERE slug = ?", [slug]):
                raise StorageError(f"a question with id '{slug}' already exists")
            question_id, _ = write.add_question(slug, text, kind, options, opens, resolves,
                                                criteria, tags, created)
        return question_id

    def tag_question(self, question_id, tags):
        with self.writing() as write:
            write.tag_question(question_id, tags)

    def set_question_opens(self, question_id, opens):
        """Move the question's open date back to ``opens`` (never forward)."""
        self.conn.execute("UPDATE questions SET opens = ? WHERE id = ? AND (opens IS NULL"
                          " OR opens > ?)", [opens, question_id, opens])

    def _decorate(self, question):
        qid = question["id"]
        question["options"] = [
            r["label"] for r in self._all(
                "SELECT label FROM options WHERE question_id = ? ORDER BY position", [qid])
        ]
        question["tags"] = [
            r["name"] for r in self._all(
                "SELECT t.name FROM tags t JOIN question_tags qt ON qt.tag_id = t.id"
                " WHERE qt.question_id = ? ORDER BY t.name", [qid])
        ]
        return question

    def find_question(self, ref):
        """The question with number or slug ``ref``, with its options and tags."""
        column, value = question_ref(ref)
        row = self._one(f"SELECT * FROM {self._questions_view()} WHERE {column} = ?", [value])
        if row is None:
            raise no_question(ref)
        return self._decorate(row)

    def question_index(self):
        """Every question's id, slug, text (and ``first_text``, as first recorded, before any
        amendment), kind and open date, with its option labels in order (``options``) and their
        ids (``option_ids``), in two queries: for looking many up."""
        questions = self._all("SELECT q.id, q.slug, q.text, o.text AS first_text, q.kind, q.opens"
                              f" FROM {self._questions_view()} q JOIN questions o ON o.id = q.id"
                              " ORDER BY q.id")
        by_id = {}
        for question in questions:
            question["options"], question["option_ids"] = [], {}
            by_id[question["id"]] = question
        for question_id, option_id, label in self.conn.execute(
                "SELECT question_id, id, label FROM options ORDER BY question_id, position"):
            if question_id in by_id:
                by_id[question_id]["options"].append(label)
                by_id[question_id]["option_ids"][label] = option_id
        return questions

    def find_question_by_text(self, text):
        """The question whose text matches ``text`` (case and spacing ignored), or None."""
        wanted = " ".join(text.split()).lower()
        view = self._questions_view()
        for row in self._all(f"SELECT * FROM {view} WHERE lower(text) = ?", [wanted]):
            return self._decorate(row)
        if view != "questions":  # its text before an amendment
            for row in self._all("SELECT id FROM questions WHERE lower(text) = ?", [wanted]):
                return self.find_question(row["id"])
        return None

    def option_id(self, question_id, label):
        row = self._one(
            "SELECT id FROM options WHERE question_id = ? AND label = ?", [question_id, label])
        return row["id"] if row else None

    def questions(self, status=None, forecaster=None, tag=None, today=None):
        """Questions with their current resolution and forecast counts.

        ``status``: None (all), 'open' (unresolved), 'due' (unresolved and past the resolution
        date, relative to ``today``) or 'resolved'.
        """
        where, params = [], []
        if status in ("open", "due"):
            where.append("cr.outcome IS NULL")
        if status == "due":
            where.append("q.resolves IS NOT NULL AND q.resolves < ?")
            params.append(today)
        if status == "resolved":
            where.append("cr.outcome IS NOT NULL")
        corrected = self.has_corrections()
        forecasts = ("(SELECT * FROM current_forecasts WHERE NOT retracted)" if corrected
                     else "forecasts")
        owner = "current_forecaster_id" if corrected else "forecaster_id"
        if forecaster:
            found = self.find_forecaster(forecaster)
            where.append(f"q.id IN (SELECT f.question_id FROM {forecasts} f WHERE f.{owner} = ?)")
            params.append(found["id"] if found else None)
        if tag:
            where.append(
                "q.id IN (SELECT qt.question_id FROM question_tags qt JOIN tags t"
                " ON t.id = qt.tag_id WHERE t.name = ?)")
            params.append(tag)
        sql = f"""
            SELECT q.*, cr.outcome, cr.resolved,
              (SELECT count(*) FROM {forecasts} f WHERE f.question_id = q.id) AS forecasts,
              (SELECT count(DISTINCT f.{owner}) FROM {forecasts} f
                WHERE f.question_id = q.id) AS forecasters
            FROM {"current_questions" if corrected else "questions"} q
            LEFT JOIN current_resolutions cr ON cr.question_id = q.id
            {"WHERE " + " AND ".join(where) if where else ""}
            ORDER BY q.id
        """
        return [self._decorate(row) for row in self._all(sql, params)]

    # Forecasts ---------------------------------------------------------------------------------

    def add_forecast(self, question_id, forecaster_id, made, p_ppm=None, p_text="",
                     verbal=None, scale=None, quote=None, source_id=None, option_ppm=None,
                     recorded=None):
        """Append a forecast. Binary: ``p_ppm``; multiple-choice: ``option_ppm`` maps option id
        to (ppm, text). Its hash, chained to the previous record's, is stored with it."""
        with self.writing() as write:
            return write.add_forecast(question_id, forecaster_id, made, p_ppm, p_text, verbal,
                                      scale, quote, source_id, option_ppm, recorded)

    def recorded_forecasts(self, question_id, up_to_id=None):
        """How many forecasts on the question (with id at most ``up_to_id``) there are of each
        ``forecast_key``: a Counter."""
        params = [question_id, up_to_id if up_to_id is not None else 2 ** 62]
        options = {}
        for forecast_id, option_id, ppm in self.conn.execute(
                "SELECT fo.forecast_id, fo.option_id, fo.p_ppm FROM forecast_options fo"
                " JOIN forecasts f ON f.id = fo.forecast_id WHERE f.question_id = ? AND f.id <= ?"
                " ORDER BY fo.forecast_id, fo.option_id", params):
            options.setdefault(forecast_id, []).append((option_id, ppm))
        return collections.Counter(
            (forecaster_id, made, p_ppm, tuple(options.get(forecast_id, ())), quote)
            for forecast_id, forecaster_id, made, p_ppm, quote in self.conn.execute(
                "SELECT id, forecaster_id, made, p_ppm, quote FROM forecasts"
                " WHERE question_id = ? AND id <= ?", params))

    def count_forecasts(self, question_id, forecaster_id, made, p_ppm, option_ppm, quote,
                        up_to_id=None):
        """How many forecasts with these values are recorded (with id at most ``up_to_id``), so
        that a re-import adds nothing while a file may still repeat a forecast on purpose."""
        return self.recorded_forecasts(question_id, up_to_id)[
            forecast_key(forecaster_id, made, p_ppm, option_ppm, quote)]

    def latest_forecast_dates(self):
        """Question id -> the date its latest forecast was made, for questions with any."""
        rows = self.conn.execute("SELECT question_id, max(made) FROM forecasts GROUP BY question_id")
        return dict(rows.fetchall())

    def forecasts_of(self, question_id):
        """Every forecast on a question, oldest first, with option probabilities by label."""
        rows = self._all(
            "SELECT f.*, fr.name AS forecaster, fr.role, fr.kind AS forecaster_kind,"
            " s.url AS source_url,"
            " s.outlet AS source_outlet, s.title AS source_title"
            " FROM forecasts f JOIN forecasters fr ON fr.id = f.forecaster_id"
            " LEFT JOIN sources s ON s.id = f.source_id"
            " WHERE f.question_id = ? ORDER BY f.made, f.id", [question_id])
        option_rows = self._all(
            "SELECT fo.forecast_id, o.label, fo.p_ppm FROM forecast_options fo"
            " JOIN options o ON o.id = fo.option_id WHERE o.question_id = ?"
            " ORDER BY fo.forecast_id, o.position", [question_id])
        by_forecast = {}
        for r in option_rows:
            by_forecast.setdefault(r["forecast_id"], {})[r["label"]] = r["p_ppm"]
        for row in rows:
            row["option_ppm"] = by_forecast.get(row["id"], {})
            row["retraction"] = None
        return self._with_current_owners(rows) if rows and self.has_corrections() else rows

    # Resolutions -------------------------------------------------------------------------------

    def add_resolution(self, question_id, outcome, resolved, option_id=None, evidence=None,
                       note=None, recorded=None):
        """Append a resolution; the latest one stands, earlier ones stay as history. Its hash,
        chained to the previous record's, is stored with it."""
        with self.writing() as write:
            return write.add_resolution(question_id, outcome, resolved, option_id, evidence,
                                        note, recorded)

    def recorded_resolutions(self, question_id, up_to_id=None):
        """How many resolutions of the question (with id at most ``up_to_id``) there are of each
        (outcome, resolved, evidence): a Counter."""
        return collections.Counter(self.conn.execute(
            "SELECT outcome, resolved, evidence FROM resolutions WHERE question_id = ?"
            " AND id <= ?", [question_id, up_to_id if up_to_id is not None else 2 ** 62]))

    def count_resolutions(self, question_id, outcome, resolved, evidence, up_to_id=None):
        """How many resolutions with these values are recorded (with id at most ``up_to_id``)."""
        return self.recorded_resolutions(question_id, up_to_id)[(outcome, resolved, evidence)]

    def last_ids(self):
        """The highest question, forecast and resolution ids: rows an import finds there."""
        return self._one("SELECT (SELECT coalesce(max(id), 0) FROM questions) AS question,"
                         " (SELECT coalesce(max(id), 0) FROM forecasts) AS forecast,"
                         " (SELECT coalesce(max(id), 0) FROM resolutions) AS resolution")

    def resolutions_of(self, question_id):
        return self._all(
            "SELECT * FROM resolutions WHERE question_id = ? ORDER BY id", [question_id])

    def current_resolution(self, question_id):
        return self._one(
            "SELECT * FROM current_resolutions WHERE question_id = ?", [question_id])

    # Hash chain --------------------------------------------------------------------------------

    def _next_id(self, table):
        """The id for a new row: past every id the table or the chain has used, so that a row
        deleted outside forecasts never has its id, and its place in the chain, taken over."""
        return self._one(
            f"SELECT max(coalesce((SELECT max(id) FROM {table}), 0),"
            " coalesce((SELECT max(row_id) FROM hash_chain WHERE row_table = ?), 0)) + 1 AS id",
            [table])["id"]

    def chain_positions(self, table, ids):
        """Record id -> (place in the chain, hash) for records of ``table``."""
        return chain.chain_positions(self.conn, table, ids)

    def verify(self):
        """Check every record against the hash chain (see :func:`forecasts.chain.verify`), the
        schema against the migrations' and every value's storage type (see ``audit``)."""
        from . import audit

        report = chain.verify(self.conn)
        report["problems"] += audit.schema_problems(self.conn) + audit.type_problems(self.conn)
        return report

    def backup(self, path):
        """Write a consistent copy of the database to the new file ``path`` (online backup)."""
        if os.path.lexists(path):
            raise StorageError(f"{path} already exists: give the backup a new file name")
        files.check_not_database(path, self.path)
        parent = os.path.dirname(os.path.abspath(path))
        if not os.path.isdir(parent):
            raise StorageError(f"cannot write {path}: folder {parent} does not exist")
        try:
            backup_database(self.conn, path)
        except OSError as error:
            raise StorageError(f"cannot write {path}: {error.strerror}") from None

    # Information -------------------------------------------------------------------------------

    def info(self):
        """Where the database is and what it holds: path, schema version, records per table,
        the hash chain's length and head, and the size on disk in bytes (0 when not on disk).

        >>> Store.open(":memory:").info()["schema_version"] == len(KNOWN_MIGRATIONS)
        True
        """
        counts = dict(zip(CHAINED_TABLES, self.conn.execute(
            "SELECT " + ", ".join(f"(SELECT count(*) FROM {t})" for t in CHAINED_TABLES)
        ).fetchone()))
        on_disk = self.path != ":memory:" and os.path.exists(self.path)
        size = 0
        if on_disk:
            size = sum(os.path.getsize(self.path + end) for end in ("", "-wal")
                       if os.path.exists(self.path + end))
        return {"path": os.path.abspath(self.path) if on_disk else None,
                "schema_version": self.conn.execute("PRAGMA user_version").fetchone()[0],
                "counts": counts,
                "chain_entries": self.conn.execute("SELECT count(*) FROM hash_chain"
                                                   ).fetchone()[0],
                "chain_head": chain.chain_head(self.conn) if counts else None, "size_bytes": size}
