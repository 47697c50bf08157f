"""The store's reads for scoring: every counted forecast on the resolved questions, read in one
pass into numpy columns (``scored_columns``) or as rows (``scored_forecasts``).

``ScoreReads`` is a part of :class:`forecasts.store.Store` (its methods use the store's
connection); it is kept apart because it is the one read the speed of every report rests on.

Example::

    >>> from forecasts.store import Store
    >>> store = Store.open(":memory:")
    >>> store.scored_columns()["p_ppm"].size
    0
"""

import contextlib
import json

from .errors import StorageError


def _positions(ids):
    """A table from id to position in ``ids`` (distinct non-negative integers): look many ids
    up with one index operation."""
    import numpy as np

    table = np.full(int(ids.max(initial=-1)) + 1, -1, dtype=np.int64)
    table[ids] = np.arange(ids.size)
    return table


class ScoreReads:
    """The scoring reads of a Store."""

    @contextlib.contextmanager
    def _resolved_questions(self, tag=None, since=None, until=None, questions=None):
        """A temporary table of the resolved questions (with a tag, resolved between two dates,
        among the ids ``questions`` when given):
        each one's current outcome, its cutoff (the earlier of its resolution date and the date
        the outcome became known) and when its first resolution was recorded."""
        where, params = [], []
        if tag:
            where.append("r.question_id IN (SELECT qt.question_id FROM question_tags qt"
                         " JOIN tags t ON t.id = qt.tag_id WHERE t.name = ?)")
            params.append(tag)
        if questions is not None:
            where.append("r.question_id IN (SELECT value FROM json_each(?))")
            params.append(json.dumps(sorted(questions)))
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
              void INTEGER, known TEXT)""")
        try:
            self.conn.execute(f"""
                INSERT INTO temp.resolved_questions
                SELECT r.question_id, q.kind, q.opens, r.outcome, r.option_id,
                       min(coalesce(q.resolves, r.resolved), r.resolved), m.first_recorded,
                       r.outcome IN ('ambiguous', 'annulled'), r.resolved
                FROM (SELECT question_id, max(id) AS id, min(recorded) AS first_recorded
                      FROM resolutions GROUP BY question_id) m
                JOIN resolutions r ON r.id = m.id
                JOIN {self._questions_view()} q ON q.id = r.question_id
                {"WHERE " + " AND ".join(where) if where else ""}""", params)
            yield
        finally:
            self.conn.execute("DROP TABLE IF EXISTS temp.resolved_questions")

    def _integers(self, expressions, sql, params=()):
        """Integer ``expressions`` (never null) over the rows of ``sql`` (a FROM clause) as numpy
        arrays, in the order the rows come. Each column travels as one group_concat text: a
        Python object per value would cost several times what SQLite takes to produce it."""
        import numpy as np

        texts = list(self.conn.execute(
            f"SELECT {', '.join(f'group_concat({e})' for e in expressions)} {sql}", params
        ).fetchone())
        columns = []
        for n, text in enumerate(texts):
            texts[n] = None  # each text let go once read: a million numbers are 8 MB of text
            columns.append(np.fromstring(text, dtype=np.int64, sep=",") if text else
                           np.empty(0, dtype=np.int64))
        return columns

    def scored_columns(self, forecaster=None, tag=None, since=None, until=None,
                       latest_only=True, dates=False, text=False, questions=None,
                       strict_recorded=False):
        """The forecasts that score, as numpy arrays, read in one pass over the forecasts.

        One entry per forecaster's latest forecast on each resolved question made before its
        cutoff (every such forecast, oldest first, with ``latest_only=False``), ordered by
        forecaster name and then question, as ``scored_forecasts`` lists them. A forecast made on
        or after the cutoff, or recorded after the question's first resolution (unless its
        forecaster is a baseline, a rule that cannot use the outcome, or an aggregate, which pools
        only forecasts made before the cutoff), is late and not scored. ``questions`` (ids)
        keeps only those questions: a reader's scores over the questions they may see. A forecast
        recorded on or after the day the outcome became known counts (``unscored`` counts them as
        ``recorded_after_known``) unless ``strict_recorded``, which leaves it out (and counts it
        there too); rules are exempt, as above.

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

        from .scoring import distinct

        with self.snapshot(), self._resolved_questions(tag, since, until, questions):
            question, multiple_choice, outcome_yes, void, cutoff_day = self._integers(
                ["question_id", "kind = 'multiple_choice'", "outcome = 'yes'", "void",
                 "coalesce(CAST(julianday(cutoff) AS INTEGER), 0)" if dates else "0"],
                "FROM temp.resolved_questions")
            people = self.conn.execute(
                "SELECT id, name, kind IN ('baseline', 'aggregate') FROM forecasters"
                " ORDER BY id").fetchall()
            last_forecast = self.conn.execute("SELECT max(id) FROM forecasts").fetchone()[0]
            state = self.correction_state()
            where, params = "", []
            if state:  # names and owners as corrected; the forecaster is chosen below
                people = [(fid, state.names.get(fid, name), baseline)
                          for fid, name, baseline in people]
            elif forecaster:
                where = "WHERE f.forecaster_id IN (SELECT id FROM forecasters WHERE name = ?)"
                params = [forecaster]
            # In table order, looking each question up by its key: much faster than the index
            # order that the join would otherwise take. The order comes next, from the index.
            scan = "FROM forecasts f CROSS JOIN temp.resolved_questions c" \
                   f" ON c.question_id = f.question_id {where}"
            late = ("(f.made >= c.cutoff) | ((f.recorded > c.first_recorded) << 1)"
                    " | ((substr(f.recorded, 1, 10) >= c.known) << 2)")
            # Fewer, larger numbers travel faster: the id with the two late flags, and the
            # question with the forecaster, each in one integer when they fit in 63 bits.
            who_bits = max(people[-1][0] if people else 0, 1).bit_length()
            packed = (int(question.max(initial=0)).bit_length() + who_bits <= 62
                      and (last_forecast or 0).bit_length() <= 59)
            if packed:
                id_late, question_who, p_ppm, made_day = self._integers(
                    [f"(f.id << 3) | {late}", f"(f.question_id << {who_bits}) | f.forecaster_id",
                     "coalesce(f.p_ppm, -1)",
                     "coalesce(CAST(julianday(f.made) AS INTEGER), 0)" if dates else "0"],
                    scan, params)
                ids, late_flags = id_late >> 3, id_late & 7
                question_ids = question_who >> who_bits
                forecaster_ids = question_who & ((1 << who_bits) - 1)
                del id_late, question_who
            else:
                ids, question_ids, forecaster_ids, p_ppm, late_flags, made_day = self._integers(
                    ["f.id", "f.question_id", "f.forecaster_id", "coalesce(f.p_ppm, -1)", late,
                     "coalesce(CAST(julianday(f.made) AS INTEGER), 0)" if dates else "0"],
                    scan, params)
            # every forecast in index order; those on other questions are dropped below
            ordered = self._integers(["id"], "FROM (SELECT id FROM forecasts"
                                             " ORDER BY question_id, forecaster_id, made, id)")[0]
            if state:  # the owners change, so the order is made again from the dates
                ordered = self._integers(["id"], "FROM (SELECT id FROM forecasts"
                                                 " ORDER BY made, id)")[0]
                ids, question_ids, forecaster_ids, p_ppm, late_flags, made_day = \
                    self._apply_corrections(
                        state, ids, [ids, question_ids, forecaster_ids, p_ppm, late_flags,
                                     made_day], forecaster)
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
        after_known = ~is_void & ~late & ((late_flags & 4) != 0) & ~baseline[f_at]
        del late_flags
        left_out = late | after_known if strict_recorded else late
        # Index order: question, forecaster, made, id.
        at = np.full(int(ordered.max(initial=0)) + 1, -1, dtype=np.int64)
        at[ids] = np.arange(ids.size)
        order = at[ordered]
        del at, ordered
        order = order[order >= 0]
        if state:  # ``ordered`` was by date: sort by question and forecaster, keeping it
            order = order[np.lexsort((forecaster_ids[order], question_ids[order]))]
        q_o, f_o = question_ids[order], forecaster_ids[order]
        if not np.all((q_o[1:] > q_o[:-1]) | ((q_o[1:] == q_o[:-1]) & (f_o[1:] >= f_o[:-1]))):
            raise StorageError("forecasts came back out of index order; nothing was scored")
        del q_o, f_o
        keep = order[~is_void[order] & ~left_out[order]]
        del order
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

        # What is left out, per forecaster: late forecasts, and the void questions forecast; and
        # the forecasts recorded once the outcome was known (left out only when strict).
        void_pairs = distinct(q_at[is_void] * len(people) + f_at[is_void])  # (question, person)
        counts = [np.bincount(f_at[late], minlength=len(people)),
                  np.bincount(void_pairs % max(len(people), 1), minlength=len(people)),
                  np.bincount(f_at[after_known], minlength=len(people))]
        seen = np.bincount(f_at, minlength=len(people)) > 0
        unscored = [
            {"forecaster": people[i][1], "late": int(counts[0][i]),
             "void_questions": int(counts[1][i]), "recorded_after_known": int(counts[2][i])}
            for i in sorted(np.flatnonzero(seen).tolist(), key=lambda i: people[i][1].lower())]
        # a million forecasts' arrays are let go as soon as they are done
        del late, after_known, left_out, is_void, seen

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
        columns["unscored"] = unscored
        return columns

    def _apply_corrections(self, state, ids, arrays, forecaster=None):
        """The forecast ``arrays`` (``ids`` first among them) less the retracted forecasts (and
        those not of ``forecaster``), with each forecaster id the one it counts for now."""
        import numpy as np

        ids, question_ids, forecaster_ids, *rest = arrays
        forecaster_ids = forecaster_ids.copy()
        if state.owner:
            at = _positions(ids)
            for forecast_id, owner in state.owner.items():
                if forecast_id < at.size and at[forecast_id] >= 0:
                    forecaster_ids[at[forecast_id]] = owner
        if state.counts_as:
            counts_as = np.arange(max(int(forecaster_ids.max(initial=0)),
                                      *state.counts_as) + 1, dtype=np.int64)
            counts_as[list(state.counts_as)] = list(state.counts_as.values())
            forecaster_ids = counts_as[forecaster_ids]
        keep = ~np.isin(ids, np.fromiter(state.retracted, dtype=np.int64))
        if forecaster:
            found = self.find_forecaster(forecaster)
            keep &= forecaster_ids == (found["id"] if found else -1)
        return [a[keep] for a in (ids, question_ids, forecaster_ids, *rest)]

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

    def question_cutoffs(self, tag=None, since=None, until=None):
        """Each resolved question's cutoff (the earlier of its resolution date and the date
        its outcome became known), as text: question id -> date. Far smaller than asking
        ``scored_columns`` for text.

        >>> from forecasts.store import Store
        >>> Store.open(":memory:").question_cutoffs()
        {}
        """
        with self.snapshot(), self._resolved_questions(tag, since, until):
            return dict(self.conn.execute(
                "SELECT question_id, cutoff FROM temp.resolved_questions"))

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

    # Aggregate inputs ------------------------------------------------------------------------

    def latest_forecasts_before_cutoff(self, forecaster_ids, tag=None):
        """Each of ``forecaster_ids``' latest forecast on every question (with ``tag``) made
        before the question's cutoff and, on a resolved question, recorded no later than its
        first resolution (unless the forecaster is a baseline or an aggregate): the inputs of an
        aggregate. The cutoff of a resolved question is the earlier of its resolution date (as
        amended) and the date the outcome became known; of an open one, its resolution date
        (none if it has none). The forecasts are those the corrections leave: retracted ones
        left out, a reassigned one counted for its new forecaster and a merged forecaster's for
        the one it was merged into, before the latest of each is chosen. One dict per
        forecast, by question: ``question_id``, ``kind``, ``forecast_id``, ``forecaster_id``
        (the forecaster it counts for now), ``made``, ``p_ppm`` and, for multiple choice,
        ``option_ppm`` (option id -> ppm, in option order)."""
        ids = sorted(set(forecaster_ids))
        if not ids:
            return []
        state = self.correction_state()
        if state.retracted or state.owner or state.counts_as:
            rows = self._counted_before_cutoff(state, ids, tag)
        else:
            rows = self._before_cutoff(ids, tag)
        multiple = [r["forecast_id"] for r in rows if r["kind"] == "multiple_choice"]
        options = {}
        for start in range(0, len(multiple), 500):
            chunk = multiple[start:start + 500]
            for r in self._all(
                    "SELECT fo.forecast_id, fo.option_id, fo.p_ppm FROM forecast_options fo"
                    " JOIN options o ON o.id = fo.option_id"
                    f" WHERE fo.forecast_id IN ({', '.join('?' * len(chunk))})"
                    " ORDER BY fo.forecast_id, o.position", chunk):
                options.setdefault(r["forecast_id"], {})[r["option_id"]] = r["p_ppm"]
        for row in rows:
            if row["kind"] == "multiple_choice":
                row["option_ppm"] = options.get(row["forecast_id"], {})
        return rows

    def _counted_before_cutoff(self, state, ids, tag):
        """``latest_forecasts_before_cutoff`` once there are corrections (``state``): every
        forecast that may count for one of ``ids`` is read, and the latest of each question
        and forecaster is chosen among those that count for it now."""
        wanted = set(ids)
        recorded_by = sorted(wanted | {fid for fid, into in state.counts_as.items()
                                       if into in wanted})
        given_to = [forecast_id for forecast_id, owner in state.owner.items()
                    if state.counts_as.get(owner, owner) in wanted]
        rules = {fid for fid, kind in self.conn.execute("SELECT id, kind FROM forecasters")
                 if kind in ("baseline", "aggregate")}
        latest = {}
        for row in self._before_cutoff(recorded_by, tag, given_to=given_to):  # oldest first
            if row["forecast_id"] in state.retracted:
                continue
            owner = state.forecaster_of(row["forecast_id"], row["forecaster_id"])
            if owner not in wanted or (row.pop("recorded_late") and owner not in rules):
                continue
            row["forecaster_id"] = owner
            latest[row["question_id"], owner] = row
        return [latest[key] for key in sorted(latest)]

    def _before_cutoff(self, forecaster_ids, tag=None, given_to=None):
        """The forecasts recorded by ``forecaster_ids`` on the questions (with ``tag``) made
        before the question's cutoff (``latest_forecasts_before_cutoff`` has the rule). Without
        ``given_to``: only each forecaster's latest on each question, by question and
        forecaster, leaving out those recorded after the first resolution unless the forecaster
        is a baseline or an aggregate. With ``given_to`` (forecast ids, also read): every one,
        oldest first, its ``recorded_late`` saying whether it was recorded after the first
        resolution, for the caller to apply the corrections."""
        late = "(first.recorded IS NOT NULL AND f.recorded > first.recorded)"
        params = [json.dumps(list(forecaster_ids))]
        chosen = "f.forecaster_id IN (SELECT value FROM json_each(?))"
        if given_to is not None:
            chosen = f"({chosen} OR f.id IN (SELECT value FROM json_each(?)))"
            params.append(json.dumps(sorted(given_to)))
        where = ""
        if tag:
            where = ("AND q.id IN (SELECT qt.question_id FROM question_tags qt"
                     " JOIN tags t ON t.id = qt.tag_id WHERE t.name = ?)")
            params.append(tag)
        if given_to is None:
            where += f" AND (NOT {late} OR fr.kind IN ('baseline', 'aggregate'))"
        rows = self._all(f"""
            WITH first AS (SELECT question_id, min(recorded) AS recorded FROM resolutions
                           GROUP BY question_id),
                 current AS (SELECT r.question_id, r.resolved FROM resolutions r
                             WHERE r.id = (SELECT max(id) FROM resolutions
                                           WHERE question_id = r.question_id)),
                 ranked AS (
                   SELECT f.id AS forecast_id, f.question_id, f.forecaster_id, f.made,
                          f.p_ppm, q.kind, {late} AS recorded_late,
                          row_number() OVER (PARTITION BY f.question_id, f.forecaster_id
                                             ORDER BY f.made DESC, f.id DESC) AS latest
                   FROM forecasts f JOIN {self._questions_view()} q ON q.id = f.question_id
                   JOIN forecasters fr ON fr.id = f.forecaster_id
                   LEFT JOIN first ON first.question_id = f.question_id
                   LEFT JOIN current c ON c.question_id = f.question_id
                   WHERE {chosen} {where}
                     AND (coalesce(q.resolves, c.resolved) IS NULL
                          OR f.made < min(coalesce(q.resolves, c.resolved),
                                          coalesce(c.resolved, q.resolves))))
            SELECT forecast_id, question_id, forecaster_id, made, p_ppm, kind, recorded_late
            FROM ranked {"WHERE latest = 1 ORDER BY question_id, forecaster_id"
                         if given_to is None else "ORDER BY made, forecast_id"}""", params)
        if given_to is None:
            for row in rows:
                del row["recorded_late"]
        return rows
