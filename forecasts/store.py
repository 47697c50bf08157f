"""The only module with SQL: questions, options, tags, forecasters, sources, forecasts, resolutions.

Example::

    >>> store = Store.open(":memory:")
    >>> alice = store.forecaster_id("Alice")
    >>> qid = store.create_question("It rains tomorrow", resolves="2030-01-02", opens="2030-01-01")
    >>> fid = store.add_forecast(qid, alice, made="2030-01-01", p_ppm=700000, p_text="70%")
    >>> store.find_question("it-rains-tomorrow")["id"] == qid
    True

Size: all of the package's SQL lives here by design (clients and the library above it hold
none), so every table's reads and writes are in one place.
"""

import collections
import contextlib
import datetime
import functools
import itertools
import os
import re
import sqlite3
import time

from . import chain
from .chain import CHAINED_TABLES
from .errors import NewerDatabase, NotFound, StorageError
from .migrations import KNOWN_MIGRATIONS

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
    if os.path.isdir(path):
        raise StorageError(f"database path {path} is a directory, not a file")
    parent = os.path.dirname(os.path.abspath(path))
    if not os.path.isdir(parent):
        raise StorageError(f"cannot create database {path}: folder {parent} does not exist")
    if os.path.exists(path) and os.path.getsize(path) > 0:
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
    "question_tags": "INSERT OR IGNORE INTO question_tags (question_id, tag_id)"
                     " SELECT ?, id FROM tags WHERE name = ?",
    "forecasts": "INSERT INTO forecasts (id, question_id, forecaster_id, made, recorded, p_ppm,"
                 " p_text, verbal, scale, quote, source_id, hash)"
                 " VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
    "forecast_options": "INSERT INTO forecast_options (forecast_id, option_id, p_ppm, p_text)"
                        " VALUES (?, ?, ?, ?)",
    "resolutions": "INSERT INTO resolutions (id, question_id, outcome, option_id, resolved,"
                   " evidence, note, recorded, hash) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)",
    "hash_chain": "INSERT INTO hash_chain (row_table, row_id, hash) VALUES (?, ?, ?)",
    "roles": "UPDATE forecasters SET role = ? WHERE id = ?",
}
FLUSH_EVERY = 5000  # records a Writer holds before writing them
# Rows a statement writes: INSERT ... VALUES (...), (...), ... runs several times faster than a
# statement a row (SQLite evaluates hash_chain's CHECK (row_table IN (...)) once a statement),
# and 80 rows of at most 12 values stay within the 999 variables older SQLite versions allow.
ROWS_PER_STATEMENT = 80


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
        chain.check_storable(table, row_id, content)
        self.head = chain.record_hash(self.head, table, row_id, content)
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

    def flush(self):
        """Write every row waiting, table by table."""
        connection = self.store.db.conn
        for table, sql in WRITES.items():
            rows, self.rows[table] = self.rows[table], []
            if " VALUES " not in sql:  # an UPDATE, or an INSERT ... SELECT
                connection.executemany(sql, rows)
                continue
            for start in range(0, len(rows), ROWS_PER_STATEMENT):
                chunk = rows[start:start + ROWS_PER_STATEMENT]
                connection.execute(_values(sql, len(chunk)), [v for row in chunk for v in row])


@functools.lru_cache(maxsize=64)
def _values(sql, rows):
    """``sql``, an INSERT of one row of VALUES, made to insert ``rows`` rows."""
    head, _, row = sql.partition(" VALUES ")
    return f"{head} VALUES {', '.join([row] * rows)}"


def _positions(ids):
    """A table from id to position in ``ids`` (distinct non-negative integers): look many ids
    up with one index operation."""
    import numpy as np

    table = np.full(int(ids.max(initial=-1)) + 1, -1, dtype=np.int64)
    table[ids] = np.arange(ids.size)
    return table


# What an export reads of each table: the columns its records need, and the lists filled in
# after the query (NULL in it): a question's option labels and tags, a forecast's option
# probabilities. A forecast or resolution whose question or forecaster is missing is left out.
EXPORT_READS = {
    "sources": ("t.id, t.url, t.outlet, t.title, t.published, t.author", ""),
    "forecasters": ("t.id, t.name, t.kind, t.role, t.created", ""),
    "questions": ("t.id, t.slug, t.text, t.kind, t.opens, t.resolves, t.criteria, t.created,"
                  " NULL AS options, NULL AS tags", ""),
    "forecasts": ("t.id, t.question_id, t.forecaster_id, t.made, t.recorded, t.p_ppm, t.p_text,"
                  " t.verbal, t.scale, t.quote, t.source_id,"
                  " EXISTS (SELECT 1 FROM forecast_options fo WHERE fo.forecast_id = t.id)"
                  " AS multiple_choice, NULL AS options",
                  " JOIN questions q ON q.id = t.question_id"
                  " JOIN forecasters fr ON fr.id = t.forecaster_id"),
    "resolutions": ("t.id, t.question_id, t.outcome, t.resolved, t.evidence, t.note, t.recorded",
                    " JOIN questions q ON q.id = t.question_id"),
}
EXPORT_CHUNK = 500  # rows an export reads at a time (and looks their options and tags up for)


@functools.lru_cache(maxsize=32)
def _row_type(name, columns):
    """A named tuple type for rows of ``columns``: a million of them cost a fifth of dicts."""
    return collections.namedtuple(name, columns)


class Store:
    """A forecasts database: open it with ``Store.open(path)``."""

    def __init__(self, conn: sqlite3.Connection, path=":memory:"):
        self.conn = conn
        self._db = None
        self.path = path
        self.upgraded = None  # (old version, new version, backup path) after an upgrade
        self._transaction_time = None

    @classmethod
    def open(cls, path, create=True):
        """Open (and migrate) the database at ``path``.

        With ``create=False`` a missing file is not created: an empty in-memory database stands
        in, so that read-only commands on a new folder print nothing instead of writing a file.
        """
        check_database_path(path)
        if not create and path != ":memory:" and not os.path.exists(path):
            path = ":memory:"
        try:
            conn = sqlite3.connect(path, timeout=BUSY_TIMEOUT_SECONDS)
        except sqlite3.DatabaseError as error:
            raise StorageError(f"cannot open database {path}: {error}") from None
        try:
            conn.execute(f"PRAGMA busy_timeout = {BUSY_TIMEOUT_SECONDS * 1000}")
            conn.execute("PRAGMA foreign_keys = ON")
            store = cls(conn, path)
            store._refuse_newer_schema()
            if path != ":memory:":
                store._use_wal()
            store._migrate()
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
                self.db.enable_wal()
            except sqlite3.OperationalError as error:
                if "locked" not in str(error) or time.monotonic() > deadline:
                    raise
                time.sleep(0.05)

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
        if self.db.execute("PRAGMA user_version").fetchone()[0] != len(KNOWN_MIGRATIONS):
            self.db.execute(f"PRAGMA user_version = {len(KNOWN_MIGRATIONS)}")

    def close(self):
        self.conn.close()

    @contextlib.contextmanager
    def transaction(self):
        """All writes inside happen together or not at all (BEGIN IMMEDIATE takes the write lock
        up front, so concurrent writers wait on the busy timeout instead of failing). Every row
        written in one transaction gets the same recorded time: they arrive together."""
        if self.db.conn.in_transaction:
            with self.db.atomic():
                yield
            return
        self.db.execute("BEGIN IMMEDIATE")
        self._transaction_time = now_timestamp()
        try:
            yield
            self.db.execute("COMMIT")
        except BaseException:
            self.db.rollback()
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
        """The forecaster row for ``name`` (case-insensitive), or None."""
        return self._one("SELECT * FROM forecasters WHERE name = ?", [name.strip()])

    def forecaster_id(self, name, kind=None, role=None, created=None):
        """The id of forecaster ``name``, created when new (with ``kind``, ``role`` and the
        ``created`` time, default now)."""
        name = " ".join(name.split())
        if not name:
            raise StorageError("a forecaster needs a name")
        with self.writing() as write:  # look up and create under the write lock: no race
            row = self.find_forecaster(name)
            if row:
                if role and not row["role"]:
                    write.set_role(row["id"], role)
                return row["id"]
            return write.add_forecaster(name, kind or "person", role, created)

    def forecasters(self):
        return self._all("SELECT * FROM forecasters ORDER BY name")

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
        self.db.execute("UPDATE questions SET opens = ? WHERE id = ? AND (opens IS NULL"
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
        row = self._one(f"SELECT * FROM questions WHERE {column} = ?", [value])
        if row is None:
            raise no_question(ref)
        return self._decorate(row)

    def question_index(self):
        """Every question's id, slug, text, kind and open date, with its option labels in order
        (``options``) and their ids (``option_ids``), in two queries: for looking many up."""
        questions = self._all("SELECT id, slug, text, kind, opens FROM questions ORDER BY id")
        by_id = {}
        for question in questions:
            question["options"], question["option_ids"] = [], {}
            by_id[question["id"]] = question
        for question_id, option_id, label in self.db.execute(
                "SELECT question_id, id, label FROM options ORDER BY question_id, position"):
            if question_id in by_id:
                by_id[question_id]["options"].append(label)
                by_id[question_id]["option_ids"][label] = option_id
        return questions

    def find_question_by_text(self, text):
        """The question whose text matches ``text`` (case and spacing ignored), or None."""
        wanted = " ".join(text.split()).lower()
        for row in self._all("SELECT * FROM questions WHERE lower(text) = ?", [wanted]):
            return self._decorate(row)
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
        if forecaster:
            where.append(
                "q.id IN (SELECT f.question_id FROM forecasts f JOIN forecasters fr"
                " ON fr.id = f.forecaster_id WHERE fr.name = ?)")
            params.append(forecaster)
        if tag:
            where.append(
                "q.id IN (SELECT qt.question_id FROM question_tags qt JOIN tags t"
                " ON t.id = qt.tag_id WHERE t.name = ?)")
            params.append(tag)
        sql = f"""
            SELECT q.*, cr.outcome, cr.resolved,
              (SELECT count(*) FROM forecasts f WHERE f.question_id = q.id) AS forecasts,
              (SELECT count(DISTINCT f.forecaster_id) FROM forecasts f
                WHERE f.question_id = q.id) AS forecasters
            FROM questions q LEFT JOIN current_resolutions cr ON cr.question_id = q.id
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
        for forecast_id, option_id, ppm in self.db.execute(
                "SELECT fo.forecast_id, fo.option_id, fo.p_ppm FROM forecast_options fo"
                " JOIN forecasts f ON f.id = fo.forecast_id WHERE f.question_id = ? AND f.id <= ?"
                " ORDER BY fo.forecast_id, fo.option_id", params):
            options.setdefault(forecast_id, []).append((option_id, ppm))
        return collections.Counter(
            (forecaster_id, made, p_ppm, tuple(options.get(forecast_id, ())), quote)
            for forecast_id, forecaster_id, made, p_ppm, quote in self.db.execute(
                "SELECT id, forecaster_id, made, p_ppm, quote FROM forecasts"
                " WHERE question_id = ? AND id <= ?", params))

    def count_forecasts(self, question_id, forecaster_id, made, p_ppm, option_ppm, quote,
                        up_to_id=None):
        """How many forecasts with these values are recorded (with id at most ``up_to_id``), so
        that a re-import adds nothing while a file may still repeat a forecast on purpose."""
        return self.recorded_forecasts(question_id, up_to_id)[
            forecast_key(forecaster_id, made, p_ppm, option_ppm, quote)]

    def has_forecast(self, question_id, forecaster_id, made, p_ppm, option_ppm, quote):
        """Whether this exact forecast is already recorded."""
        return self.count_forecasts(question_id, forecaster_id, made, p_ppm, option_ppm,
                                    quote) > 0

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
        return rows

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
        return collections.Counter(self.db.execute(
            "SELECT outcome, resolved, evidence FROM resolutions WHERE question_id = ?"
            " AND id <= ?", [question_id, up_to_id if up_to_id is not None else 2 ** 62]))

    def count_resolutions(self, question_id, outcome, resolved, evidence, up_to_id=None):
        """How many resolutions with these values are recorded (with id at most ``up_to_id``)."""
        return self.recorded_resolutions(question_id, up_to_id)[(outcome, resolved, evidence)]

    def has_resolution(self, question_id, outcome, resolved, evidence):
        return self.count_resolutions(question_id, outcome, resolved, evidence) > 0

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
        """Check every record against the hash chain (see :func:`forecasts.chain.verify`)."""
        return chain.verify(self.conn)

    def backup(self, path):
        """Write a consistent copy of the database to the new file ``path`` (online backup)."""
        if os.path.exists(path):
            raise StorageError(f"{path} already exists: give the backup a new file name")
        parent = os.path.dirname(os.path.abspath(path))
        if not os.path.isdir(parent):
            raise StorageError(f"cannot write {path}: folder {parent} does not exist")
        try:
            backup_database(self.db.conn, path)
        except OSError as error:
            raise StorageError(f"cannot write {path}: {error.strerror}") from None

    # Scoring input -----------------------------------------------------------------------------

    @contextlib.contextmanager
    def _resolved_questions(self, tag=None, since=None, until=None):
        """A temporary table of the resolved questions (with a tag, resolved between two dates):
        each one's current outcome, its cutoff (the earlier of its resolution date and the date
        the outcome became known) and when its first resolution was recorded."""
        where, params = [], []
        if tag:
            where.append("r.question_id IN (SELECT qt.question_id FROM question_tags qt"
                         " JOIN tags t ON t.id = qt.tag_id WHERE t.name = ?)")
            params.append(tag)
        if since:
            where.append("r.resolved >= ?")
            params.append(since)
        if until:
            where.append("r.resolved <= ?")
            params.append(until)
        self.conn.execute("DROP TABLE IF EXISTS temp.resolved_questions")
        self.conn.execute("""
            CREATE TEMP TABLE resolved_questions (question_id INTEGER PRIMARY KEY, kind TEXT,
              opens TEXT, outcome TEXT, option_id INTEGER, cutoff TEXT, first_recorded TEXT,
              void INTEGER)""")
        try:
            self.conn.execute(f"""
                INSERT INTO temp.resolved_questions
                SELECT r.question_id, q.kind, q.opens, r.outcome, r.option_id,
                       min(coalesce(q.resolves, r.resolved), r.resolved), m.first_recorded,
                       r.outcome IN ('ambiguous', 'annulled')
                FROM (SELECT question_id, max(id) AS id, min(recorded) AS first_recorded
                      FROM resolutions GROUP BY question_id) m
                JOIN resolutions r ON r.id = m.id
                JOIN questions q ON q.id = r.question_id
                {"WHERE " + " AND ".join(where) if where else ""}""", params)
            yield
        finally:
            self.conn.execute("DROP TABLE IF EXISTS temp.resolved_questions")

    def _integers(self, expressions, sql, params=()):
        """Integer ``expressions`` (never null) over the rows of ``sql`` (a FROM clause) as numpy
        arrays, in the order the rows come. Each column travels as one group_concat text: a
        Python object per value would cost several times what SQLite takes to produce it."""
        import numpy as np

        row = self.conn.execute(
            f"SELECT {', '.join(f'group_concat({e})' for e in expressions)} {sql}", params
        ).fetchone()
        return [np.fromstring(text, dtype=np.int64, sep=",") if text else
                np.empty(0, dtype=np.int64) for text in row]

    def scored_columns(self, forecaster=None, tag=None, since=None, until=None,
                       latest_only=True, dates=False, text=False):
        """The forecasts that score, as numpy arrays, read in one pass over the forecasts.

        One entry per forecaster's latest forecast on each resolved question made before its
        cutoff (every such forecast, oldest first, with ``latest_only=False``), ordered by
        forecaster name and then question, as ``scored_forecasts`` lists them. A forecast made on
        or after the cutoff, or recorded after the question's first resolution (unless its
        forecaster is a baseline, a rule that cannot use the outcome), is late and not scored.

        Returns a dict of arrays: ``forecast_id``, ``question_id``, ``forecaster_id``,
        ``forecaster`` (names), ``multiple_choice``, ``p_ppm`` (-1 for multiple choice),
        ``outcome_yes``; for multiple choice ``option_start``, ``option_count`` (0 for binary)
        into the flat ``option_ppm`` (probabilities in option order) and ``outcome_index``;
        with ``dates`` the day numbers ``made_day`` and ``cutoff_day``; and ``unscored``: per
        forecaster, their ``late`` forecasts and ``void_questions`` (ambiguous or annulled) under
        the same filters. With ``text`` it adds the text of ``made``, ``opens``, ``cutoff``,
        ``outcome``, ``kind`` and the outcome's ``option_id``, for ``scored_forecasts``.
        """
        import numpy as np

        with self.snapshot(), self._resolved_questions(tag, since, until):
            question, multiple_choice, outcome_yes, void, cutoff_day = self._integers(
                ["question_id", "kind = 'multiple_choice'", "outcome = 'yes'", "void",
                 "coalesce(CAST(julianday(cutoff) AS INTEGER), 0)" if dates else "0"],
                "FROM temp.resolved_questions")
            people = self.conn.execute(
                "SELECT id, name, kind = 'baseline' FROM forecasters ORDER BY id").fetchall()
            last_forecast = self.conn.execute("SELECT max(id) FROM forecasts").fetchone()[0]
            where, params = "", []
            if forecaster:
                where = "WHERE f.forecaster_id IN (SELECT id FROM forecasters WHERE name = ?)"
                params = [forecaster]
            # In table order, looking each question up by its key: much faster than the index
            # order that the join would otherwise take. The order comes next, from the index.
            scan = "FROM forecasts f CROSS JOIN temp.resolved_questions c" \
                   f" ON c.question_id = f.question_id {where}"
            late = "(f.made >= c.cutoff) | ((f.recorded > c.first_recorded) << 1)"
            # Fewer, larger numbers travel faster: the id with the two late flags, and the
            # question with the forecaster, each in one integer when they fit in 63 bits.
            who_bits = max(people[-1][0] if people else 0, 1).bit_length()
            packed = (int(question.max(initial=0)).bit_length() + who_bits <= 62
                      and (last_forecast or 0).bit_length() <= 60)
            if packed:
                id_late, question_who, p_ppm, made_day = self._integers(
                    [f"(f.id << 2) | {late}", f"(f.question_id << {who_bits}) | f.forecaster_id",
                     "coalesce(f.p_ppm, -1)",
                     "coalesce(CAST(julianday(f.made) AS INTEGER), 0)" if dates else "0"],
                    scan, params)
                ids, late_flags = id_late >> 2, id_late & 3
                question_ids = question_who >> who_bits
                forecaster_ids = question_who & ((1 << who_bits) - 1)
            else:
                ids, question_ids, forecaster_ids, p_ppm, late_flags, made_day = self._integers(
                    ["f.id", "f.question_id", "f.forecaster_id", "coalesce(f.p_ppm, -1)", late,
                     "coalesce(CAST(julianday(f.made) AS INTEGER), 0)" if dates else "0"],
                    scan, params)
            # every forecast in index order; those on other questions are dropped below
            ordered = self._integers(["id"], "FROM (SELECT id FROM forecasts"
                                             " ORDER BY question_id, forecaster_id, made, id)")[0]
            if text:
                made_of = dict(self.conn.execute(f"SELECT f.id, f.made {scan}", params))
                questions_text = {r[0]: r[1:] for r in self.conn.execute(
                    "SELECT question_id, kind, opens, outcome, option_id, cutoff"
                    " FROM temp.resolved_questions")}
            options = self._integers(
                ["fo.forecast_id", "o.position", "fo.p_ppm", "fo.option_id IS c.option_id"],
                "FROM temp.resolved_questions c JOIN forecasts f ON f.question_id = c.question_id"
                " JOIN forecast_options fo ON fo.forecast_id = f.id"
                " JOIN options o ON o.id = fo.option_id"
                " WHERE c.kind = 'multiple_choice' AND NOT c.void")

        # Each forecast's question and forecaster, as positions in their arrays.
        q_at = _positions(question)[question_ids]
        person_id = np.array([p[0] for p in people], dtype=np.int64)
        names = np.empty(len(people), dtype=object)
        names[:] = [p[1] for p in people]
        baseline = np.array([bool(p[2]) for p in people], dtype=bool)
        f_at = _positions(person_id)[forecaster_ids]

        is_void = void[q_at].astype(bool)
        late = ~is_void & (((late_flags & 1) != 0) | (((late_flags & 2) != 0) & ~baseline[f_at]))
        # Index order: question, forecaster, made, id.
        at = np.full(int(ordered.max(initial=0)) + 1, -1, dtype=np.int64)
        at[ids] = np.arange(ids.size)
        order = at[ordered]
        order = order[order >= 0]
        q_o, f_o = question_ids[order], forecaster_ids[order]
        if not np.all((q_o[1:] > q_o[:-1]) | ((q_o[1:] == q_o[:-1]) & (f_o[1:] >= f_o[:-1]))):
            raise StorageError("forecasts came back out of index order; nothing was scored")
        keep = order[~is_void[order] & ~late[order]]
        if latest_only and keep.size:
            q_k, f_k = question_ids[keep], forecaster_ids[keep]
            last = np.ones(keep.size, dtype=bool)
            last[:-1] = (q_k[1:] != q_k[:-1]) | (f_k[1:] != f_k[:-1])
            keep = keep[last]
        # By forecaster name (as Python orders text), keeping the index order within each (a
        # stable sort of 16-bit keys is a radix sort).
        rank = np.empty(len(people), dtype=np.uint16 if len(people) <= 1 << 16 else np.int64)
        rank[sorted(range(len(people)), key=lambda i: people[i][1])] = np.arange(len(people))
        keep = keep[np.argsort(rank[f_at[keep]], kind="stable")]

        scored_q = q_at[keep]
        columns = {
            "forecast_id": ids[keep], "question_id": question_ids[keep],
            "forecaster_id": forecaster_ids[keep], "forecaster": names[f_at[keep]],
            "multiple_choice": multiple_choice[scored_q].astype(bool), "p_ppm": p_ppm[keep],
            "outcome_yes": outcome_yes[scored_q].astype(bool),
        }
        columns.update(self._option_columns(columns["forecast_id"], columns["multiple_choice"],
                                            options))
        if dates:
            columns["made_day"] = made_day[keep]
            columns["cutoff_day"] = cutoff_day[scored_q]
        if text:
            columns["made"] = [made_of[i] for i in columns["forecast_id"].tolist()]
            for key, values in zip(("kind", "opens", "outcome", "option_id", "cutoff"), zip(*(
                    questions_text[q] for q in columns["question_id"].tolist())) if keep.size
                    else [()] * 5):
                columns[key] = list(values)

        # What is left out, per forecaster: late forecasts, and the void questions forecast.
        void_pairs = np.unique(np.stack([q_at[is_void], f_at[is_void]]), axis=1)
        counts = [np.bincount(f_at[late], minlength=len(people)),
                  np.bincount(void_pairs[1], minlength=len(people))]
        seen = np.bincount(f_at, minlength=len(people)) > 0
        columns["unscored"] = [
            {"forecaster": people[i][1], "late": int(counts[0][i]),
             "void_questions": int(counts[1][i])}
            for i in sorted(np.flatnonzero(seen).tolist(), key=lambda i: people[i][1].lower())]
        return columns

    @staticmethod
    def _option_columns(forecast_ids, multiple_choice, options):
        """Option probabilities of the multiple-choice forecasts among ``forecast_ids``, in
        option order, from (forecast id, position, ppm, is the outcome) columns."""
        import numpy as np

        option_forecast, position, ppm, is_outcome = options
        by = np.lexsort((position, option_forecast))
        option_forecast, ppm, is_outcome = option_forecast[by], ppm[by], is_outcome[by]
        known, starts, sizes = np.unique(option_forecast, return_index=True, return_counts=True)
        mine = forecast_ids[multiple_choice]
        found = np.searchsorted(known, mine)
        there = found < known.size
        there[there] = known[found[there]] == mine[there]
        if not there.all():
            raise StorageError(f"multiple-choice forecast #{mine[~there][0]} has no option"
                             " probabilities")
        count = np.zeros(forecast_ids.size, dtype=np.int64)
        count[multiple_choice] = sizes[found]
        start = np.zeros(forecast_ids.size, dtype=np.int64)
        start[multiple_choice] = np.cumsum(sizes[found]) - sizes[found]
        # the flat layout: each chosen forecast's options, one forecast after another
        take = np.repeat(starts[found] - start[multiple_choice], sizes[found]) + \
            np.arange(int(sizes[found].sum()))
        outcome_index = np.full(forecast_ids.size, -1, dtype=np.int64)
        hits = np.flatnonzero(is_outcome[take])
        owner = np.searchsorted(start[multiple_choice], hits, side="right") - 1
        chosen_rows = np.flatnonzero(multiple_choice)
        outcome_index[chosen_rows[owner]] = hits - start[multiple_choice][owner]
        if np.any(outcome_index[multiple_choice] < 0):
            missing = forecast_ids[multiple_choice & (outcome_index < 0)][0]
            raise StorageError(f"multiple-choice forecast #{missing} has no probability for the "
                             "option that happened")
        return {"option_start": start, "option_count": count, "option_ppm": ppm[take],
                "outcome_index": outcome_index}

    def scored_forecasts(self, forecaster=None, tag=None, since=None, until=None,
                         latest_only=True):
        """Each forecaster's latest forecast on each resolved question, made before the cutoff,
        as one dict per forecast (``scored_columns`` has the rule and the same data as arrays).

        The cutoff is the earlier of the question's resolution date and the date the outcome
        became known. Binary rows carry ``p_ppm`` and ``outcome``; multiple-choice rows carry
        ``option_ppm`` (probabilities in option order) and ``outcome_index``. Every row has
        ``opens``, ``made`` and ``cutoff``. With ``latest_only=False`` every forecast made before
        the cutoff is returned (oldest first), for time-averaged scoring.
        """
        c = self.scored_columns(forecaster, tag, since, until, latest_only=latest_only,
                                text=True)
        rows = []
        option_ppm = c["option_ppm"].tolist()
        for i, (start, count, index) in enumerate(zip(
                c["option_start"].tolist(), c["option_count"].tolist(),
                c["outcome_index"].tolist())):
            row = {"id": int(c["forecast_id"][i]), "question_id": int(c["question_id"][i]),
                   "forecaster_id": int(c["forecaster_id"][i]), "forecaster": c["forecaster"][i],
                   "made": c["made"][i], "p_ppm": int(c["p_ppm"][i]) if count == 0 else None,
                   "kind": c["kind"][i], "opens": c["opens"][i], "outcome": c["outcome"][i],
                   "option_id": c["option_id"][i], "cutoff": c["cutoff"][i]}
            if row["kind"] == "multiple_choice":
                row["option_ppm"] = option_ppm[start:start + count]
                row["outcome_index"] = index
            rows.append(row)
        return rows

    def tags_by_question(self):
        """Question id -> list of its tags."""
        tags = {}
        for r in self._all("SELECT qt.question_id, t.name FROM question_tags qt"
                           " JOIN tags t ON t.id = qt.tag_id ORDER BY t.name"):
            tags.setdefault(r["question_id"], []).append(r["name"])
        return tags

    def unscored_counts(self, forecaster=None, tag=None, since=None, until=None):
        """Per forecaster: forecasts too late to score (made on or after the cutoff, or recorded
        after the question was first resolved), and forecasts on void questions."""
        return self.scored_columns(forecaster, tag, since, until)["unscored"]

    # Export ------------------------------------------------------------------------------------

    def all_sources(self):
        return self._all("SELECT * FROM sources ORDER BY id")

    def all_forecasters(self):
        return self._all("SELECT * FROM forecasters ORDER BY id")

    def all_questions(self, tag=None):
        """Every question (or those with ``tag``) in id order, with its options, tags and the date
        of its first forecast, in a few queries rather than a few per question."""
        where, params = "", []
        if tag:
            where = ("WHERE q.id IN (SELECT qt.question_id FROM question_tags qt"
                     " JOIN tags t ON t.id = qt.tag_id WHERE t.name = ?)")
            params.append(tag)
        questions = self._all(
            "SELECT q.*, (SELECT min(f.made) FROM forecasts f WHERE f.question_id = q.id)"
            f" AS first_made FROM questions q {where} ORDER BY q.id", params)
        options = {}
        for r in self._all("SELECT question_id, label FROM options ORDER BY question_id, position"):
            options.setdefault(r["question_id"], []).append(r["label"])
        tags = self.tags_by_question()
        for question in questions:
            question["options"] = options.get(question["id"], [])
            question["tags"] = tags.get(question["id"], [])
        return questions

    def export_counts(self):
        """Table -> its number of rows, in one query: the rows an export writes, and any
        forecast or resolution whose question or forecaster is missing, which it leaves out
        (counting those apart would take a tenth as long as the export)."""
        counts = ", ".join(f"(SELECT count(*) FROM {table})" for table in EXPORT_READS)
        return dict(zip(EXPORT_READS, self.conn.execute(f"SELECT {counts}").fetchone()))

    def export_in_chain_order(self, table):
        """The rows of ``table`` that the hash chain holds, in the order it recorded them, with
        their place in the chain first (``seq``); read a chunk at a time, so that an export of
        any size holds few rows at once. Rows are named tuples of the columns in
        ``EXPORT_READS``."""
        columns, joins = EXPORT_READS[table]
        # Reading the whole chain in seq order needs no sort: the way for a table with much of
        # the chain (forecasts, mostly). The chain's index on (row_table, row_id) finds a smaller
        # table's entries without reading the rest, to be sorted.
        table_rows, chain_rows = self.conn.execute(
            f"SELECT (SELECT count(*) FROM {table}), (SELECT count(*) FROM hash_chain)").fetchone()
        whole_chain = 4 * table_rows > chain_rows
        return self._export_rows(
            table, f"SELECT h.seq, {columns} FROM hash_chain h"
                   f"{' NOT INDEXED' if whole_chain else ''} JOIN {table} t ON t.id = h.row_id"
                   f"{joins} WHERE h.row_table = ? ORDER BY h.seq", [table])

    def export_outside_chain(self, table):
        """The rows of ``table`` that the hash chain does not hold (added outside forecasts), in
        id order, a chunk at a time."""
        columns, joins = EXPORT_READS[table]
        return self._export_rows(
            table, f"SELECT {columns} FROM {table} t{joins} WHERE NOT EXISTS (SELECT 1 FROM"
                   " hash_chain h WHERE h.row_table = ? AND h.row_id = t.id) ORDER BY t.id",
            [table])

    def export_row(self, table, row_id):
        """Row ``row_id`` of ``table`` as the export reads it, or None.

        >>> store = Store.open(":memory:")
        >>> qid = store.create_question("It rains", kind="multiple_choice",
        ...                             options=["rain", "sun"])
        >>> row = store.export_row("questions", qid)
        >>> row.slug, row.options, row.tags
        ('it-rains', ['rain', 'sun'], [])
        """
        columns, joins = EXPORT_READS[table]
        rows = self._export_rows(table, f"SELECT {columns} FROM {table} t{joins} WHERE t.id = ?",
                                 [row_id])
        return next(rows, None)

    def _export_rows(self, table, sql, params):
        return itertools.chain.from_iterable(self._export_chunks(table, sql, params))

    def _export_chunks(self, table, sql, params):
        cursor = self.conn.execute(sql, params)
        make = _row_type(table, tuple(c[0] for c in cursor.description))._make
        while chunk := cursor.fetchmany(EXPORT_CHUNK):
            rows = list(map(make, chunk))
            if table == "questions":
                options, tags = self.export_question_lists([row.id for row in rows])
                rows = [row._replace(options=options.get(row.id, []), tags=tags.get(row.id, []))
                        for row in rows]
            elif table == "forecasts":
                self._add_option_probabilities(rows, "id", "options")
            yield rows

    def export_question_lists(self, question_ids=None):
        """Question id -> option labels in order, and question id -> tags sorted, for the
        questions ``question_ids`` (or every question)."""
        where, ids = "", []
        if question_ids is not None:
            ids = list(set(question_ids))
            where = f" WHERE question_id IN ({','.join('?' * len(ids))})"
        options, tags = {}, {}
        for question_id, label in self.conn.execute(
                f"SELECT question_id, label FROM options{where} ORDER BY question_id, position",
                ids):
            options.setdefault(question_id, []).append(label)
        for question_id, name in self.conn.execute(
                "SELECT question_id, name FROM question_tags JOIN tags ON id = tag_id"
                f"{where} ORDER BY question_id, name", ids):
            tags.setdefault(question_id, []).append(name)
        return options, tags

    def _add_option_probabilities(self, rows, id_field, field):
        """Set ``field`` of each multiple-choice forecast among ``rows`` (its id in ``id_field``)
        to [(label, ppm, typed text)] in option order."""
        choices = [n for n, row in enumerate(rows) if row.multiple_choice]
        if not choices:
            return
        ids = [getattr(rows[n], id_field) for n in choices]
        options = {}
        for forecast_id, label, ppm, text in self.conn.execute(
                "SELECT fo.forecast_id, o.label, fo.p_ppm, fo.p_text FROM forecast_options fo"
                " JOIN options o ON o.id = fo.option_id"
                f" WHERE fo.forecast_id IN ({','.join('?' * len(ids))})"
                " ORDER BY fo.forecast_id, o.position", ids):
            options.setdefault(forecast_id, []).append((label, ppm, text))
        for n, forecast_id in zip(choices, ids):
            if forecast_id in options:
                rows[n] = rows[n]._replace(**{field: options[forecast_id]})

    def export_forecast_scores(self):
        """Each forecast's row of the forecast_scores view (Brier where the forecast is scored),
        with its source title, whether `score` counts it (the forecaster's latest scored forecast
        on the question), its question's criteria and open date, the evidence of the question's
        current resolution and (multiple choice) its option probabilities (``probabilities``, as
        ``_add_option_probabilities`` sets them; None for yes/no), in id order; named tuples,
        read a chunk at a time."""
        cursor = self.conn.execute(
            "SELECT s.*, so.title AS source_title, q.criteria, q.opens,"
            " c.forecast_id IS NOT NULL AS counted,"
            " (SELECT r.evidence FROM resolutions r WHERE r.question_id = s.question_id"
            " ORDER BY r.id DESC LIMIT 1) AS evidence,"
            " EXISTS (SELECT 1 FROM forecast_options fo WHERE fo.forecast_id = s.forecast_id)"
            " AS multiple_choice, NULL AS probabilities"
            " FROM forecast_scores s"
            " JOIN forecasts f ON f.id = s.forecast_id"
            " JOIN questions q ON q.id = s.question_id"
            " LEFT JOIN sources so ON so.id = f.source_id"
            " LEFT JOIN counted_forecast_scores c ON c.forecast_id = s.forecast_id"
            " ORDER BY s.forecast_id")
        make = _row_type("forecast_scores", tuple(c[0] for c in cursor.description))._make
        while chunk := cursor.fetchmany(EXPORT_CHUNK):
            rows = list(map(make, chunk))
            self._add_option_probabilities(rows, "forecast_id", "probabilities")
            yield from rows

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
