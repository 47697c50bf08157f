"""The store's reads of corrections: what each correction record says, and the state they leave
(which forecasts are retracted, whose forecast each one now is, each forecaster's current name
and the forecaster it counts as, the names a forecaster is found by).

``CorrectionReads`` is a part of :class:`forecasts.store.Store`. A correction never edits a
record: it is a record of its own (table ``corrections``, in the hash chain), and the latest
one of each kind stands. Reads that show the current state ask ``correction_state`` (one query;
nothing to do on a database without corrections).

Example::

    >>> from forecasts.store import Store
    >>> store = Store.open(":memory:")
    >>> store.correction_state().retracted
    {}
"""

import dataclasses
import json

from .chain import CANONICAL_JSON


@dataclasses.dataclass
class CorrectionState:
    """What the corrections recorded so far add up to.

    ``retracted``: forecast id -> the retraction that stands; ``owner``: forecast id -> the
    forecaster it was given to; ``counts_as``: forecaster id -> the forecaster that stands on its
    own that its forecasts count as now; ``merged_into``: forecaster id -> the forecaster it was
    merged into itself (A merged into B, then B into C: A counts as C but was merged into B, and
    undoing B's merge leaves A merged into B); ``names``: forecaster id -> its current name, when
    renamed."""

    retracted: dict = dataclasses.field(default_factory=dict)
    owner: dict = dataclasses.field(default_factory=dict)
    counts_as: dict = dataclasses.field(default_factory=dict)
    merged_into: dict = dataclasses.field(default_factory=dict)
    names: dict = dataclasses.field(default_factory=dict)

    def __bool__(self):
        return bool(self.retracted or self.owner or self.counts_as or self.names)

    def forecaster_of(self, forecast_id, forecaster_id):
        """The forecaster a forecast counts for now (reassigned, then merged)."""
        owner = self.owner.get(forecast_id, forecaster_id)
        return self.counts_as.get(owner, owner)


def _decoded(row):
    row["changes"] = json.loads(row["changes"]) if row.get("changes") else {}
    return row


class CorrectionReads:
    """The correction reads of a Store."""

    def add_correction(self, action, reason, forecast_id=None, question_id=None,
                       forecaster_id=None, into_forecaster_id=None, changes=None, author=None,
                       add_tags=(), remove_tags=()):
        """Append a correction record (migration 0006 has its fields; ``changes`` is a dict of
        field -> [before, after], stored as canonical JSON) and return its id. An amendment's
        tags are applied too (tags are not in the hash chain: the amendment records them)."""
        changes = CANONICAL_JSON.encode(changes) if changes else None
        with self.writing() as write:
            correction_id = write.add_correction(action, reason, forecast_id, question_id,
                                                 forecaster_id, into_forecaster_id, changes,
                                                 author)
            write.tag_question(question_id, add_tags)
            write.untag_question(question_id, remove_tags)
        return correction_id

    def _questions_view(self):
        """Where a question's current text, criteria and resolution date are read: the table,
        or after any correction the view that applies the amendments."""
        return "current_questions" if self.has_corrections() else "questions"

    def has_corrections(self):
        return self.conn.execute("SELECT EXISTS (SELECT 1 FROM corrections)").fetchone()[0] == 1

    def corrections(self, forecast_ids=(), question_id=None, forecaster_ids=()):
        """The correction records about these forecasts, this question or these forecasters,
        oldest first, ``changes`` decoded, each with the names of the forecasters it names."""
        where, params = [], []
        if forecast_ids:
            where.append(f"c.forecast_id IN ({','.join('?' * len(forecast_ids))})")
            params.extend(forecast_ids)
        if question_id is not None:
            where.append("c.question_id = ?")
            params.append(question_id)
        if forecaster_ids:
            marks = ",".join("?" * len(forecaster_ids))
            where.append(f"(c.forecaster_id IN ({marks}) OR c.into_forecaster_id IN ({marks}))")
            params.extend([*forecaster_ids, *forecaster_ids])
        if not where:
            return []
        names = self.forecaster_names()
        rows = [_decoded(row) for row in self._all(
            "SELECT c.*, a.name AS forecaster, b.name AS into_forecaster FROM corrections c"
            " LEFT JOIN forecasters a ON a.id = c.forecaster_id"
            " LEFT JOIN forecasters b ON b.id = c.into_forecaster_id"
            f" WHERE {' OR '.join(where)} ORDER BY c.id", params)]
        for row in rows:  # the names they have now
            for key, fid in (("forecaster", row["forecaster_id"]),
                             ("into_forecaster", row["into_forecaster_id"])):
                if fid is not None:
                    row[key] = names.get(fid, row[key])
        return rows

    def has_correction(self, action, forecast_id, question_id, forecaster_id, into_forecaster_id,
                       changes, reason, recorded):
        """Whether a correction with exactly these fields is recorded (``changes`` as stored);
        a ``recorded`` of None matches any time, so a file without times imports once."""
        return self.conn.execute(
            "SELECT EXISTS (SELECT 1 FROM corrections WHERE action = ? AND forecast_id IS ?"
            " AND question_id IS ? AND forecaster_id IS ? AND into_forecaster_id IS ?"
            " AND changes IS ? AND reason = ? AND (? IS NULL OR recorded = ?))",
            [action, forecast_id, question_id, forecaster_id, into_forecaster_id, changes, reason,
             recorded, recorded]).fetchone()[0] == 1

    def counted_forecast_range(self, question_id, made):
        """The lowest and highest yes/no probability (ppm) among the forecasts on the question
        made on or before ``made`` by forecasters that are not rules (baselines, aggregates)
        and recorded no later than its first resolution: what a pool may be made of. (None,
        None) when there are none."""
        return tuple(self.conn.execute(
            "SELECT min(f.p_ppm), max(f.p_ppm) FROM forecasts f"
            " JOIN forecasters fr ON fr.id = f.forecaster_id"
            " WHERE f.question_id = ? AND f.made <= ? AND f.p_ppm IS NOT NULL"
            " AND fr.kind NOT IN ('baseline', 'aggregate')"
            " AND f.recorded <= coalesce((SELECT min(recorded) FROM resolutions"
            "                             WHERE question_id = f.question_id), f.recorded)",
            [question_id, made]).fetchone())

    def first_resolution_recorded(self, question_id):
        """When the question's first resolution was recorded, or None."""
        return self.conn.execute("SELECT min(recorded) FROM resolutions WHERE question_id = ?",
                                 [question_id]).fetchone()[0]

    def forecast_matching(self, question_id, forecaster_id, made, recorded=None, p_ppm=None):
        """The first forecast on the question by the forecaster (as recorded, before any
        correction) made on ``made``, recorded at ``recorded`` and of ``p_ppm`` where those are
        given, or None."""
        row = self.conn.execute(
            "SELECT id FROM forecasts WHERE question_id = ? AND forecaster_id = ? AND made = ?"
            " AND (? IS NULL OR recorded = ?) AND (? IS NULL OR p_ppm = ?) ORDER BY id LIMIT 1",
            [question_id, forecaster_id, made, recorded, recorded, p_ppm, p_ppm]).fetchone()
        return row[0] if row else None

    def tag_changed_after_resolution(self, tag):
        """The ids of the questions that gained or lost ``tag`` (any case) by an amendment
        recorded after their first resolution was: scores over a tag chosen once outcomes were
        known can pick the questions a forecaster got right."""
        changed = set()
        for row in self._all(
                "SELECT c.question_id, c.changes FROM corrections c"
                " JOIN (SELECT question_id, min(recorded) AS first FROM resolutions"
                "       GROUP BY question_id) r ON r.question_id = c.question_id"
                " WHERE c.action = 'amend' AND c.recorded > r.first"
                " AND c.changes LIKE '%\"tags\"%'"):
            old, new = json.loads(row["changes"]).get("tags", [[], []])
            if (tag.lower() in {t.lower() for t in old}) != (tag.lower() in {t.lower() for t in new}):
                changed.add(row["question_id"])
        return changed

    def all_corrections(self):
        return [_decoded(row) for row in self._all("SELECT * FROM corrections ORDER BY id")]

    def correction_state(self):
        """The state the corrections leave: a :class:`CorrectionState` (empty, and one quick
        query, when there are none)."""
        state = CorrectionState()
        for row in self._all(
                "SELECT id, action, forecast_id, forecaster_id, into_forecaster_id, changes,"
                " reason, author, recorded FROM corrections ORDER BY id"):
            action = row["action"]
            if action == "retract":
                state.retracted[row["forecast_id"]] = row
            elif action == "unretract":
                state.retracted.pop(row["forecast_id"], None)
            elif action == "reassign":
                state.owner[row["forecast_id"]] = row["into_forecaster_id"]
            elif action == "merge":
                # a merge record of a forecaster already merged moves it along with the one it
                # was merged into (recorded when that one is merged, or its merge undone)
                if row["forecaster_id"] not in state.counts_as:
                    state.merged_into[row["forecaster_id"]] = row["into_forecaster_id"]
                state.counts_as[row["forecaster_id"]] = row["into_forecaster_id"]
            elif action == "unmerge":
                state.counts_as.pop(row["forecaster_id"], None)
                state.merged_into.pop(row["forecaster_id"], None)
            elif action == "rename":
                state.names[row["forecaster_id"]] = json.loads(row["changes"])["name"][1]
        return state

    def forecaster_names(self, state=None):
        """Forecaster id -> current name, for every forecaster."""
        state = state if state is not None else self.correction_state()
        return {fid: state.names.get(fid, name)
                for fid, name in self.conn.execute("SELECT id, name FROM forecasters")}

    def forecaster_aliases(self):
        """Every name a forecaster is found by: name -> id of the forecaster that stands for it
        now (the caller compares names without case, as it likes). Its current
        name, its first name, every name it had before a rename, and the names of forecasters
        merged into it."""
        state = self.correction_state()
        aliases = {}
        for fid, name in self.conn.execute("SELECT id, name FROM forecasters ORDER BY id"):
            aliases.setdefault(name, state.counts_as.get(fid, fid))
        for row in self._all("SELECT forecaster_id, changes FROM corrections"
                             " WHERE action = 'rename' ORDER BY id"):
            before, after = json.loads(row["changes"])["name"]
            fid = row["forecaster_id"]
            aliases[before] = state.counts_as.get(fid, fid)
            aliases[after] = state.counts_as.get(fid, fid)
        # a current name wins over an old one that someone else once had
        for fid, name in self.forecaster_names(state).items():
            if fid not in state.counts_as:
                aliases[name] = fid
        return aliases

    def forecaster_kind(self, forecaster_id):
        """The kind of forecaster ``forecaster_id`` (person, baseline, ...), or None."""
        row = self.conn.execute("SELECT kind FROM forecasters WHERE id = ?",
                                [forecaster_id]).fetchone()
        return row[0] if row else None

    def forecast_row(self, forecast_id):
        """The forecast numbered ``forecast_id`` as recorded, or None."""
        return self._one("SELECT * FROM forecasts WHERE id = ?", [forecast_id])

    def count_forecasts_of(self, question_id):
        """How many forecasts on the question stand (not retracted)."""
        retracted = self.correction_state().retracted
        return sum(1 for (fid,) in self.conn.execute(
            "SELECT id FROM forecasts WHERE question_id = ?", [question_id])
            if fid not in retracted)

    def forecaster_by_own_name(self, name):
        """The forecaster whose own name (now, first, or before a rename) is ``name``, even one
        merged into another: its row with the current ``name`` and ``merged_into`` (the name of
        the forecaster it counts as, or None). None when no forecaster had the name."""
        state = self.correction_state()
        names = self.forecaster_names(state)
        wanted = _folded(name)
        candidates = [fid for fid, current in names.items() if _folded(current) == wanted]
        if not candidates:
            candidates = [fid for fid, first in self.conn.execute(
                "SELECT id, name FROM forecasters ORDER BY id") if _folded(first) == wanted]
        if not candidates:
            candidates = [row["forecaster_id"] for row in self._all(
                "SELECT forecaster_id, changes FROM corrections WHERE action = 'rename'"
                " ORDER BY id DESC") if _folded(json.loads(row["changes"])["name"][0]) == wanted]
        if not candidates:
            return None
        # one that stands on its own before one merged away
        fid = sorted(candidates, key=lambda i: (i in state.counts_as, i))[0]
        row = self._one("SELECT * FROM forecasters WHERE id = ?", [fid])
        row["name"] = names[fid]
        row["merged_into"] = names[state.counts_as[fid]] if fid in state.counts_as else None
        return row

    def forecaster_rows(self):
        """Every forecaster as recorded, with the number of forecasts that count as theirs now
        (reassigned and merged forecasts moved, retracted ones left out)."""
        state = self.correction_state()
        counts = {}
        for forecast_id, forecaster_id in self.conn.execute(
                "SELECT id, forecaster_id FROM forecasts"):
            if forecast_id not in state.retracted:
                owner = state.forecaster_of(forecast_id, forecaster_id)
                counts[owner] = counts.get(owner, 0) + 1
        rows = self._all("SELECT * FROM forecasters ORDER BY id")
        for row in rows:
            row["forecasts"] = counts.get(row["id"], 0)
        return rows

    def _forecaster_by_alias(self, name):
        """``find_forecaster`` once there are corrections: by any name the forecaster is found
        by, with its current name."""
        aliases = {_folded(alias): fid for alias, fid in self.forecaster_aliases().items()}
        found = aliases.get(_folded(name))
        if found is None:
            return None
        row = self._one("SELECT * FROM forecasters WHERE id = ?", [found])
        row["name"] = self.forecaster_names().get(found, row["name"])
        return row

    def _standing_forecasters(self, rows):
        """``rows`` of forecasters less those merged into another, with current names."""
        state = self.correction_state()
        for row in rows:
            row["name"] = state.names.get(row["id"], row["name"])
        return sorted((r for r in rows if r["id"] not in state.counts_as),
                      key=lambda r: r["name"])

    def _with_current_owners(self, rows):
        """Forecast ``rows`` with the forecaster each counts for now (its ``forecaster`` and
        ``forecaster_id``; ``recorded_forecaster`` as recorded) and its standing retraction."""
        state = self.correction_state()
        names = self.forecaster_names(state)
        for row in rows:
            now = state.forecaster_of(row["id"], row["forecaster_id"])
            row["recorded_forecaster"] = names[row["forecaster_id"]]
            row["recorded_forecaster_id"] = row["forecaster_id"]
            row["forecaster_id"], row["forecaster"] = now, names[now]
            row["retraction"] = state.retracted.get(row["id"])
        return rows


ASCII_LOWER = {code: code + 32 for code in range(ord("A"), ord("Z") + 1)}


def _folded(name):
    """A name as SQLite's NOCASE compares it (ASCII letters folded), spaces collapsed."""
    return " ".join(name.split()).translate(ASCII_LOWER)
