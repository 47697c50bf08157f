"""The interchange format's CSV layout (one row per forecast, ``CSV_COLUMNS``: for
spreadsheets and bulk entry), and exports in either layout, written as they are read.

Example::

    >>> import io
    >>> from forecasts.store import Store
    >>> out = io.BytesIO()
    >>> write_export(Store.open(":memory:"), out, "csv")
    0
    >>> out.getvalue().decode().split(",")[:3]
    ['question_id', 'question', 'kind']
"""

import csv
import io
import itertools
import json
import re

from . import files, tracker
from .errors import NotFound
from .interchange import (
    InterchangeError,
    _clean,
    _date,
    _no_constant,
    _probability,
    _same,
    load_records,
    refuse_future_date,
)
from .interchange_export import JSON_ENCODER, _json_texts, export_lines
from .output import QUOTED_STARTS
from .store import slugify
from .tracker import BINARY_OUTCOMES

# --- CSV ----------------------------------------------------------------------------------------

# One row per forecast. Lists and mappings are JSON; `brier` and `counted` are computed (and
# ignored by the CSV import).
CSV_COLUMNS = ["question_id", "question", "kind", "options", "tags", "opens", "resolves",
               "criteria", "forecaster", "made", "recorded", "probability", "probabilities",
               "input", "verbal", "scale", "quote", "source", "outcome", "resolved", "evidence",
               "brier", "counted"]
COMPUTED_COLUMNS = {"brier", "counted"}

# A cell may be as long as an article (a quote, criteria): what export writes, import reads, past
# the csv module's default of 131,072 characters.
csv.field_size_limit(max(csv.field_size_limit(), files.MAX_ARTICLE_BYTES))


def _json_cell(value):
    return JSON_ENCODER.encode(value)


def csv_rows(store):
    """Every forecast as a CSV row (a list in ``CSV_COLUMNS`` order), with the Brier score from
    the ``forecast_scores`` view where the forecast is scored, and whether ``score`` counts it;
    read as they are wanted."""
    with store.snapshot():
        options, tags = store.export_question_lists()
        for row in store.export_forecast_scores():
            labels = options.get(row.question_id)
            yield [
                row.slug, row.question, row.kind, _json_texts(labels) if labels else None,
                _json_texts(tags.get(row.question_id, ())), row.opens, row.resolves,
                row.criteria, row.forecaster, row.made, row.recorded, row.probability,
                _json_cell({label: _probability(ppm) for label, ppm, _ in row.probabilities})
                if row.probabilities else None,
                row.p_text, row.verbal, row.scale, row.quote,
                row.source_url or row.source_title, row.outcome, row.resolved,
                row.evidence if row.outcome else None,
                round(row.brier, 12) if row.brier is not None else None,
                "yes" if row.counted else "no",
            ]


class _Echo:
    """What csv.writer writes to when the line is wanted back: ``writerow`` returns it."""

    def write(self, line):
        return line


def csv_lines(rows):
    """The header and ``rows`` as lines of CSV, every text cell made safe for a spreadsheet
    (as ``output.spreadsheet_safe`` does, a row at a time: a large export has millions of cells)."""
    writer = csv.writer(_Echo(), lineterminator="\n")
    yield writer.writerow(CSV_COLUMNS)
    for row in rows:
        yield writer.writerow([  # None is written as ""
            ("'" + cell if cell.startswith(QUOTED_STARTS) else cell) if type(cell) is str
            else _not_bytes(cell) for cell in row])


def _not_bytes(cell):
    """A cell that is not text, refused when it is a BLOB written outside forecasts (the csv
    module would write its Python repr)."""
    if type(cell) is bytes:
        raise TypeError("a BLOB where text belongs")
    return cell


def write_csv(rows, out):
    """Write the header and ``rows`` to ``out``, every text cell made safe for a spreadsheet."""
    out.writelines(csv_lines(rows))


def _unescape(cell):
    """Undo ``spreadsheet_safe``: drop the quote it puts before a formula character."""
    if cell.startswith("'") and cell[1:].startswith(QUOTED_STARTS):
        return cell[1:]
    return cell


def _json_or_none(cell, what, kind):
    if not cell:
        return None
    try:
        value = json.loads(cell, parse_int=files.bounded_int, parse_constant=_no_constant)
    except (ValueError, RecursionError):
        raise ValueError(f"'{what}' is not valid JSON") from None
    if not isinstance(value, kind):
        raise ValueError(f"'{what}' must be a JSON {'list' if kind is list else 'object'}")
    return value


class CsvReader:
    """Turns CSV rows (``CSV_COLUMNS``; see the README) into interchange records."""

    def __init__(self, store, decimal_comma=False):
        self.store = store
        self.decimal_comma = decimal_comma
        self.slug_of_text = {}
        self.seen_questions = set()
        self.seen_resolutions = set()
        self.question_rows = {}  # slug -> (label, text, resolves) of the row that gave it first
        self.outcome_rows = {}  # slug -> (label, outcome, resolved) of its first resolved row

    def _slug(self, row):
        if row.get("question_id"):
            return row["question_id"].strip().lower()
        text = _clean(row.get("question") or "")
        if not text:
            raise ValueError("each row needs 'question' (its text) or 'question_id'")
        if text.lower() in self.slug_of_text:
            return self.slug_of_text[text.lower()]
        existing = self.store.find_question_by_text(text)
        if existing:
            slug = existing["slug"]
        else:
            base, slug, n = slugify(text), slugify(text), 1
            while slug in self.slug_of_text.values() or self._slug_taken(slug):
                n += 1
                slug = f"{base}-{n}"
        self.slug_of_text[text.lower()] = slug
        return slug

    def _slug_taken(self, slug):
        try:
            self.store.find_question(slug)
        except NotFound:
            return False
        return True

    def _check_question(self, slug, row, label):
        """Refuse a row that gives its question another text or resolution date than the row
        that gave it first: one of the two would be dropped without a word."""
        text, resolves = _clean(row["question"]).lower(), row.get("resolves") or None
        first = self.question_rows.setdefault(slug, (label, text, resolves))
        if text != first[1]:
            raise ValueError(f"question id '{slug}' has other text on {first[0]}")
        if resolves and first[2] and resolves != first[2]:
            raise ValueError(f"question '{slug}' resolves {first[2]} on {first[0]}, {resolves} "
                             "here")

    def _standing_resolution(self, slug):
        """The database's current (outcome, resolved) of question ``slug``, or None."""
        try:
            question = self.store.find_question(slug)
        except NotFound:
            return None
        current = self.store.current_resolution(question["id"])
        return (current["outcome"].lower(), current["resolved"]) if current else None

    def _check_outcome(self, slug, row, label):
        """Refuse a row whose outcome (or its date) differs from an earlier row's or from the
        database's: one row must not quietly change how a question resolved; `forecasts resolve
        --correct` records such a change."""
        word = " ".join(row["outcome"].split()).lower()
        outcome, resolved = BINARY_OUTCOMES.get(word, word), _date(row, "resolved")
        first = self.outcome_rows.setdefault(slug, (label, outcome, resolved))
        if (outcome, resolved) != first[1:]:
            raise ValueError(f"this row resolves '{slug}' as {outcome} on {resolved}, but "
                             f"{first[0]} resolves it as {first[1]} on {first[2]}")
        standing = self._standing_resolution(slug) if first[0] == label else None
        if standing and standing != (outcome, resolved):
            raise ValueError(f"'{slug}' is resolved as {standing[0]} on {standing[1]} in the "
                             f"database, and this row says {outcome} on {resolved}: record a "
                             f"change with `forecasts resolve {slug} {outcome} --correct`")

    def records(self, row, label="this row"):
        """The records one CSV row (on ``label``) stands for: its question (the first time it
        appears), the forecast, and its resolution (the first time that appears)."""
        slug = self._slug(row)
        if row.get("question"):
            self._check_question(slug, row, label)
        if row.get("outcome"):
            self._check_outcome(slug, row, label)
        probabilities = _json_or_none(row.get("probabilities"), "probabilities", dict)
        options = _json_or_none(row.get("options"), "options", list)
        if slug not in self.seen_questions and row.get("question"):
            self.seen_questions.add(slug)
            kind = row.get("kind") or ("multiple_choice" if options or probabilities
                                       else "binary")
            tags = row.get("tags") or ""
            tags = (_json_or_none(tags, "tags", list) if tags.startswith("[")
                    else [t for t in tags.split(";") if t.strip()])
            question = {"type": "question", "id": slug, "text": row["question"], "kind": kind,
                        "opens": row.get("opens") or None,
                        "resolves": row.get("resolves") or None,
                        "criteria": row.get("criteria") or None, "tags": tags}
            if kind == "multiple_choice":
                question["options"] = options or list(probabilities or {})
            yield question
        forecast = {"type": "forecast", "question": slug, "by": row.get("forecaster"),
                    "made": row.get("made")}
        for key in ("recorded", "input", "verbal", "scale", "quote", "source"):
            if row.get(key):
                forecast[key] = row[key]
        if probabilities is not None:
            forecast["probs"] = probabilities
        elif row.get("probability"):
            if self.decimal_comma and re.fullmatch(r"\s*\d*,\d+\s*%?\s*", row["probability"]):
                row["probability"] = row["probability"].replace(",", ".")
            try:
                forecast["p"] = float(row["probability"])
            except ValueError:
                forecast.setdefault("input", row["probability"])
        yield forecast
        if row.get("outcome"):
            resolution = {"type": "resolution", "question": slug, "outcome": row["outcome"],
                          "resolved": row.get("resolved"), "evidence": row.get("evidence") or None}
            key = (slug, row["outcome"].lower(), row.get("resolved"), resolution["evidence"])
            if key not in self.seen_resolutions:
                self.seen_resolutions.add(key)
                yield resolution


def csv_records(store, text):
    """``(label, record)`` pairs for CSV ``text``; labels name the line each row starts on.

    A header with semicolons and no commas is a spreadsheet's CSV in a language that writes
    decimal commas: its cells are split at semicolons, and a probability of 0,7 is 0.7.
    """
    first_line = text.split("\n", 1)[0]
    semicolons = ";" in first_line and "," not in first_line
    reader = csv.reader(io.StringIO(text, newline=""), delimiter=";" if semicolons else ",")
    try:
        header = [name.strip().lower() for name in next(reader)]
    except StopIteration:
        raise InterchangeError("the CSV file is empty; nothing was imported") from None
    unknown = [name for name in header if name not in CSV_COLUMNS]
    if unknown:
        raise InterchangeError(f"line 1: unknown column '{unknown[0]}' (the columns are "
                               f"{', '.join(CSV_COLUMNS)}); nothing was imported")
    for column in ("forecaster", "made"):
        if column not in header:
            raise InterchangeError(f"line 1: the CSV needs a '{column}' column; nothing was "
                                   "imported")
    rows = CsvReader(store, decimal_comma=semicolons)
    today = tracker.today().isoformat()
    start = 2
    while True:
        try:
            cells = next(reader)
        except StopIteration:
            return
        except csv.Error as error:
            raise InterchangeError(f"line {start}: {error}; nothing was imported") from None
        label, start = f"line {start}", reader.line_num + 1
        if not any(cell.strip() for cell in cells):
            continue
        if len(cells) != len(header):
            raise InterchangeError(f"{label}: {len(cells)} cells, but the header has "
                                   f"{len(header)}; nothing was imported")
        row = {name: _unescape(cell) for name, cell in zip(header, cells)
               if name not in COMPUTED_COLUMNS}
        try:
            records = list(rows.records(row, label))
            for record in records:
                refuse_future_date(record, today)
        except ValueError as error:
            raise InterchangeError(f"{label}: {error}; nothing was imported") from None
        for record in records:
            yield label, record


def load_csv(store, text, progress=_same):
    """Load CSV text (``CSV_COLUMNS``, one row per forecast) into ``store``, all or nothing."""
    records = list(csv_records(store, text))
    return load_records(store, records, len(records), progress)


# --- exporting ----------------------------------------------------------------------------------


WRITE_BATCH = 1000  # lines encoded and written together: one write a line costs as much again


def _write_lines(lines, out):
    """Write text ``lines`` to the binary stream ``out`` as UTF-8; returns how many."""
    lines, written = iter(lines), 0
    while batch := list(itertools.islice(lines, WRITE_BATCH)):
        out.write("".join(batch).encode("utf-8"))
        written += len(batch)
    return written


def write_export(store, out, fmt="jsonl", progress=_same):
    """Write the database to the binary stream ``out`` as UTF-8 JSON Lines or CSV, as it is
    read; returns how many records (or CSV rows) were written."""
    with store.snapshot():
        counts = store.export_counts()
        if fmt == "jsonl":
            return _write_lines(progress(export_lines(store), sum(counts.values())), out)
        rows = progress(csv_rows(store), counts["forecasts"])
        return _write_lines(csv_lines(rows), out) - 1  # the header is not a row


def export_file(store, path, fmt="jsonl", progress=_same, write=None):
    """Export to the file at ``path``, replacing it only once the whole export is written (never
    the database itself); ``write(out)``, when given, writes another format and returns how much
    it wrote."""
    return files.write_atomically(
        path, write or (lambda out: write_export(store, out, fmt, progress)),
        database=store.path, error=InterchangeError)



__all__ = ["CSV_COLUMNS", "csv_lines", "csv_records", "csv_rows", "export_file", "load_csv",
           "write_csv", "write_export"]
