"""What ``verify`` checks beyond the hash chain: the schema, and the type of every stored value.

The hash chain fixes the records; what is shown is also made by the schema around them. A view
redefined outside forecasts (one that flips outcomes) changes ``list``, ``show``, the report and
the CSV while every record still matches its hash, and an added trigger can silently drop new
forecasts. :func:`schema_problems` compares the tables, views, triggers and indexes with the ones
the migrations make on an empty database. :func:`type_problems` names every value whose storage
class is not its column's (a BLOB where text belongs), which the other commands could not show.

Example::

    >>> from forecasts.store import Store
    >>> store = Store.open(":memory:")
    >>> schema_problems(store.conn), type_problems(store.conn)
    ([], [])
    >>> _ = store.conn.execute("CREATE TRIGGER zz AFTER INSERT ON tags BEGIN SELECT 1; END")
    >>> schema_problems(store.conn)[0]["problem"]
    'trigger zz added outside forecasts (the migrations make no such trigger)'
"""

from __future__ import annotations

import functools
import os
import re
import sqlite3
import urllib.parse

from . import migrations

# sqlite-utils' own bookkeeping table (its definition may differ between sqlite-utils versions)
# and SQLite's internal tables (sqlite_stat1 after ANALYZE) are not part of forecasts' schema.
NOT_COMPARED = re.compile(r"^(sqlite_|_sqlite_migrations$|idx__sqlite_migrations_)")

# What each declared column type may hold, by typeof(): NULL is allowed (NOT NULL is SQLite's).
ALLOWED_STORAGE = {"TEXT": ("text", "null"), "INTEGER": ("integer", "null")}
STORAGE_WORDS = {"blob": "a BLOB", "text": "text", "integer": "an integer", "real": "a real"}


def _schema(conn: sqlite3.Connection) -> dict:
    """(type, name) -> the object's SQL with its whitespace collapsed."""
    return {(kind, name): " ".join((sql or "").split())
            for kind, name, sql in conn.execute("SELECT type, name, sql FROM sqlite_master")
            if not NOT_COMPARED.match(name)}


@functools.lru_cache(maxsize=1)
def expected_schema() -> dict:
    """The schema the migrations make on an empty database (made once a process)."""
    conn = sqlite3.connect(":memory:")
    migrations.make_schema(conn)
    schema = _schema(conn)
    conn.close()
    return schema


def schema_problems(conn: sqlite3.Connection) -> list[dict]:
    """Each table, view, trigger or index that differs from the migrations': added, missing
    or redefined."""
    expected, found = expected_schema(), _schema(conn)
    problems = []
    for kind, name in sorted(found.keys() - expected.keys()):
        problems.append(f"{kind} {name} added outside forecasts (the migrations make no such "
                        f"{kind})")
    for kind, name in sorted(expected.keys() - found.keys()):
        problems.append(f"{kind} {name} is missing (dropped outside forecasts)")
    for key in sorted(expected.keys() & found.keys()):
        if expected[key] != found[key]:
            problems.append(f"{key[0]} {key[1]} was redefined outside forecasts (its SQL is not "
                            "the migrations')")
    return [{"table": "schema", "id": None, "problem": p} for p in problems]


def _typed_columns(conn, table):
    return [(name, declared.upper()) for _, name, declared, *_ in
            conn.execute(f'PRAGMA table_info("{table}")') if declared.upper() in ALLOWED_STORAGE]


def data_tables(conn: sqlite3.Connection) -> list[str]:
    """The tables that hold a database's data: all but SQLite's own and the migrations' record.

    >>> data_tables(sqlite3.connect(":memory:"))
    []
    """
    return [name for name, in conn.execute(
        "SELECT name FROM sqlite_master WHERE type = 'table' AND name NOT LIKE 'sqlite_%'"
        " AND name != '_sqlite_migrations' ORDER BY name")]


def type_problems(conn: sqlite3.Connection, limit: int = 100) -> list[dict]:
    """Values whose storage class is not their column's (a BLOB or a number where text belongs,
    text where an integer belongs), each named by table, row id and column; at most ``limit``."""
    problems = []
    for table in data_tables(conn):
        columns = _typed_columns(conn, table)
        if not columns:
            continue
        wrong = " OR ".join(
            f'typeof("{name}") NOT IN {ALLOWED_STORAGE[declared]}' for name, declared in columns)
        kinds = ", ".join(f'typeof("{name}")' for name, _ in columns)
        for row_id, *stored in conn.execute(
                f'SELECT rowid, {kinds} FROM "{table}" WHERE {wrong} LIMIT ?',
                [limit - len(problems)]):
            for (name, declared), kind in zip(columns, stored):
                if kind not in ALLOWED_STORAGE[declared]:
                    problems.append({"table": table, "id": row_id, "problem": (
                        f"'{name}' holds {STORAGE_WORDS.get(kind, kind)} where "
                        f"{'text' if declared == 'TEXT' else 'an integer'} belongs (written "
                        "outside forecasts)")})
        if len(problems) >= limit:
            break
    return problems[:limit]


def first_type_problem(path: str) -> str | None:
    """The first wrong-typed value in the database file at ``path``, in words, or None; for a
    command that failed on one (opened read-only: nothing is changed)."""
    try:
        conn = sqlite3.connect(f"file:{urllib.parse.quote(os.path.abspath(path))}?mode=ro",
                               uri=True)
    except sqlite3.Error:
        return None
    try:
        problems = type_problems(conn, limit=1)
    except sqlite3.Error:
        return None
    finally:
        conn.close()
    if not problems:
        return None
    p = problems[0]
    return f"{p['table']} #{p['id']}: {p['problem']}"
