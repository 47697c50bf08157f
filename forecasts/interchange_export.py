"""Writing JSON Lines, the native export: every row of the database as interchange records
(``export_records``) or as their lines (``export_lines``), in the order the hash chain recorded
them, so that export, import into an empty database and export again gives the same bytes.
``forecasts.interchange`` reads them back.

Example::

    >>> from forecasts.interchange import load_lines
    >>> from forecasts.store import Store
    >>> store = Store.open(":memory:")
    >>> lines = ['{"type": "question", "id": "rain", "text": "It rains"}',
    ...          '{"type": "forecast", "question": "rain", "by": "Al", "p": 0.7, "made": "2025-01-01"}']
    >>> _ = load_lines(store, lines)
    >>> [record["type"] for record in export_records(store)]
    ['question', 'forecaster', 'forecast']
"""

import heapq
import itertools
import json
import operator

from . import names
from .interchange import _probability

# A record names what it refers to: its question by slug, its forecaster by name, its source by
# URL or title. Those are written first, and ``names`` keeps what they are named by (see
# ``_in_export_order``): table -> id -> name. Every builder takes it, used or not.

def _source_record(s, names=None):
    return {"type": "source", "url": s.url, "outlet": s.outlet, "title": s.title,
            "published": s.published, "author": s.author}


def _forecaster_record(f, names=None, new_forecaster=False):
    """A forecaster; ``new_forecaster`` (written only when true) says that its name looks like
    a forecaster's written before it and was confirmed as someone else, so import takes it."""
    record = {"type": "forecaster", "name": f.name, "kind": f.kind, "role": f.role,
              "created": f.created}
    if new_forecaster:
        record["new_forecaster"] = True
    return record


def _confirming_lookalikes(write_forecaster):
    """``write_forecaster`` for one export, told ``new_forecaster`` for each forecaster whose
    name looks like one written before it: the database holds such a name only confirmed
    (``--new-forecaster``), and an import refuses it unconfirmed."""
    seen = set()

    def write(f, named):
        keys = names.lookalike_keys(f.name) if isinstance(f.name, str) else set()
        confirmed = not keys.isdisjoint(seen)
        seen.update(keys)
        return write_forecaster(f, named, confirmed)
    return write


def _question_record(q, names=None):
    record = {"type": "question", "id": q.slug, "text": q.text, "kind": q.kind}
    if q.kind == "multiple_choice":
        record["options"] = q.options
    record.update(opens=q.opens, resolves=q.resolves, criteria=q.criteria, tags=q.tags,
                  created=q.created)
    return record


def _forecast_record(f, names):
    record = {"type": "forecast", "question": names["questions"][f.question_id],
              "by": names["forecasters"][f.forecaster_id]}
    if f.options:
        record["probs"] = {label: _probability(ppm) for label, ppm, _ in f.options}
    else:
        record["p"] = _probability(f.p_ppm)
    record.update(made=f.made, recorded=f.recorded, quote=f.quote, verbal=f.verbal,
                  scale=f.scale, source=names["sources"].get(f.source_id), input=f.p_text)
    if f.options:
        record["inputs"] = {label: text for label, _, text in f.options}
    return record


def _resolution_record(r, names):
    return {"type": "resolution", "question": names["questions"][r.question_id],
            "outcome": r.outcome, "resolved": r.resolved, "evidence": r.evidence,
            "note": r.note, "recorded": r.recorded}


def _correction_record(c, names, decode=None):
    """A correction, naming what it corrects: a forecast by its question, forecaster, dates and
    probability; a question by its id; forecasters by name (``decode`` reads a name that a
    line export holds as JSON text)."""
    def name(table, row_id):
        value = names[table].get(row_id)
        return decode(value) if decode and value is not None else value

    record = {"type": "correction", "action": c.action}
    if c.forecast_id is not None:
        record["forecast"] = {
            "question": name("questions", c.forecast_question_id),
            "by": name("forecasters", c.forecast_forecaster_id), "made": c.forecast_made,
            "recorded": c.forecast_recorded,
            "p": None if c.forecast_p_ppm is None else _probability(c.forecast_p_ppm)}
    record.update(question=name("questions", c.question_id),
                  forecaster=name("forecasters", c.forecaster_id),
                  into=name("forecasters", c.into_forecaster_id),
                  changes=json.loads(c.changes) if c.changes else None, reason=c.reason,
                  author=c.author, recorded=c.recorded)
    return record


# json.dumps(..., ensure_ascii=False), made once; records are never circular
JSON_ENCODER = json.JSONEncoder(ensure_ascii=False, check_circular=False)


def json_line(record):
    """One record as a line of JSON (UTF-8 kept as it is, not escaped)."""
    return JSON_ENCODER.encode(record) + "\n"


# Questions, forecasts and resolutions are most of a large export, and a record dict and
# json.dumps for each take twice as long as the rest of it: their lines are written from the row,
# the same text as json_line of their record (tests/test_export.py checks this). Text columns
# hold text (or NULL, where they may): JSON_TEXT writes it as the encoder does. A BLOB written
# outside forecasts fails here, as it fails in json.dumps.
JSON_TEXT = json.encoder.encode_basestring
NULL = "null"


def _json_texts(texts):
    """A list of text as JSON."""
    return "[" + ", ".join(map(JSON_TEXT, texts)) + "]"


def _question_line(q, names=None):
    """``json_line(_question_record(q))``, written directly."""
    options = (f'"options": {_json_texts(q.options)}, ' if q.kind == "multiple_choice"
               else "")
    return (
        f'{{"type": "question", "id": {JSON_TEXT(q.slug)}, "text": {JSON_TEXT(q.text)}, '
        f'"kind": {JSON_TEXT(q.kind)}, {options}'
        f'"opens": {NULL if q.opens is None else JSON_TEXT(q.opens)}, '
        f'"resolves": {NULL if q.resolves is None else JSON_TEXT(q.resolves)}, '
        f'"criteria": {NULL if q.criteria is None else JSON_TEXT(q.criteria)}, '
        f'"tags": {_json_texts(q.tags)}, "created": {JSON_TEXT(q.created)}}}\n')


def _forecast_line(f, names):
    """``json_line(_forecast_record(f, names))``, ``names`` written as JSON text."""
    if f.options:
        probability = '"probs": ' + JSON_ENCODER.encode(
            {label: _probability(ppm) for label, ppm, _ in f.options})
        inputs = ', "inputs": ' + JSON_ENCODER.encode(
            {label: text for label, _, text in f.options})
    else:
        # an integer over a million is a finite float, which json.dumps writes as repr does
        probability = (f'"p": {_probability(f.p_ppm)!r}' if type(f.p_ppm) is int
                       else '"p": ' + JSON_ENCODER.encode(_probability(f.p_ppm)))
        inputs = ""
    source = names["sources"].get(f.source_id)
    return (
        f'{{"type": "forecast", "question": {names["questions"][f.question_id]}, '
        f'"by": {names["forecasters"][f.forecaster_id]}, {probability}, '
        f'"made": {JSON_TEXT(f.made)}, "recorded": {JSON_TEXT(f.recorded)}, '
        f'"quote": {NULL if f.quote is None else JSON_TEXT(f.quote)}, '
        f'"verbal": {NULL if f.verbal is None else JSON_TEXT(f.verbal)}, '
        f'"scale": {NULL if f.scale is None else JSON_TEXT(f.scale)}, '
        f'"source": {NULL if source is None else source}, '
        f'"input": {JSON_TEXT(f.p_text)}{inputs}}}\n')


def _resolution_line(r, names):
    """``json_line(_resolution_record(r, names))``, ``names`` written as JSON text."""
    return (
        f'{{"type": "resolution", "question": {names["questions"][r.question_id]}, '
        f'"outcome": {JSON_TEXT(r.outcome)}, "resolved": {JSON_TEXT(r.resolved)}, '
        f'"evidence": {NULL if r.evidence is None else JSON_TEXT(r.evidence)}, '
        f'"note": {NULL if r.note is None else JSON_TEXT(r.note)}, '
        f'"recorded": {JSON_TEXT(r.recorded)}}}\n')


EXPORT_TABLES = ("sources", "forecasters", "questions", "forecasts", "resolutions",
                 "corrections")
RECORD_OF = {"sources": _source_record, "forecasters": _forecaster_record,
             "questions": _question_record, "forecasts": _forecast_record,
             "resolutions": _resolution_record, "corrections": _correction_record}


def _corrections_line(c, names):
    """A correction's line (``names`` are JSON text in a line export)."""
    return json_line(_correction_record(c, names, decode=json.loads))


LINE_OF = {"sources": lambda s, names: json_line(_source_record(s)),
           "forecasters": lambda f, names, new_forecaster: json_line(
               _forecaster_record(f, new_forecaster=new_forecaster)),
           "questions": _question_line, "forecasts": _forecast_line,
           "resolutions": _resolution_line, "corrections": _corrections_line}
# What a row refers to, and so must come before it: the table, and the row's column with its id.
REFERENCES = {"forecasts": (("questions", "question_id"), ("forecasters", "forecaster_id"),
                            ("sources", "source_id")),
              "resolutions": (("questions", "question_id"),),
              "corrections": (("questions", "question_id"), ("forecasters", "forecaster_id"),
                              ("forecasters", "into_forecaster_id"),
                              ("questions", "forecast_question_id"),
                              ("forecasters", "forecast_forecaster_id"))}
# What the records that refer to a row name it by, and the lines by (that as JSON text).
NAME_OF = {"sources": lambda s: s.url or s.title, "forecasters": operator.attrgetter("name"),
           "questions": operator.attrgetter("slug")}


def _json_name(name_of):
    def json_name(row):
        name = name_of(row)
        return None if name is None else JSON_TEXT(name)
    return json_name


JSON_NAME_OF = {table: _json_name(name_of) for table, name_of in NAME_OF.items()}


def _in_export_order(store, write, name_of):
    """``write[table](row, names)`` for every row an export writes, in its order: the order the
    hash chain recorded them, what a row refers to coming first (read out of turn if the chain
    has it later, or not at all), then the rows the chain does not hold, table by table.
    ``names`` holds what the rows written so far are named by (``name_of[table](row)``).

    The rows are read a chunk at a time, each table in chain order: besides the rows being read,
    only the names of the sources, forecasters and questions already written are held.
    """
    # A forecast or resolution whose question or forecaster is missing is not read at all; a
    # missing source is named None.
    names = {table: {} for table in name_of}
    write = dict(write, forecasters=_confirming_lookalikes(write["forecasters"]))

    def in_order(rows, in_chain=None):
        for row, table in rows:
            if in_chain is not None:
                in_chain[table] += 1
            named = names.get(table)
            if named is not None:
                if row.id in named:  # written already, as what a row refers to
                    continue
                named[row.id] = name_of[table](row)
            else:
                for referred, column in REFERENCES[table]:
                    referred_id = getattr(row, column)
                    if referred_id is not None and referred_id not in names[referred]:
                        referred_row = store.export_row(referred, referred_id)
                        if referred_row is None:
                            names[referred][referred_id] = None
                        else:
                            names[referred][referred_id] = name_of[referred](referred_row)
                            yield write[referred](referred_row, names)
            yield write[table](row, names)

    def tagged(rows, table):
        return zip(rows, itertools.repeat(table))

    def passes():
        with store.snapshot():
            # Each table's rows come in chain order: merged, they are in the chain's order
            # (compared on their place in the chain, seq, which comes first and is unique).
            in_chain = dict.fromkeys(EXPORT_TABLES, 0)
            yield in_order(heapq.merge(*(tagged(store.export_in_chain_order(table), table)
                                         for table in EXPORT_TABLES)), in_chain)
            for table, count in store.export_counts().items():
                if in_chain[table] < count:  # rows the chain does not hold, or left out
                    yield in_order(tagged(store.export_outside_chain(table), table))

    return itertools.chain.from_iterable(passes())


def export_records(store):
    """Every row of the database as interchange records, with every field, in the order the
    hash chain recorded them (what a record refers to always comes first), then the rows the
    chain does not hold. Imported into an empty database, they are recorded in the same order,
    with the same ids and the same chain. Read as they are wanted: see ``_in_export_order``.
    """
    return _in_export_order(store, RECORD_OF, NAME_OF)


def export_lines(store):
    """``json_line`` of each of ``export_records(store)``, as it is wanted."""
    return _in_export_order(store, LINE_OF, JSON_NAME_OF)


__all__ = ["JSON_ENCODER", "export_lines", "export_records", "json_line"]
