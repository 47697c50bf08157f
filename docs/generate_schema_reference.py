"""Write docs/schema.md from the real schema (the migrations applied to an empty database):
python docs/generate_schema_reference.py"""

import textwrap
from pathlib import Path

from forecasts.store import Store

REFERENCE = Path(__file__).with_name("schema.md")

# What each table and view is for; a table without an entry is still listed, with its columns.
DESCRIPTIONS = {
    "forecasters": "People, organisations, crowds and baselines who make forecasts. The name is "
                   "unique ignoring case.",
    "sources": "Where forecasts were published: an article's URL, outlet, title, date, author.",
    "questions": "Resolvable events in positive form. `slug` is the question's id in commands "
                 "and in the interchange format; `opens` is when it was first asked, `resolves` "
                 "its deadline.",
    "options": "The options of a multiple-choice question, in order.",
    "tags": "Tag names (unique ignoring case).",
    "question_tags": "Which question has which tag.",
    "forecasts": "Append-only: one row per forecast; an update is a new row. A yes/no forecast "
                 "holds its probability in `p_ppm`; a multiple-choice one in forecast_options.",
    "forecast_options": "A multiple-choice forecast's probability for each option.",
    "resolutions": "Append-only history of outcomes; the latest row of a question stands, "
                   "earlier rows are the corrections' history.",
    "hash_chain": "Tamper evidence: each record's hash, chained to the previous entry's.",
    "_sqlite_migrations": "The schema migrations applied to this database (sqlite-utils).",
    "current_resolutions": "The standing (latest) resolution of each resolved question.",
    "forecast_details": "One readable row per forecast: question, forecaster, probability, "
                        "quote, source and the question's current outcome.",
    "forecast_scores": "forecast_details with each forecast's Brier score (0-1 scale; "
                       "multiple choice: the Brier 1950 sum halved), null while the question is "
                       "open, void (ambiguous or annulled) or when the forecast cannot count.",
    "counted_forecast_scores": "The forecasts `forecasts score` counts: each forecaster's "
                               "latest scored forecast on each question.",
    "forecaster_scores": "Questions scored and mean Brier per forecaster, best first.",
}

COLUMN_NOTES = {
    ("forecasters", "kind"): "person, organisation, crowd, baseline, self or synthetic",
    ("forecasters", "name"): "unique ignoring case",
    ("sources", "url"): "unique; a source without one is known by its title",
    ("questions", "slug"): "unique id, as in `forecasts show SLUG`",
    ("questions", "text"): "the event, in positive and resolvable form",
    ("questions", "kind"): "binary or multiple_choice",
    ("questions", "opens"): "date it was first asked",
    ("questions", "resolves"): "resolution date (the deadline)",
    ("questions", "criteria"): "how it resolves",
    ("questions", "created"): "UTC time it was entered",
    ("options", "position"): "order of the option, from 0",
    ("forecasts", "made"): "date the forecast was made (YYYY-MM-DD)",
    ("forecasts", "recorded"): "UTC time it was entered",
    ("forecasts", "p_ppm"): "probability of yes in parts per million (null for multiple choice)",
    ("forecasts", "p_text"): "the probability as typed",
    ("forecasts", "verbal"): "the words, when the probability was given in words",
    ("forecasts", "scale"): "the verbal-probability scale that read the words",
    ("forecasts", "quote"): "the forecaster's verbatim words",
    ("forecast_options", "p_ppm"): "probability of this option in parts per million",
    ("resolutions", "outcome"): "yes, no, an option label, ambiguous or annulled",
    ("resolutions", "option_id"): "the option that happened (multiple choice)",
    ("resolutions", "resolved"): "date the outcome became known",
    ("resolutions", "recorded"): "UTC time it was entered",
}


def _rows(db, sql, params=()):
    return db.execute(sql, params).fetchall()


def _column_table(db, name):
    lines = ["| column | type | not null | default | key | notes |",
             "|---|---|---|---|---|---|"]
    references = {row[3]: f"{row[2]}({row[4]})"
                  for row in _rows(db, f'PRAGMA foreign_key_list("{name}")')}
    for _, column, kind, notnull, default, pk in _rows(db, f'PRAGMA table_info("{name}")'):
        key = "primary key" if pk else references.get(column, "")
        if pk and column in references:
            key += f", {references[column]}"
        note = COLUMN_NOTES.get((name, column), "")
        lines.append(f"| `{column}` | {kind or ''} | {'yes' if notnull else ''} | "
                     f"{'' if default is None else f'`{default}`'} | {key} | {note} |")
    return lines


def _sql(text):
    """A view's SQL as written in its migration, without the migration's indentation."""
    first, _, rest = text.strip().partition("\n")
    return (first + "\n" + textwrap.dedent(rest)).strip()


def schema_reference():
    """The Markdown description of every table, view, trigger and index."""
    store = Store.open(":memory:")
    db = store.db.conn
    migrations = [r[0] for r in _rows(db, "SELECT name FROM _sqlite_migrations ORDER BY rowid")]
    objects = _rows(db, "SELECT type, name, tbl_name, sql FROM sqlite_master"
                        " WHERE name NOT LIKE 'sqlite_%' ORDER BY rowid")
    parts = ["# Database schema\n",
             "Generated from the migrations by `docs/generate_schema_reference.py`; a test fails "
             "when it is out of date.\n",
             "The database is plain SQLite: open it with Datasette (`datasette predictions.db`) "
             "or the sqlite-utils CLI (`sqlite-utils tables predictions.db --counts`, "
             "`sqlite-utils predictions.db \"select * from forecaster_scores\"`). Dates are "
             "`YYYY-MM-DD` text, times ISO 8601 UTC text, probabilities integer parts per "
             "million.\n",
             "Migrations: " + ", ".join(f"`{m}`" for m in migrations) + ".\n"]
    for kind, heading in (("table", "Tables"), ("view", "Views")):
        parts.append(f"## {heading}\n")
        for object_kind, name, _, sql in objects:
            if object_kind != kind:
                continue
            parts.append(f"### {name}\n")
            if name in DESCRIPTIONS:
                parts.append(DESCRIPTIONS[name] + "\n")
            if kind == "table":
                parts.append("\n".join(_column_table(db, name)) + "\n")
            else:
                columns = [row[1] for row in _rows(db, f'PRAGMA table_info("{name}")')]
                parts.append("Columns: " + ", ".join(f"`{c}`" for c in columns) + ".\n")
                parts.append(f"```sql\n{_sql(sql)}\n```\n")
    parts.append("## Triggers\n")
    parts += [f"- `{name}` on `{table}`: `{' '.join(sql.split())}`"
              for kind, name, table, sql in objects if kind == "trigger"]
    parts.append("\n## Indexes\n")
    parts += [f"- `{name}` on `{table}`: `{' '.join(sql.split())}`"
              for kind, name, table, sql in objects if kind == "index" and sql]
    store.close()
    return "\n".join(parts) + "\n"


if __name__ == "__main__":
    REFERENCE.write_text(schema_reference(), encoding="utf-8")
    print(f"wrote {REFERENCE.name}")
