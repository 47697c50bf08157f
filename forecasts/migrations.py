"""The database schema, as ordered sqlite-utils migrations recorded in the database.

Each migration is a function decorated with ``@migration``; its name, less the leading ``m``
that Python needs, is the migration's name, recorded in ``_sqlite_migrations`` when it runs
(once, inside a transaction). Never edit a migration that has shipped: add a new one. A
migration uses only what is written here (SQL and frozen copies of any code it runs), never the
store, so that changing today's code cannot change what a shipped migration did.

Example::

    >>> import sqlite_utils
    >>> db = sqlite_utils.Database(memory=True)
    >>> apply(db)
    >>> {"forecasters", "forecasts", "hash_chain"} <= set(db.table_names())
    True
    >>> KNOWN_MIGRATIONS[0]
    '0001_initial_schema'
"""

import datetime
import hashlib
import json

MIGRATIONS = []


def migration(function):
    """Register ``function`` as the next migration, named after it: ``m0002_score_views`` is
    the migration ``0002_score_views``."""
    MIGRATIONS.append(function)
    return function


def migration_name(function):
    return function.__name__.removeprefix("m")


def migration_set():
    """The migrations as a sqlite-utils ``Migrations`` set (sqlite-utils is imported here, so
    that reading the names above does not load it)."""
    from .light_imports import sqlite_utils

    migrations = sqlite_utils.Migrations(MIGRATION_SET)
    for function in MIGRATIONS:
        migrations(name=migration_name(function))(function)
    return migrations


def apply(db, stop_before=None):
    """Apply the pending migrations to the sqlite_utils Database ``db`` (all, or up to the one
    named ``stop_before``)."""
    migration_set().apply(db, stop_before=stop_before)


class _Plain:
    """A sqlite3 connection with what a migration uses of a sqlite-utils Database."""

    def __init__(self, conn):
        self.conn = conn

    def execute(self, sql, parameters=()):
        return self.conn.execute(sql, parameters)


def make_schema(conn, record=False):
    """Run every migration, in order, on the empty sqlite3 database ``conn``: the schema the
    migrations make, to compare a database with. With ``record``, in the caller's transaction,
    each is recorded as applied in the table, and the way, sqlite-utils' ``Migrations`` records
    it, which it then reads as applied: a new database is made without loading sqlite-utils.

    >>> import sqlite3
    >>> conn = sqlite3.connect(":memory:")
    >>> make_schema(conn)
    >>> ("hash_chain",) in conn.execute("SELECT name FROM sqlite_master").fetchall()
    True
    """
    plain = _Plain(conn)
    if record:
        for statement in MIGRATIONS_TABLE:
            conn.execute(statement)
    for function in MIGRATIONS:
        function(plain)
        if record:
            conn.execute("INSERT INTO _sqlite_migrations (migration_set, name, applied_at)"
                         " VALUES (?, ?, ?)", (MIGRATION_SET, migration_name(function),
                                               str(datetime.datetime.now(datetime.timezone.utc))))
    if not record:
        conn.commit()


MIGRATION_SET = "forecasts"
# sqlite-utils' record of the migrations applied, as its Migrations.ensure_migrations_table makes it
MIGRATIONS_TABLE = [
    'CREATE TABLE "_sqlite_migrations" (\n   "id" INTEGER PRIMARY KEY,\n   "migration_set" TEXT,'
    '\n   "name" TEXT,\n   "applied_at" TEXT\n)',
    'CREATE UNIQUE INDEX "idx__sqlite_migrations_migration_set_name"\n'
    '    ON "_sqlite_migrations" ("migration_set", "name")',
]


def applied(db):
    return migration_set().applied(db)


def pending(db):
    return migration_set().pending(db)


# Probabilities are stored as integer parts per million (p_ppm) beside the text the user typed,
# so 0.7 is exactly 700000 and always lands in the bin centred on 70%.
SCHEMA_V1 = [
    """
    CREATE TABLE forecasters (
        id INTEGER PRIMARY KEY,
        name TEXT NOT NULL UNIQUE COLLATE NOCASE CHECK (length(trim(name)) > 0),
        kind TEXT NOT NULL DEFAULT 'person'
            CHECK (kind IN ('person', 'organisation', 'crowd', 'baseline', 'self', 'synthetic')),
        role TEXT,
        created TEXT NOT NULL
    )
    """,
    """
    CREATE TABLE sources (
        id INTEGER PRIMARY KEY,
        url TEXT UNIQUE,
        outlet TEXT,
        title TEXT,
        published TEXT,
        author TEXT,
        CHECK (url IS NOT NULL OR title IS NOT NULL)
    )
    """,
    """
    CREATE TABLE questions (
        id INTEGER PRIMARY KEY,
        slug TEXT NOT NULL UNIQUE,
        text TEXT NOT NULL CHECK (length(trim(text)) > 0),
        kind TEXT NOT NULL DEFAULT 'binary' CHECK (kind IN ('binary', 'multiple_choice')),
        opens TEXT,
        resolves TEXT,
        criteria TEXT,
        created TEXT NOT NULL
    )
    """,
    """
    CREATE TABLE options (
        id INTEGER PRIMARY KEY,
        question_id INTEGER NOT NULL REFERENCES questions(id),
        position INTEGER NOT NULL,
        label TEXT NOT NULL COLLATE NOCASE CHECK (length(trim(label)) > 0),
        UNIQUE (question_id, label),
        UNIQUE (question_id, position)
    )
    """,
    "CREATE TABLE tags (id INTEGER PRIMARY KEY, name TEXT NOT NULL UNIQUE COLLATE NOCASE)",
    """
    CREATE TABLE question_tags (
        question_id INTEGER NOT NULL REFERENCES questions(id),
        tag_id INTEGER NOT NULL REFERENCES tags(id),
        PRIMARY KEY (question_id, tag_id)
    )
    """,
    """
    CREATE TABLE forecasts (
        id INTEGER PRIMARY KEY,
        question_id INTEGER NOT NULL REFERENCES questions(id),
        forecaster_id INTEGER NOT NULL REFERENCES forecasters(id),
        made TEXT NOT NULL,
        recorded TEXT NOT NULL,
        p_ppm INTEGER CHECK (p_ppm BETWEEN 0 AND 1000000),
        p_text TEXT NOT NULL,
        verbal TEXT,
        scale TEXT,
        quote TEXT,
        source_id INTEGER REFERENCES sources(id)
    )
    """,
    """
    CREATE TABLE forecast_options (
        forecast_id INTEGER NOT NULL REFERENCES forecasts(id),
        option_id INTEGER NOT NULL REFERENCES options(id),
        p_ppm INTEGER NOT NULL CHECK (p_ppm BETWEEN 0 AND 1000000),
        p_text TEXT NOT NULL,
        PRIMARY KEY (forecast_id, option_id)
    )
    """,
    """
    CREATE TABLE resolutions (
        id INTEGER PRIMARY KEY,
        question_id INTEGER NOT NULL REFERENCES questions(id),
        outcome TEXT NOT NULL,
        option_id INTEGER REFERENCES options(id),
        resolved TEXT NOT NULL,
        evidence TEXT,
        note TEXT,
        recorded TEXT NOT NULL
    )
    """,
    "CREATE INDEX forecasts_by_question ON forecasts (question_id, forecaster_id, made)",
    "CREATE INDEX forecasts_by_forecaster ON forecasts (forecaster_id)",
    "CREATE INDEX resolutions_by_question ON resolutions (question_id, id)",
    "CREATE INDEX options_by_question ON options (question_id, position)",
]

# Forecasts and resolutions are append-only: an update is a new row, a correction a new resolution.
APPEND_ONLY = [
    f"""
    CREATE TRIGGER {table}_no_{action.lower()} BEFORE {action} ON {table}
    BEGIN SELECT RAISE(ABORT, '{table} are append-only: record a new row instead'); END
    """
    for table in ("forecasts", "forecast_options", "resolutions")
    for action in ("UPDATE", "DELETE")
]

VIEWS_V1 = [
    """
    CREATE VIEW current_resolutions AS
    SELECT r.* FROM resolutions r
    WHERE r.id = (SELECT max(r2.id) FROM resolutions r2 WHERE r2.question_id = r.question_id)
    """,
    """
    CREATE VIEW forecast_details AS
    SELECT f.id AS forecast_id, q.id AS question_id, q.slug, q.text AS question, q.kind,
           fr.name AS forecaster, f.made, f.recorded,
           f.p_ppm / 1000000.0 AS probability, f.p_text, f.verbal, f.scale, f.quote,
           s.url AS source_url, s.outlet AS source_outlet,
           q.resolves, cr.outcome, cr.resolved
    FROM forecasts f
    JOIN questions q ON q.id = f.question_id
    JOIN forecasters fr ON fr.id = f.forecaster_id
    LEFT JOIN sources s ON s.id = f.source_id
    LEFT JOIN current_resolutions cr ON cr.question_id = q.id
    """,
    # Per-forecast Brier on the 0-1 scale (multiple-choice: the Brier 1950 sum halved). Null when
    # the question is open, ambiguous or annulled, or the forecast was made too late to count.
    """
    CREATE VIEW forecast_scores AS
    SELECT d.*,
      CASE
        WHEN d.outcome IS NULL OR d.outcome IN ('ambiguous', 'annulled') THEN NULL
        WHEN d.made >= min(coalesce(d.resolves, d.resolved), d.resolved) THEN NULL
        WHEN d.kind = 'binary' THEN
          (d.probability - (d.outcome = 'yes')) * (d.probability - (d.outcome = 'yes'))
        ELSE 0.5 * (
          SELECT sum((fo.p_ppm / 1000000.0 - (fo.option_id = cr.option_id))
                   * (fo.p_ppm / 1000000.0 - (fo.option_id = cr.option_id)))
          FROM forecast_options fo JOIN current_resolutions cr ON cr.question_id = d.question_id
          WHERE fo.forecast_id = d.forecast_id)
      END AS brier
    FROM forecast_details d
    """,
]


@migration
def m0001_initial_schema(db):
    for statement in SCHEMA_V1 + APPEND_ONLY + VIEWS_V1:
        db.execute(statement)


# The forecasts that count (each forecaster's latest before the cutoff, on questions that are
# neither ambiguous nor annulled) and the mean Brier per forecaster, for plain-SQL users.
VIEWS_V2 = [
    """
    CREATE VIEW counted_forecast_scores AS
    SELECT * FROM (
      SELECT s.*, row_number() OVER (PARTITION BY s.question_id, s.forecaster
                                     ORDER BY s.made DESC, s.forecast_id DESC) AS latest
      FROM forecast_scores s WHERE s.brier IS NOT NULL
    ) WHERE latest = 1
    """,
    """
    CREATE VIEW forecaster_scores AS
    SELECT forecaster, count(*) AS questions, avg(brier) AS brier
    FROM counted_forecast_scores GROUP BY forecaster ORDER BY brier
    """,
]


@migration
def m0002_score_views(db):
    for statement in VIEWS_V2:
        db.execute(statement)


# Tamper evidence. Every forecaster, source, question, forecast and resolution gets an entry in
# hash_chain: sha256 of the previous entry's hash and a canonical JSON of the record (see
# hash_records_v3 below), so a record edited or deleted outside forecasts no longer matches, and
# `forecasts verify` names it. Forecasts and resolutions also carry their hash in a column, for
# readers of the table. Existing records are hashed here, in the order they were recorded.
HASH_CHAIN = [
    """
    CREATE TABLE hash_chain (
        seq INTEGER PRIMARY KEY,
        row_table TEXT NOT NULL
            CHECK (row_table IN ('forecasters', 'sources', 'questions', 'forecasts',
                                 'resolutions')),
        row_id INTEGER NOT NULL,
        hash TEXT NOT NULL,
        UNIQUE (row_table, row_id)
    )
    """,
    "ALTER TABLE forecasts ADD COLUMN hash TEXT",
    "ALTER TABLE resolutions ADD COLUMN hash TEXT",
] + [
    f"""
    CREATE TRIGGER hash_chain_no_{action.lower()} BEFORE {action} ON hash_chain
    BEGIN SELECT RAISE(ABORT, 'hash_chain is append-only'); END
    """
    for action in ("UPDATE", "DELETE")
]

# Hindsight guard: besides forecasts made on or after the cutoff, a forecast recorded after the
# question's first resolution was recorded is never scored (whoever entered it could know the
# outcome), unless its forecaster is a baseline (a fixed rule that cannot use the outcome). The
# hindsight column says why a forecast is left out.
HINDSIGHT = """
    CASE
      WHEN d.outcome IS NULL THEN NULL
      WHEN d.made >= min(coalesce(d.resolves, d.resolved), d.resolved)
        THEN 'made on or after the resolution date'
      WHEN d.recorded > (SELECT min(r.recorded) FROM resolutions r
                         WHERE r.question_id = d.question_id)
           AND (SELECT fr.kind FROM forecasters fr WHERE fr.name = d.forecaster) != 'baseline'
        THEN 'recorded after the question was resolved'
    END"""

VIEWS_V3 = [
    "DROP VIEW forecaster_scores",
    "DROP VIEW counted_forecast_scores",
    "DROP VIEW forecast_scores",
    f"""
    CREATE VIEW forecast_scores AS
    SELECT d.*, {HINDSIGHT} AS hindsight,
      CASE
        WHEN d.outcome IS NULL OR d.outcome IN ('ambiguous', 'annulled') THEN NULL
        WHEN {HINDSIGHT} IS NOT NULL THEN NULL
        WHEN d.kind = 'binary' THEN
          (d.probability - (d.outcome = 'yes')) * (d.probability - (d.outcome = 'yes'))
        ELSE 0.5 * (
          SELECT sum((fo.p_ppm / 1000000.0 - (fo.option_id = cr.option_id))
                   * (fo.p_ppm / 1000000.0 - (fo.option_id = cr.option_id)))
          FROM forecast_options fo JOIN current_resolutions cr ON cr.question_id = d.question_id
          WHERE fo.forecast_id = d.forecast_id)
      END AS brier
    FROM forecast_details d
    """,
] + VIEWS_V2


# What migration 0003 hashed, frozen here: forecasts.chain holds today's rule, which may change
# for records written later without changing what this migration did to older ones.
CONTENT_FIELDS_V3 = {
    "forecasters": ("name", "kind", "created"),
    "sources": ("url", "outlet", "title", "published", "author"),
    "questions": ("slug", "text", "kind", "resolves", "criteria", "created"),
    "forecasts": ("question_id", "forecaster_id", "made", "recorded", "p_ppm", "p_text",
                  "verbal", "scale", "quote", "source_id"),
    "resolutions": ("question_id", "outcome", "option_id", "resolved", "evidence", "note",
                    "recorded"),
}
PARTS_V3 = {
    "questions": "SELECT question_id, id, position, label FROM options"
                 " ORDER BY question_id, position",
    "forecasts": "SELECT forecast_id, option_id, p_ppm, p_text FROM forecast_options"
                 " ORDER BY forecast_id, option_id",
}
RECORDED_V3 = {"forecasters": "created", "sources": "''", "questions": "created",
               "forecasts": "recorded", "resolutions": "recorded"}


def hash_records_v3(conn):
    """Chain the records written before the hash chain existed, in the order they were recorded,
    and fill in the hash column of forecasts and resolutions."""
    canonical = json.JSONEncoder(sort_keys=True, separators=(",", ":"))
    contents = {}
    for table, fields in CONTENT_FIELDS_V3.items():
        rows = conn.execute(f"SELECT id, {', '.join(fields)} FROM {table} ORDER BY id")
        contents[table] = {row[0]: dict(zip(fields, row[1:])) for row in rows}
        if table in PARTS_V3:
            for content in contents[table].values():
                content["options"] = []
            for parent, *part in conn.execute(PARTS_V3[table]):
                if parent in contents[table]:
                    contents[table][parent]["options"].append(part)
    order = sorted((at or "", rank, row_id, table)
                   for rank, table in enumerate(CONTENT_FIELDS_V3)
                   for row_id, at in conn.execute(
                       f"SELECT id, {RECORDED_V3[table]} FROM {table}"))
    head = conn.execute("SELECT hash FROM hash_chain ORDER BY seq DESC LIMIT 1").fetchone()
    previous = head[0] if head else "0" * 64
    for _, _, row_id, table in order:
        payload = canonical.encode({"table": table, "id": row_id, **contents[table][row_id]})
        previous = hashlib.sha256(f"{previous}\n{payload}".encode("ascii")).hexdigest()
        conn.execute("INSERT INTO hash_chain (row_table, row_id, hash) VALUES (?, ?, ?)",
                     [table, row_id, previous])
        if table in ("forecasts", "resolutions"):
            conn.execute(f"UPDATE {table} SET hash = ? WHERE id = ?", [previous, row_id])


@migration
def m0003_hash_chain(db):
    for statement in HASH_CHAIN:
        db.execute(statement)
    # The append-only triggers are lifted for the one update of the new hash column.
    for table in ("forecasts", "resolutions"):
        db.execute(f"DROP TRIGGER {table}_no_update")
    hash_records_v3(db.conn)
    for statement in APPEND_ONLY:
        if "_no_update" in statement and "forecast_options" not in statement:
            db.execute(statement)
    for statement in VIEWS_V3:
        db.execute(statement)


# Aggregate forecasters (forecasts aggregate): a crowd pooled from other forecasters' forecasts.
# Like a baseline, an aggregate is exempt from the recorded-after-resolution rule: each of its
# forecasts pools only forecasts made before the question's cutoff and recorded before its
# outcome, and is made when the latest of them was. SQLite cannot change a CHECK in place, and
# rebuilding the forecasters table would need foreign keys off, which a migration's transaction
# cannot do; a CHECK that accepts one more value changes nothing stored, so the table's
# definition is rewritten instead, as SQLite's ALTER TABLE documentation describes (section 7).
KIND_CHECK_V1 = "'self', 'synthetic')"
KIND_CHECK_V4 = "'self', 'synthetic', 'aggregate')"
HINDSIGHT_V4 = HINDSIGHT.replace("!= 'baseline'", "NOT IN ('baseline', 'aggregate')")

VIEWS_V4 = [
    "DROP VIEW forecaster_scores",
    "DROP VIEW counted_forecast_scores",
    "DROP VIEW forecast_scores",
    VIEWS_V3[3].replace(HINDSIGHT, HINDSIGHT_V4),
] + VIEWS_V2


@migration
def m0004_aggregate_forecasters(db):
    version = db.execute("PRAGMA schema_version").fetchone()[0]
    db.execute("PRAGMA writable_schema = ON")
    try:
        db.execute("UPDATE sqlite_master SET sql = replace(sql, ?, ?)"
                   " WHERE type = 'table' AND name = 'forecasters'",
                   [KIND_CHECK_V1, KIND_CHECK_V4])
        db.execute(f"PRAGMA schema_version = {version + 1}")
    finally:
        db.execute("PRAGMA writable_schema = OFF")
    for statement in VIEWS_V4:
        db.execute(statement)


# Accounts for `forecasts serve`: users with a role and an argon2 password hash, API tokens stored
# as sha256 hashes, each question's visibility, which account recorded each record (apart from
# whose forecast it is), and the server's settings (the secret that signs login cookies). None of
# these is in the hash chain: they say who may do what, not what was forecast.
ACCOUNTS_V5 = [
    """
    CREATE TABLE users (
        id INTEGER PRIMARY KEY,
        name TEXT NOT NULL UNIQUE COLLATE NOCASE CHECK (length(trim(name)) > 0),
        role TEXT NOT NULL CHECK (role IN ('member', 'resolver', 'admin')),
        password_hash TEXT NOT NULL,
        forecaster_id INTEGER REFERENCES forecasters(id),
        created TEXT NOT NULL,
        revoked TEXT
    )
    """,
    """
    CREATE TABLE api_tokens (
        id INTEGER PRIMARY KEY,
        user_id INTEGER NOT NULL REFERENCES users(id),
        token_hash TEXT NOT NULL UNIQUE,
        created TEXT NOT NULL,
        revoked TEXT
    )
    """,
    """
    CREATE TABLE question_access (
        question_id INTEGER PRIMARY KEY REFERENCES questions(id),
        visibility TEXT NOT NULL CHECK (visibility IN ('private', 'team', 'public')),
        owner_id INTEGER REFERENCES users(id),
        hide_forecasts INTEGER NOT NULL DEFAULT 0
    )
    """,
    """
    CREATE TABLE recorded_by (
        row_table TEXT NOT NULL CHECK (row_table IN ('questions', 'forecasts', 'resolutions')),
        row_id INTEGER NOT NULL,
        user_id INTEGER NOT NULL REFERENCES users(id),
        PRIMARY KEY (row_table, row_id)
    )
    """,
    "CREATE TABLE server_settings (name TEXT PRIMARY KEY, value TEXT NOT NULL)",
]


@migration
def m0005_accounts(db):
    for statement in ACCOUNTS_V5:
        db.execute(statement)


# Corrections. A mistake is corrected by a new record that says what it corrects and why, never
# by an edit: a forecast retracted (or the retraction taken back), a question amended (text,
# criteria, resolution date, tags), a forecast given to the right forecaster, a forecaster
# renamed, merged into another (or the merge undone). Each is chained like every other record
# (hash_chain is rebuilt to accept the new table); the latest record of each kind stands.
# ``changes`` is JSON: {"field": [before, after], ...} for amendments and renames.
CORRECTIONS_V6 = [
    """
    CREATE TABLE corrections (
        id INTEGER PRIMARY KEY,
        action TEXT NOT NULL CHECK (action IN ('retract', 'unretract', 'amend', 'reassign',
                                               'rename', 'merge', 'unmerge')),
        forecast_id INTEGER REFERENCES forecasts(id),
        question_id INTEGER REFERENCES questions(id),
        forecaster_id INTEGER REFERENCES forecasters(id),
        into_forecaster_id INTEGER REFERENCES forecasters(id),
        changes TEXT,
        reason TEXT NOT NULL CHECK (length(trim(reason)) > 0),
        author TEXT,
        recorded TEXT NOT NULL,
        hash TEXT
    )
    """,
    "CREATE INDEX corrections_by_forecast ON corrections (forecast_id, id)",
    "CREATE INDEX corrections_by_question ON corrections (question_id, id)",
    "CREATE INDEX corrections_by_forecaster ON corrections (forecaster_id, id)",
] + [
    f"""
    CREATE TRIGGER corrections_no_{action.lower()} BEFORE {action} ON corrections
    BEGIN SELECT RAISE(ABORT, 'corrections are append-only: record a new correction instead');
    END
    """
    for action in ("UPDATE", "DELETE")
] + [
    "DROP TRIGGER hash_chain_no_update",
    "DROP TRIGGER hash_chain_no_delete",
    """
    CREATE TABLE hash_chain_v6 (
        seq INTEGER PRIMARY KEY,
        row_table TEXT NOT NULL
            CHECK (row_table IN ('forecasters', 'sources', 'questions', 'forecasts',
                                 'resolutions', 'corrections')),
        row_id INTEGER NOT NULL,
        hash TEXT NOT NULL,
        UNIQUE (row_table, row_id)
    )
    """,
    "INSERT INTO hash_chain_v6 (seq, row_table, row_id, hash)"
    " SELECT seq, row_table, row_id, hash FROM hash_chain ORDER BY seq",
    "DROP TABLE hash_chain",
    "ALTER TABLE hash_chain_v6 RENAME TO hash_chain",
] + [
    f"""
    CREATE TRIGGER hash_chain_no_{action.lower()} BEFORE {action} ON hash_chain
    BEGIN SELECT RAISE(ABORT, 'hash_chain is append-only'); END
    """
    for action in ("UPDATE", "DELETE")
]

# The latest state after the corrections, for plain-SQL readers: a question's current text,
# criteria and resolution date; a forecaster's current name and the forecaster it now counts as
# (a merge always points at one that stands on its own); a forecast's current forecaster and
# whether it is retracted. The score views read these, so a retracted forecast is not scored.
def _latest_change(field, where):
    return (f"(SELECT json_extract(c.changes, '$.{field}[1]') FROM corrections c"
            f" WHERE {where} AND json_type(c.changes, '$.{field}') IS NOT NULL"
            " ORDER BY c.id DESC LIMIT 1)")


CURRENT_VIEWS_V6 = [
    f"""
    CREATE VIEW current_questions AS
    SELECT q.id, q.slug,
           coalesce({_latest_change("text", "c.question_id = q.id AND c.action = 'amend'")},
                    q.text) AS text,
           q.kind, q.opens,
           CASE WHEN EXISTS (SELECT 1 FROM corrections c WHERE c.question_id = q.id
                    AND c.action = 'amend' AND json_type(c.changes, '$.resolves') IS NOT NULL)
                THEN {_latest_change("resolves", "c.question_id = q.id AND c.action = 'amend'")}
                ELSE q.resolves END AS resolves,
           CASE WHEN EXISTS (SELECT 1 FROM corrections c WHERE c.question_id = q.id
                    AND c.action = 'amend' AND json_type(c.changes, '$.criteria') IS NOT NULL)
                THEN {_latest_change("criteria", "c.question_id = q.id AND c.action = 'amend'")}
                ELSE q.criteria END AS criteria,
           q.created
    FROM questions q
    """,
    f"""
    CREATE VIEW current_forecasters AS
    SELECT fr.id,
           coalesce({_latest_change("name", "c.forecaster_id = fr.id AND c.action = 'rename'")},
                    fr.name) AS name,
           fr.kind, fr.role, fr.created,
           coalesce((SELECT c.into_forecaster_id FROM corrections c
                     WHERE c.forecaster_id = fr.id AND c.action IN ('merge', 'unmerge')
                     ORDER BY c.id DESC LIMIT 1), fr.id) AS counts_as
    FROM forecasters fr
    """,
    """
    CREATE VIEW current_forecasts AS
    SELECT f.*,
           (SELECT cf.counts_as FROM current_forecasters cf WHERE cf.id = coalesce(
              (SELECT c.into_forecaster_id FROM corrections c
               WHERE c.forecast_id = f.id AND c.action = 'reassign'
               ORDER BY c.id DESC LIMIT 1), f.forecaster_id)) AS current_forecaster_id,
           coalesce((SELECT c.action = 'retract' FROM corrections c
                     WHERE c.forecast_id = f.id AND c.action IN ('retract', 'unretract')
                     ORDER BY c.id DESC LIMIT 1), 0) AS retracted
    FROM forecasts f
    """,
]

# The score views of migrations 0003 and 0004 over the corrected state: a retracted forecast is
# never scored (its hindsight column says 'retracted'), names and texts are the corrected ones.
HINDSIGHT_V6 = """
    CASE
      WHEN d.retracted THEN 'retracted'
      WHEN d.outcome IS NULL THEN NULL
      WHEN d.made >= min(coalesce(d.resolves, d.resolved), d.resolved)
        THEN 'made on or after the resolution date'
      WHEN d.recorded > (SELECT min(r.recorded) FROM resolutions r
                         WHERE r.question_id = d.question_id)
           AND (SELECT fr.kind FROM forecasters fr WHERE fr.id = d.forecaster_id)
               NOT IN ('baseline', 'aggregate')
        THEN 'recorded after the question was resolved'
    END"""

VIEWS_V6 = [
    "DROP VIEW forecaster_scores",
    "DROP VIEW counted_forecast_scores",
    "DROP VIEW forecast_scores",
    "DROP VIEW forecast_details",
    """
    CREATE VIEW forecast_details AS
    SELECT f.id AS forecast_id, q.id AS question_id, q.slug, q.text AS question, q.kind,
           fr.name AS forecaster, f.made, f.recorded,
           f.p_ppm / 1000000.0 AS probability, f.p_text, f.verbal, f.scale, f.quote,
           s.url AS source_url, s.outlet AS source_outlet,
           q.resolves, cr.outcome, cr.resolved, f.retracted, fr.id AS forecaster_id
    FROM current_forecasts f
    JOIN current_questions q ON q.id = f.question_id
    JOIN current_forecasters fr ON fr.id = f.current_forecaster_id
    LEFT JOIN sources s ON s.id = f.source_id
    LEFT JOIN current_resolutions cr ON cr.question_id = q.id
    """,
    f"""
    CREATE VIEW forecast_scores AS
    SELECT d.*, {HINDSIGHT_V6} AS hindsight,
      CASE
        WHEN d.outcome IS NULL OR d.outcome IN ('ambiguous', 'annulled') THEN NULL
        WHEN {HINDSIGHT_V6} IS NOT NULL THEN NULL
        WHEN d.kind = 'binary' THEN
          (d.probability - (d.outcome = 'yes')) * (d.probability - (d.outcome = 'yes'))
        ELSE 0.5 * (
          SELECT sum((fo.p_ppm / 1000000.0 - (fo.option_id = cr.option_id))
                   * (fo.p_ppm / 1000000.0 - (fo.option_id = cr.option_id)))
          FROM forecast_options fo JOIN current_resolutions cr ON cr.question_id = d.question_id
          WHERE fo.forecast_id = d.forecast_id)
      END AS brier
    FROM forecast_details d
    """,
] + VIEWS_V2


@migration
def m0006_corrections(db):
    for statement in CORRECTIONS_V6 + CURRENT_VIEWS_V6 + VIEWS_V6:
        db.execute(statement)


# The schema this version writes, in order: a database with exactly these is opened with sqlite3
# alone (reads load neither sqlite-utils nor the migration set).
KNOWN_MIGRATIONS = tuple(migration_name(function) for function in MIGRATIONS)
