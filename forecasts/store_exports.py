"""The store's reads for export: every table in the order its records were chained, read in
chunks as named tuples so a million records fit in memory.

``ExportReads`` is a part of :class:`forecasts.store.Store` (its methods use the store's
connection), kept apart from the reads the commands use one record at a time.

Example::

    >>> from forecasts.store import Store
    >>> Store.open(":memory:").export_counts()["questions"]
    0
"""

import collections
import functools
import itertools

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
    # a correction names the forecast it corrects by that forecast's question, forecaster, dates
    # and probability: ids differ from one database to the next
    "corrections": ("t.id, t.action, t.question_id, t.forecaster_id, t.into_forecaster_id,"
                    " t.changes, t.reason, t.author, t.recorded, t.forecast_id,"
                    " f.question_id AS forecast_question_id,"
                    " f.forecaster_id AS forecast_forecaster_id, f.made AS forecast_made,"
                    " f.recorded AS forecast_recorded, f.p_ppm AS forecast_p_ppm",
                    " LEFT JOIN forecasts f ON f.id = t.forecast_id"),
}
EXPORT_CHUNK = 500  # rows an export reads at a time (and looks their options and tags up for)


@functools.lru_cache(maxsize=32)
def _row_type(name, columns):
    """A named tuple type for rows of ``columns``: a million of them cost a fifth of dicts."""
    return collections.namedtuple(name, columns)


class ExportReads:
    """The export reads of a Store."""

    def all_sources(self):
        return self._all("SELECT * FROM sources ORDER BY id")

    def all_forecasters(self):
        return self._all("SELECT * FROM forecasters ORDER BY id")

    def resolved_question_ids(self):
        """The ids of the questions with a resolution recorded."""
        return {qid for qid, in self.conn.execute("SELECT DISTINCT question_id FROM resolutions")}

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

        >>> from forecasts.store import Store
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
