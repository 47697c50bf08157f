"""The hash chain over a plain sqlite3 connection: what a record's hash covers, how it is
computed, and checking every record against it.

Every forecaster, source, question, forecast, resolution and correction has an entry in
``hash_chain``:
sha256 of the previous entry's hash and a canonical JSON of the record, so a record edited or
deleted outside forecasts no longer matches and :func:`verify` names it. This module imports
nothing from the rest of the package but its errors, so the store and tools that only check a
file can both use it.

Example::

    >>> import sqlite3
    >>> from forecasts.store import Store
    >>> store = Store.open(":memory:")
    >>> _ = store.forecaster_id("Alice")
    >>> report = verify(store.conn)
    >>> report["entries"], report["problems"]
    (1, [])
"""

import hashlib
import json
import sqlite3
from array import array
from json.encoder import encode_basestring_ascii as escape_json

from .errors import StorageError

# The tables whose records are in the hash chain, in the order the migration hashed them.
CHAINED_TABLES = ("forecasters", "sources", "questions", "forecasts", "resolutions",
                  "corrections")
GENESIS_HASH = "0" * 64

# json.dumps(..., sort_keys=True, separators=(",", ":")), made once; records are never circular
CANONICAL_JSON = json.JSONEncoder(sort_keys=True, separators=(",", ":"), check_circular=False)

# What each record's hash covers: every column the tool never changes once written. Left out:
# a forecaster's role and a question's open date (filled in or moved back by later forecasts) and
# tags (added later); options belong to their question, option probabilities to their forecast.
CONTENT_FIELDS = {
    "forecasters": ("name", "kind", "created"),
    "sources": ("url", "outlet", "title", "published", "author"),
    "questions": ("slug", "text", "kind", "resolves", "criteria", "created"),
    "forecasts": ("question_id", "forecaster_id", "made", "recorded", "p_ppm", "p_text",
                  "verbal", "scale", "quote", "source_id"),
    "resolutions": ("question_id", "outcome", "option_id", "resolved", "evidence", "note",
                    "recorded"),
    "corrections": ("action", "forecast_id", "question_id", "forecaster_id",
                    "into_forecaster_id", "changes", "reason", "author", "recorded"),
}

# The type of each hashed column: integers or text.
COLUMN_TYPES = {key: int if key in ("question_id", "forecaster_id", "p_ppm", "source_id",
                                    "option_id", "forecast_id", "into_forecaster_id") else str
                for fields in CONTENT_FIELDS.values() for key in fields}

# The rows that belong to a record: a question's options, a forecast's option probabilities.
RECORD_PARTS = {
    "questions": ("SELECT question_id AS parent, id, position, label FROM options"
                  "{} ORDER BY question_id, position", "question_id"),
    "forecasts": ("SELECT forecast_id AS parent, option_id, p_ppm, p_text"
                  " FROM forecast_options{} ORDER BY forecast_id, option_id", "forecast_id"),
}


def _part_lists(parts):
    """A record's options ([id, number, text] each) as canonical JSON, or None when a part is
    not of that shape (the general encoder then writes it)."""
    if not parts and type(parts) is list:
        return "[]"
    texts = []
    for part in parts:
        if type(part) is not list or len(part) != 3:
            return None
        first, second, text = part
        if type(first) is not int or type(second) is not int or type(text) is not str:
            return None
        texts.append(f"[{first},{second},{escape_json(text)}]")
    return f"[{','.join(texts)}]"


def _compile_encoder(table):
    """A function (id, content) -> the canonical JSON of a record of ``table``, the very text
    CANONICAL_JSON writes, for content with exactly the table's fields (and options), each None
    or of its column's type; None for any other content, which the general encoder then writes.

    The general encoder sorts the keys and looks at each value's type every time; here the key
    order and the types are settled once, in a function written for the table, about seven
    times faster: hashing is most of the work of an import and of ``verify``.
    """
    keys = sorted({"table", "id", *CONTENT_FIELDS[table],
                   *(("options",) if table in RECORD_PARTS else ())})
    lines = ["def encode(row_id, content):",
             f"    if type(row_id) is not int or len(content) != {len(keys) - 2}:",
             "        return None"]
    pieces = []
    for number, key in enumerate(keys):
        if key == "table":
            pieces.append(f'"table":{json.dumps(table)}')
            continue
        if key == "id":
            pieces.append('"id":{row_id}')
            continue
        name = f"value{number}"
        lines.append(f"    {name} = content[{key!r}]")
        if key == "options":
            lines.append(f"    {name} = _part_lists({name})")
        elif COLUMN_TYPES[key] is int:
            lines.append(f"    {name} = 'null' if {name} is None else str({name})"
                         f" if type({name}) is int else None")
        else:
            lines.append(f"    {name} = 'null' if {name} is None else escape_json({name})"
                         f" if type({name}) is str else None")
        lines.append(f"    if {name} is None:")
        lines.append("        return None")
        pieces.append(f'"{key}":{{{name}}}')
    lines.append(f"    return f'{{{{{','.join(pieces)}}}}}'")
    namespace = {"escape_json": escape_json, "_part_lists": _part_lists}
    exec("\n".join(lines), namespace)
    return namespace["encode"]


FAST_ENCODERS = {table: _compile_encoder(table) for table in CONTENT_FIELDS}


def canonical_json(table: str, row_id: int, content: dict) -> str:
    """What a record's hash covers: a canonical JSON of its table, id and content (keys sorted,
    ASCII only, no spaces), as ``json.dumps(..., sort_keys=True, separators=(",", ":"))``
    writes it.

    >>> print(canonical_json("forecasters", 1, {"name": "Zoë", "kind": "person", "created": None}))
    {"created":null,"id":1,"kind":"person","name":"Zo\\u00eb","table":"forecasters"}
    """
    try:
        payload = FAST_ENCODERS[table](row_id, content)
    except KeyError:  # another table, or content without one of the table's fields
        payload = None
    if payload is None:
        payload = CANONICAL_JSON.encode({"table": table, "id": row_id, **content})
    return payload


def record_hash(previous: str, table: str, row_id: int, content: dict) -> str:
    """The hash of one record in the chain: sha256 of the previous record's hash and a canonical
    JSON of this one (its table, id and content, keys sorted, ASCII only).

    >>> record_hash(GENESIS_HASH, "forecasters", 1, {"name": "Alice"})[:12]
    '79e9ca56b0ff'
    """
    payload = canonical_json(table, row_id, content)
    return hashlib.sha256(f"{previous}\n{payload}".encode("ascii")).hexdigest()


def new_record_hash(previous: str, table: str, row_id: int, content: dict) -> str:
    """``record_hash`` of a record about to be written, after ``check_storable`` (which only
    needs to run when the fast encoder turns the content down).

    >>> new_record_hash(GENESIS_HASH, "forecasters", 1, {"name": "Alice"})[:12]
    '79e9ca56b0ff'
    """
    try:
        payload = FAST_ENCODERS[table](row_id, content)
    except KeyError:
        payload = None
    if payload is None:
        check_storable(table, row_id, content)
        payload = CANONICAL_JSON.encode({"table": table, "id": row_id, **content})
    return hashlib.sha256(f"{previous}\n{payload}".encode("ascii")).hexdigest()


def check_storable(table: str, row_id: int, content: dict) -> None:
    """Refuse a value SQLite would store as another type (a number in a TEXT column, text in an
    INTEGER one): the row would no longer match the hash computed from what was given.

    >>> check_storable("forecasters", 1, {"name": 5})
    Traceback (most recent call last):
    forecasts.errors.StorageError: forecasters #1: name 5 would not be stored as given; nothing was written
    """  # noqa: E501
    for key, value in content.items():
        if key == "options":  # [option id, position or ppm, label or text]
            fine = all(type(a) is int and type(b) is int and type(c) is str for a, b, c in value)
        else:
            fine = value is None or type(value) is COLUMN_TYPES[key]
        if not fine:
            raise StorageError(f"{table} #{row_id}: {key} {value!r} would not be stored as given;"
                               " nothing was written")


def _rows(conn, sql, params=()):
    cursor = conn.execute(sql, params)
    columns = [c[0] for c in cursor.description]
    return [dict(zip(columns, row)) for row in cursor.fetchall()]


def chain_head(conn: sqlite3.Connection) -> str:
    """The latest hash in the chain (the genesis hash of an empty chain)."""
    row = conn.execute("SELECT hash FROM hash_chain ORDER BY seq DESC LIMIT 1").fetchone()
    return row[0] if row else GENESIS_HASH


def chain_entry(conn: sqlite3.Connection, seq: int | None = None):
    """(place, hash) of the chain entry at place ``seq`` (default: the latest), or None."""
    if seq is None:
        return conn.execute("SELECT seq, hash FROM hash_chain ORDER BY seq DESC LIMIT 1"
                            ).fetchone()
    return conn.execute("SELECT seq, hash FROM hash_chain WHERE seq = ?", [seq]).fetchone()


def record_contents(conn: sqlite3.Connection, table: str, ids=None) -> dict:
    """Record id -> the content its hash covers, for ``ids`` or the whole ``table``."""
    fields = CONTENT_FIELDS[table]
    where, params = "", []
    if ids is not None:
        where, params = f" WHERE {{}} IN ({','.join('?' * len(ids))})", list(ids)
    contents = {r["id"]: {key: r[key] for key in fields} for r in _rows(
        conn, f"SELECT id, {', '.join(fields)} FROM {table}{where.format('id')} ORDER BY id",
        params)}
    if table in RECORD_PARTS:
        sql, parent = RECORD_PARTS[table]
        for content in contents.values():
            content["options"] = []
        for r in _rows(conn, sql.format(where.format(parent)), params):
            if r["parent"] in contents:
                contents[r["parent"]]["options"].append(list(r.values())[1:])
    return contents


def chain_positions(conn: sqlite3.Connection, table: str, ids) -> dict:
    """Record id -> (place in the chain, hash) for records of ``table``."""
    ids = list(ids)
    found = {}
    for start in range(0, len(ids), 500):
        chunk = ids[start:start + 500]
        for row_id, seq, hash_ in conn.execute(
                "SELECT row_id, seq, hash FROM hash_chain WHERE row_table = ?"
                f" AND row_id IN ({','.join('?' * len(chunk))})", [table, *chunk]):
            found[row_id] = (seq, hash_)
    return found


# The tables whose rows keep their own copy of their hash (checked against the chain's).
OWN_HASH_TABLES = ("forecasts", "resolutions", "corrections")


def _stored_records(conn, table):
    """Yield (id, content its hash covers, its own stored hash or None) for every record of
    ``table`` in id order, reading one row at a time (with its options, in order)."""
    fields = CONTENT_FIELDS[table]
    own = "hash" if table in OWN_HASH_TABLES else "NULL"
    rows = conn.execute(f"SELECT id, {own}, {', '.join(fields)} FROM {table} ORDER BY id")
    if table not in RECORD_PARTS:
        for row in rows:
            yield row[0], dict(zip(fields, row[2:])), row[1]
        return
    parts = iter(conn.execute(RECORD_PARTS[table][0].format("")))
    part = next(parts, None)
    for row in rows:
        row_id = row[0]
        while part is not None and part[0] < row_id:  # options of no record
            part = next(parts, None)
        options = []
        while part is not None and part[0] == row_id:
            options.append(list(part[1:]))
            part = next(parts, None)
        content = dict(zip(fields, row[2:]))
        content["options"] = options
        yield row_id, content, row[1]


class _RecordFinder:
    """The records of one table, found by id for chain entries that come in id order (as the
    tool writes them) while reading the table once; records passed over are kept aside until
    an entry asks for them, so entries out of order are found too."""

    def __init__(self, conn, table):
        self.records = _stored_records(conn, table)
        self.next = next(self.records, None)
        self.passed = {}  # id -> (content, own hash) of records no entry has asked for yet
        self.ids = array("q")  # every record id, for the gap check

    def take(self, row_id):
        """(content, own hash) of record ``row_id``, or None if it is not there (or was taken)."""
        while self.next is not None and self.next[0] < row_id:
            self._pass()
        if self.next is not None and self.next[0] == row_id:
            found = self.next[1:]
            self.ids.append(row_id)
            self.next = next(self.records, None)
            return found
        return self.passed.pop(row_id, None)

    def _pass(self):
        row_id, content, own_hash = self.next
        self.passed[row_id] = (content, own_hash)
        self.ids.append(row_id)
        self.next = next(self.records, None)

    def rest(self):
        """Ids of the records no entry asked for, in id order, once the table is read to its end."""
        while self.next is not None:
            self._pass()
        return sorted(self.passed)


def verify(conn: sqlite3.Connection) -> dict:
    """Check every record against the hash chain, and SQLite's own integrity check.

    Returns ``entries`` (records in the chain), ``head`` (the latest hash: note it down, and
    a later ``verify`` showing the same head proves nothing before it changed), ``counts``
    per table and ``problems``: each a table, an id and what is wrong (edited, deleted, or
    added outside forecasts). The reads see one state of the database, whatever others write.
    The chain and the tables are read side by side, a row at a time, so memory stays small
    however many records there are.
    """
    text_factory = conn.text_factory
    # text written outside forecasts may not be UTF-8: read it anyway, as a changed record
    conn.text_factory = lambda data: data.decode("utf-8", "surrogateescape")
    began = not conn.in_transaction
    problems = []
    try:
        if began:
            conn.execute("BEGIN")
        integrity = [r[0] for r in conn.execute("PRAGMA integrity_check")]
        if integrity != ["ok"]:
            problems.append({"table": "database", "id": None,
                             "problem": "SQLite integrity check failed: " + "; ".join(integrity)})
        finders = {table: _RecordFinder(conn, table) for table in CHAINED_TABLES}
        chained_ids = {table: array("q") for table in CHAINED_TABLES}
        previous, expected_seq, after_gap, entries = GENESIS_HASH, 1, False, 0
        for seq, table, row_id, entry_hash in conn.execute(
                "SELECT seq, row_table, row_id, hash FROM hash_chain ORDER BY seq"):
            entries += 1
            if seq != expected_seq:
                problems.append({"table": "hash_chain", "id": expected_seq,
                                 "problem": f"chain entries {expected_seq} to {seq - 1}"
                                            " deleted"})
                after_gap = True
            finder = finders.get(table)
            if finder is not None:
                chained_ids[table].append(row_id)
            found = finder.take(row_id) if finder is not None else None
            if found is None:
                problems.append({"table": table, "id": row_id, "problem": "deleted"})
            else:
                content, own_hash = found
                if table not in OWN_HASH_TABLES:
                    own_hash = entry_hash
                if after_gap:
                    if own_hash != entry_hash:
                        problems.append({"table": table, "id": row_id, "problem": "edited"})
                else:
                    try:
                        expected = record_hash(previous, table, row_id, content)
                    except TypeError:  # a BLOB written outside forecasts: no hash matches it
                        expected = None
                    if expected != entry_hash and own_hash == expected:
                        problems.append({"table": "hash_chain", "id": seq,
                                         "problem": f"edited (the entry for {table} #{row_id})"})
                        entry_hash = expected
                    elif expected != entry_hash or own_hash != entry_hash:
                        problems.append({"table": table, "id": row_id, "problem": "edited"})
            previous, expected_seq, after_gap = entry_hash, seq + 1, False
        unchained = {table: finder.rest() for table, finder in finders.items()}
    finally:
        if began and conn.in_transaction:
            conn.execute("ROLLBACK")
        conn.text_factory = text_factory
    import numpy as np  # here, not at the top: the write path loads this module, not numpy

    for table in CHAINED_TABLES:
        for row_id in unchained[table]:
            problems.append({"table": table, "id": row_id,
                             "problem": "added outside forecasts (not in the hash chain)"})
        # ids are handed out one after another, so a gap is a record deleted together with
        # its chain entry
        known = np.union1d(np.frombuffer(chained_ids[table], dtype=np.int64),
                           np.frombuffer(finders[table].ids, dtype=np.int64))
        if len(known):
            missing = np.setdiff1d(np.arange(1, known[-1], dtype=np.int64), known,
                                   assume_unique=True)
            for row_id in missing.tolist():
                problems.append({"table": table, "id": row_id,
                                 "problem": "deleted, with its entry in the hash chain"})
    return {"entries": entries, "head": previous if entries else None,
            "counts": {table: len(finder.ids) for table, finder in finders.items()},
            "integrity": "; ".join(integrity), "problems": problems}
