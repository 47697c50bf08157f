"""Data in and out: the JSON Lines interchange format (DESIGN.md), all or nothing.

JSON Lines has one object a line, each with a ``type``: source, forecaster, question, forecast,
resolution. ``forecasts.interchange_export`` writes every field of every row in the order the
rows were recorded, so export, import into an empty database and export again gives the same
bytes (and the same hash chain). A bad line rejects the whole file, naming its line number; a line that
matches a row already in the database (same natural key) is skipped, so importing a file twice
adds nothing.

Its CSV layout, one row per forecast, and the writing of exports are in
``forecasts.interchange_csv``.

Example::

    >>> store = Store.open(":memory:")
    >>> lines = ['{"type": "question", "id": "rain", "text": "It rains", "resolves": "2025-01-02"}',
    ...          '{"type": "forecast", "question": "rain", "by": "Alice", "p": 0.7, "made": "2025-01-01"}']
    >>> load_lines(store, lines)
    {'source': 0, 'forecaster': 1, 'question': 1, 'forecast': 1, 'resolution': 0, 'correction': 0}
"""

import contextlib
import datetime
import functools
import json
import math
import re

from . import files, names, tracker
from .chain import CANONICAL_JSON
from .errors import ForecastsError, InputError, NotFound
from .ppm import PPM, SUM_TOLERANCE
from .store import Store, forecast_key, no_question, nocase, question_ref
from .tracker import check_option_labels, new_tags, read_outcome

CORRECTION_ACTIONS = ("retract", "unretract", "amend", "reassign", "rename", "merge", "unmerge")
FORECASTER_KINDS = ("person", "organisation", "crowd", "baseline", "self", "synthetic",
                    "aggregate")
SLUG = re.compile(r"^[a-z0-9][a-z0-9._-]*$")
# The fields of a forecast line with none of the optional ones (verbal, scale, input, source,
# quote, recorded): the common line, read without looking for them.
PLAIN_FORECAST_KEYS = frozenset({"type", "question", "by", "made", "p", "probs"})


class InterchangeError(InputError):
    """An import file is wrong; the message names the line and says nothing was imported."""


def _same(items, length):
    return items


# --- reading fields -----------------------------------------------------------------------------


def _storable(text):
    """``text``, checked here so that its line is named: SQLite cannot store a lone surrogate
    (JSON's "\\ud800")."""
    if not text.isascii():
        text.encode("utf-8")  # UnicodeEncodeError is a ValueError
    return text


def _verbatim(record, key):
    """Free text (a quote, evidence, a note) exactly as given, so a round trip keeps it."""
    value = record.get(key)
    if value is not None and not isinstance(value, str):
        raise ValueError(f"'{key}' must be text")
    return value if value is None else _storable(value)


def _text(record, key, required=False):
    """An identifier or a name: surrounding spaces dropped, empty is missing."""
    value = _verbatim(record, key)
    value = value.strip() if value is not None else None
    if required and not value:
        raise ValueError(f"'{key}' is missing" if value is None else f"'{key}' is empty")
    return value or None


def _clean(text):
    """Question text, a label or a tag as the tracker stores it: one line, no control characters."""
    return " ".join("".join(ch for ch in text if ch.isprintable() or ch.isspace()).split())


@functools.lru_cache(maxsize=4096)  # a large file has many lines on the same dates
def _iso_date(text):
    return datetime.date.fromisoformat(text).isoformat()


def _date(record, key, required=False):
    value = _text(record, key, required)
    if value is None:
        return None
    try:
        return _iso_date(value)
    except ValueError:
        raise ValueError(f"'{key}' is not a YYYY-MM-DD date: {value!r}") from None


# A plain ISO 8601 time: calendar date, hours and minutes, optional seconds and fraction, and a
# UTC offset. Week dates (2026-W01-1), ordinal dates and other forms that Python reads are not
# taken: a recorded time decides whether a forecast came before an outcome.
PLAIN_TIME = re.compile(r"\d{4}-\d{2}-\d{2}[T ]\d{2}:\d{2}(:\d{2}(\.\d{1,6})?)?"
                        r"(Z|[+-]\d{2}:\d{2})")


def _required_text(record, key):
    return _text(record, key, required=True)


def _required_date(record, key):
    return _date(record, key, required=True)


def _timestamp(record, key):
    """A recorded or created time: plain ISO 8601 with its UTC offset, stored in one UTC form
    (``2025-12-16T09:30:00+00:00``); a time in the future is refused."""
    value = _text(record, key)
    if value is None:
        return None
    moment = None
    if PLAIN_TIME.fullmatch(value):
        try:
            moment = datetime.datetime.fromisoformat(value.replace("Z", "+00:00"))
        except ValueError:
            moment = None
    if moment is None:
        raise ValueError(f"'{key}' is not an ISO 8601 time with a UTC offset, such as "
                         f"2025-12-16T09:30:00+00:00: {value!r}")
    moment = moment.astimezone(datetime.timezone.utc)
    if moment > datetime.datetime.now(datetime.timezone.utc):
        raise ValueError(f"'{key}' {value} is in the future: a record is recorded when it is "
                         "written, never ahead of time")
    return moment.isoformat()


def _ppm(value, what):
    if isinstance(value, bool) or not isinstance(value, (int, float)) or not math.isfinite(value):
        raise ValueError(f"{what} must be a number between 0 and 1")
    if not 0 <= value <= 1:
        raise ValueError(f"{what} must be between 0 and 1, got {value}")
    return round(value * PPM)


def _list_of_text(record, key):
    values = record.get(key) or []
    if not isinstance(values, list) or not all(isinstance(v, str) and _clean(v) for v in values):
        raise ValueError(f"'{key}' must be a list of text")
    return [_clean(v) for v in values]


# --- loading records ----------------------------------------------------------------------------


class Loader:
    """Applies interchange records to a store through one Writer; use ``load_lines`` or
    ``load_records``.

    Records are looked up in memory: the forecasters, sources and questions the database holds
    are read once, and each record added joins them. A record that matches a forecast or
    resolution already in the database is skipped, once per matching row: a file that repeats a
    forecast on purpose keeps both copies, and importing it again adds neither.
    """

    def __init__(self, store, writer):
        self.store, self.write = store, writer
        self.counts = {"source": 0, "forecaster": 0, "question": 0, "forecast": 0,
                       "resolution": 0, "correction": 0}
        self.before_import = store.last_ids()
        self.forecasters = {nocase(f["name"]): f for f in store.all_forecasters()}
        self.lookalikes = None  # look-alike key -> name, of every forecaster
        self.sources_by_url, self.sources_by_title = {}, {}
        for s in store.all_sources():
            if s["url"] is not None:
                self.sources_by_url[s["url"]] = s["id"]
            else:
                self.sources_by_title.setdefault(s["title"], s["id"])
        self.questions = {"id": {}, "slug": {}}
        for question in store.question_index():
            self._index_question(question)
        # what forecasts' text values were read as, and forecasters' ids by name (``_cached``)
        self.seen = {"question": {}, "by": {}, "made": {}}
        self.forecaster_ids = {}
        self.resolved_tags = None
        self.kind_and_role = {}  # forecaster name as given -> (kind, role), read once
        self.aggregate_forecasts = []  # (by, question, made, p_ppm, recorded), to check
        # question id -> Counter of the forecasts (resolutions) recorded before the import that
        # no line has matched yet; read when a line first needs it
        self.unmatched = {"forecast": {}, "resolution": {}}

    def load(self, record):
        if not isinstance(record, dict):
            raise ValueError("each line must be a JSON object" + (
                " (this line is a JSON list: JSON Lines holds one record a line, not a list of"
                " them)" if isinstance(record, list) else ""))
        kind = record.get("type")
        if kind is None:
            raise ValueError("the record has no 'type': give one of " + ", ".join(self.counts))
        if not isinstance(kind, str) or kind not in self.counts:
            raise ValueError(f"unknown type {kind!r}: expected one of " + ", ".join(self.counts))
        getattr(self, kind)(record)

    def _index_question(self, question):
        self.questions["id"][question["id"]] = question
        self.questions["slug"][question["slug"]] = question

    def _question_of(self, record, key):
        return self._find_question(_text(record, key, required=True))

    def _find_question(self, ref):
        """The question ``ref`` (a number or a slug) names, as ``Store.find_question`` finds it."""
        column, value = question_ref(ref)
        question = self.questions[column].get(value)
        if question is None:
            raise no_question(ref)
        return question

    def _already_recorded(self, kind, question_id, key):
        if question_id > self.before_import["question"]:
            return False  # a question new in this import
        unmatched = self.unmatched[kind].get(question_id)
        if unmatched is None:
            read = (self.store.recorded_forecasts if kind == "forecast"
                    else self.store.recorded_resolutions)
            unmatched = read(question_id, self.before_import[kind])
            self.unmatched[kind][question_id] = unmatched
        if unmatched[key]:
            unmatched[key] -= 1
            return True
        return False

    def source(self, record):
        url, title = _text(record, "url"), _verbatim(record, "title")
        if not url and not title:
            raise ValueError("a source needs a 'url' or a 'title'")
        details = {"outlet": _verbatim(record, "outlet"), "title": title,
                   "published": _date(record, "published"), "author": _verbatim(record, "author")}
        found = self.sources_by_url.get(url) if url else self.sources_by_title.get(title)
        if found is None:
            self._add_source(url=url, **details)

    def _add_source(self, url=None, **details):
        """A new source (a forecast's source URL new to the database makes one too: counted)."""
        source_id = self.write.add_source(url=url, **details)
        self.counts["source"] += 1
        if url:
            self.sources_by_url[url] = source_id
        else:
            self.sources_by_title.setdefault(details["title"], source_id)
        return source_id

    def _forecaster_id(self, name, kind="person", role=None, created=None, confirmed=None):
        """The forecaster's id, as ``Store.forecaster_id`` gives it (created when new). A new
        name that looks like another forecaster's is refused, unless ``confirmed`` is True (a
        forecaster record's ``new_forecaster``); ``confirmed`` False names that key in the
        error, None (a forecast's ``by``) does not."""
        name = names.clean_name(name)
        found = self.forecasters.get(nocase(name))
        if found is None and self.store.has_corrections():
            # a name from before a rename, or one merged into another, finds that forecaster
            row = self.store.find_forecaster(name)
            if row is not None:
                found = self.forecasters[nocase(name)] = {"id": row["id"], "role": row["role"],
                                                          "kind": row["kind"]}
        if found:
            if role and not found["role"]:
                found["role"] = role
                self.write.set_role(found["id"], role)
            return found["id"]
        if self.lookalikes is None:  # read when a first new forecaster needs it
            self.lookalikes = {}
            for other in self.store.all_forecasters():
                if isinstance(other["name"], str):
                    for key in names.lookalike_keys(other["name"]):
                        self.lookalikes.setdefault(key, other["name"])
        keys = names.lookalike_keys(name)
        for key in () if confirmed else keys:
            if key in self.lookalikes:
                error = names.lookalike_error(name, self.lookalikes[key])
                if confirmed is False:
                    raise ValueError(f'{error}; give the forecaster record "new_forecaster": '
                                     "true to record it anyway")
                raise error
        self.lookalikes.update(dict.fromkeys(keys, name))
        forecaster_id = self.write.add_forecaster(name, kind, role, created)
        self.forecasters[nocase(name)] = {"id": forecaster_id, "role": role, "kind": kind}
        self.counts["forecaster"] += 1
        return forecaster_id

    def forecaster(self, record):
        name = _text(record, "name", required=True)
        kind = _text(record, "kind") or "person"
        if kind not in FORECASTER_KINDS:
            raise ValueError(f"forecaster kind must be one of {', '.join(FORECASTER_KINDS)}")
        confirmed = record.get("new_forecaster", False)
        if not isinstance(confirmed, bool):
            raise ValueError("'new_forecaster' must be true or false")
        self._forecaster_id(name, kind=kind, role=_verbatim(record, "role"),
                            created=_timestamp(record, "created"), confirmed=confirmed)

    def question(self, record):
        slug = _text(record, "id", required=True)
        if not SLUG.match(slug):
            raise ValueError(f"question id {slug!r} must be lowercase letters, digits, '.', "
                             "'-' and '_'")
        text = _clean(_text(record, "text", required=True))
        if not text:
            raise ValueError("'text' has nothing but control characters")
        kind = _text(record, "kind") or "binary"
        if kind not in ("binary", "multiple_choice"):
            raise ValueError("question kind must be 'binary' or 'multiple_choice'")
        options = _list_of_text(record, "options")
        if kind == "multiple_choice" and len(options) < 2:
            raise ValueError("a multiple_choice question needs a list of two or more options")
        if kind == "binary" and options:
            raise ValueError("a binary question has no options")
        check_option_labels(options)
        tags = _list_of_text(record, "tags")
        opens, resolves = _date(record, "opens"), _date(record, "resolves")
        if opens and resolves and resolves < opens:
            raise ValueError(f"'resolves' {resolves} is before 'opens' {opens}")
        try:
            existing = self._find_question(slug)
        except NotFound:
            existing = None
        if existing:
            if text not in (existing["text"], existing.get("first_text")):
                raise ValueError(f"question id {slug!r} already exists with other text")
            if [o.lower() for o in existing["options"]] != [o.lower() for o in options]:
                raise ValueError(f"question id {slug!r} already exists with other options")
            resolved = self._resolved_tags().get(existing["id"])
            new = new_tags(resolved or (), tags)
            if resolved is not None and new:
                raise ValueError(f"question {slug!r} is resolved: the tag {', '.join(new)} can "
                                 f"only be added by `forecasts amend {slug} --add-tag ...`, "
                                 "which records the change")
            self.write.tag_question(existing["id"], tags)
            return
        if slug in self.questions["slug"]:  # a number: _find_question looked for that id
            raise InputError(f"a question with id '{slug}' already exists")
        question_id, option_ids = self.write.add_question(
            slug, text, kind=kind, options=options, opens=opens, resolves=resolves,
            criteria=_verbatim(record, "criteria"), tags=tags,
            created=_timestamp(record, "created"))
        self._index_question({"id": question_id, "slug": slug, "text": text, "kind": kind,
                              "opens": opens, "options": options,
                              "option_ids": dict(zip(options, option_ids))})
        self.counts["question"] += 1

    def _binary_probability(self, record, verbal, scale):
        if record.get("p") is not None:
            return _ppm(record["p"], "'p'"), None
        typed = verbal or _text(record, "input")
        if not typed:
            raise ValueError("a forecast on a binary question needs 'p'")
        from . import parse  # here: a file of numbers needs none of its patterns (11 ms)

        probability = parse.parse_probability(typed, scale or "default")
        return probability.ppm, probability

    def _option_probabilities(self, record, question):
        probs = record.get("probs")
        if not isinstance(probs, dict) or not probs:
            raise ValueError("a forecast on a multiple-choice question needs 'probs'")
        inputs = record.get("inputs") or {}
        if not isinstance(inputs, dict):
            raise ValueError("'inputs' must map option labels to the text typed for each")
        labels = {label.lower(): label for label in question["options"]}
        by_label = {}
        for label, value in probs.items():
            if label.lower() not in labels:
                raise ValueError(f"'{label}' is not an option of {question['slug']}")
            typed = inputs.get(label)
            by_label[labels[label.lower()]] = (_ppm(value, f"probability of '{label}'"),
                                               _storable(typed) if isinstance(typed, str)
                                               else format(value))
        total = sum(ppm for ppm, _ in by_label.values()) / PPM
        if abs(total - 1) > SUM_TOLERANCE:
            raise ValueError(f"option probabilities sum to {total:g}, not 1")
        # an option left out is recorded as 0, as `forecasts add` does
        return {question["option_ids"][label]: by_label.get(label, (0, "0"))
                for label in question["options"]}, by_label

    def _cached(self, record, key, read):
        """``read(record, key)``, remembered for each text value already read: a large file
        names the same few questions, forecasters and dates over and over."""
        raw = record.get(key)
        if type(raw) is str:
            found = self.seen[key].get(raw)
            if found is None:
                found = self.seen[key][raw] = read(record, key)
            return found
        return read(record, key)

    def forecast(self, record):
        question = self._cached(record, "question", self._question_of)
        by = self._cached(record, "by", _required_text)
        made = self._cached(record, "made", _required_date)
        if record.keys() <= PLAIN_FORECAST_KEYS:  # none of the optional fields: all None
            verbal = scale = p_text = None
        else:
            verbal, scale = _text(record, "verbal"), _text(record, "scale")
            p_text = _verbatim(record, "input")
        p_ppm = option_ppm = None
        if question["kind"] == "binary":
            if "probs" in record:
                raise ValueError(f"{question['slug']} is a yes/no question: give 'p', not 'probs'")
            p_ppm, parsed = self._binary_probability(record, verbal, scale)
            if parsed and parsed.verbal:
                verbal, scale = verbal or parsed.verbal, scale or parsed.scale
            p_text = p_text if p_text is not None else verbal or format(record.get("p"))
        else:
            if record.get("p") is not None:
                raise ValueError(f"{question['slug']} has options: give 'probs', not 'p'")
            option_ppm, by_label = self._option_probabilities(record, question)
            if p_text is None:
                p_text = "; ".join(f"{label}={text}" for label, (_, text) in by_label.items())
        plain = record.keys() <= PLAIN_FORECAST_KEYS
        source = None if plain else _text(record, "source")
        source_id = None
        if source:
            source_id = (self.sources_by_url.get(source) or self.sources_by_title.get(source)
                         or self._add_source(url=source))
        # a forecaster, once known, keeps their id: each name is looked up once
        forecaster_id = self.forecaster_ids.get(by)
        if forecaster_id is None:
            forecaster_id = self.forecaster_ids[by] = self._forecaster_id(by)
        if by not in self.kind_and_role:
            found = self.forecasters.get(nocase(names.clean_name(by))) or {}
            self.kind_and_role[by] = (found.get("kind"), found.get("role") or "")
        kind = self.kind_and_role[by][0]
        if kind == "baseline":
            self._check_baseline_rule(by, question, p_ppm, option_ppm)
        elif kind == "aggregate" and p_ppm is not None:
            self.aggregate_forecasts.append((by, question, made, p_ppm,
                                             _timestamp(record, "recorded") or self.write.now))
        quote = None if plain else _verbatim(record, "quote")
        if question["id"] <= self.before_import["question"]:
            key = forecast_key(forecaster_id, made, p_ppm, option_ppm, quote)
            if self._already_recorded("forecast", question["id"], key):
                return
        self.write.add_forecast(question["id"], forecaster_id, made, p_ppm=p_ppm, p_text=p_text,
                                verbal=verbal, scale=scale, quote=quote, source_id=source_id,
                                option_ppm=option_ppm,
                                recorded=None if plain else _timestamp(record, "recorded"))
        self.counts["forecast"] += 1

    def _resolved_tags(self):
        """The tags of each question resolved in the database before this import (read once,
        when a file first names a question already there)."""
        if self.resolved_tags is None:
            tags = self.store.tags_by_question()
            self.resolved_tags = {qid: tags.get(qid, []) for qid in self.store.resolved_question_ids()}
        return self.resolved_tags

    def check_aggregates(self):
        """An aggregate is exempt from the hindsight guard because it pools forecasts made
        before the cutoff, so an imported yes/no forecast of one recorded after its question's
        first resolution must lie where a pool of the forecasts that count there can: between
        their lowest and highest (extremized by its stated power for an extremized pool)."""
        if not self.aggregate_forecasts:
            return
        self.write.flush()
        for by, question, made, p_ppm, recorded in self.aggregate_forecasts:
            first = self.store.first_resolution_recorded(question["id"])
            if first is None or recorded <= first:
                continue  # recorded before the outcome: the guard does not exempt it
            low, high = self.store.counted_forecast_range(question["id"], made)
            if low is not None:
                power = re.match(r"extremized: .* to the power ([0-9.]+)",
                                 self.kind_and_role[by][1])
                if power:
                    low, high = (_extremized(value, float(power[1])) for value in (low, high))
                if low - 2 <= p_ppm <= high + 2:
                    continue
            raise ValueError(
                f"{by} is an aggregate: its forecast of {p_ppm / PPM:.0%} on {question['slug']} "
                "is not a pool of the forecasts that count there"
                + (f" ({low / PPM:.0%} to {high / PPM:.0%})" if low is not None else " (none)")
                + "; only `forecasts aggregate` writes an aggregate's forecasts")

    def _check_baseline_rule(self, by, question, p_ppm, option_ppm):
        """A baseline is exempt from the hindsight guard because it follows a fixed rule, so an
        imported forecast of one must follow it (or a baseline could be given 100% once the
        outcome is known)."""
        from .baseline import breaks_rule  # noqa: PLC0415  (baseline imports the tracker)

        broken = breaks_rule(self.kind_and_role[by][1], p_ppm,
                             list(v for v, _ in option_ppm.values()) if option_ppm else ())
        if broken:
            raise ValueError(f"{by} is a baseline: its forecast on {question['slug']} {broken}; "
                             "only `forecasts baseline` writes a baseline's forecasts")

    def correction(self, record):
        """A correction record as `export` writes it: what it corrects is found by name (a
        forecast by its question, forecaster, dates and probability); one already recorded
        (the same action, targets, changes, reason and time) is skipped."""
        action = _text(record, "action", required=True)
        if action not in CORRECTION_ACTIONS:
            raise ValueError(f"correction action must be one of {', '.join(CORRECTION_ACTIONS)}")
        reason = _verbatim(record, "reason")
        if not isinstance(reason, str) or not reason.strip():
            raise ValueError("a correction needs its 'reason'")
        changes = record.get("changes")
        if changes is not None and not isinstance(changes, dict):
            raise ValueError("'changes' must be an object of field: [before, after]")
        question_slug = _text(record, "question")
        question_id = self._find_question(question_slug)["id"] if question_slug else None
        forecaster_id, into_id = (self._named_forecaster(_text(record, key))
                                  for key in ("forecaster", "into"))
        forecast_id, forecast_question = self._corrected_forecast(record.get("forecast"))
        recorded = _timestamp(record, "recorded")
        corrected_question = forecast_question or question_id
        if action in ("retract", "unretract") and corrected_question is not None:
            resolved = self.store.first_resolution_recorded(corrected_question)
            if resolved and (recorded is None or recorded > resolved):
                raise ValueError(f"a {action} recorded after its question was resolved would "
                                 "be hindsight: `forecasts retract` refuses it too")
        tags = (changes or {}).get("tags")
        if tags is not None and not (
                isinstance(tags, list) and len(tags) == 2 and all(
                    isinstance(side, list) and all(isinstance(t, str) for t in side)
                    for side in tags)):
            raise ValueError("'changes' 'tags' must be [tags before, tags after]")
        encoded = CANONICAL_JSON.encode(changes) if changes else None
        key = (action, forecast_id, question_id, forecaster_id, into_id, encoded, reason, recorded)
        self.write.flush()  # a correction earlier in this file is found too
        if self.store.has_correction(*key):
            return
        self.write.add_correction(action, reason, forecast_id, question_id, forecaster_id,
                                  into_id, encoded, _verbatim(record, "author"), recorded)
        if action == "amend" and tags:
            before, after = tags
            self.write.tag_question(question_id, sorted(set(after) - set(before)))
            self.write.untag_question(question_id, sorted(set(before) - set(after)))
        self.counts["correction"] += 1

    def _named_forecaster(self, name):
        """The id of the forecaster a correction names, which must exist already."""
        if name is None:
            return None
        found = self.forecasters.get(nocase(names.clean_name(name)))
        if found is None:
            raise ValueError(f"the correction names forecaster {name!r}, who is not in the "
                             "database or earlier in the file")
        return found["id"]

    def _corrected_forecast(self, reference):
        """The id of the forecast a correction's ``forecast`` names and its question's id, or
        (None, None)."""
        if reference is None:
            return None, None
        if not isinstance(reference, dict):
            raise ValueError("'forecast' must name the forecast: question, by, made, recorded")
        question = self._find_question(_text(reference, "question", required=True))
        forecaster_id = self._named_forecaster(_text(reference, "by", required=True))
        self.write.flush()  # the forecasts of this file so far, in the database to be found
        p = reference.get("p")
        found = self.store.forecast_matching(
            question["id"], forecaster_id, _date(reference, "made", required=True),
            _timestamp(reference, "recorded"),
            None if p is None else _ppm(p, "the corrected forecast's 'p'"))
        if found is None:
            raise ValueError(f"the correction names a forecast on {question['slug']} that is "
                             "not in the database or earlier in the file")
        return found, question["id"]

    def resolution(self, record):
        question = self._find_question(_text(record, "question", required=True))
        outcome, label = read_outcome(question, _text(record, "outcome", required=True))
        resolved = _date(record, "resolved", required=True)
        if question["opens"] and resolved < question["opens"]:
            raise ValueError(f"resolved {resolved}, before {question['slug']} opened "
                             f"({question['opens']})")
        evidence, note = _verbatim(record, "evidence"), _verbatim(record, "note")
        if self._already_recorded("resolution", question["id"], (outcome, resolved, evidence)):
            return
        self.write.add_resolution(question["id"], outcome, resolved,
                                  option_id=question["option_ids"][label] if label else None,
                                  evidence=evidence, note=note,
                                  recorded=_timestamp(record, "recorded"))
        self.counts["resolution"] += 1


def _extremized(ppm, power):
    """A probability (ppm) with its odds raised to ``power``, as the extremized pool does."""
    if ppm <= 0 or ppm >= PPM:
        return ppm
    odds = (ppm / (PPM - ppm)) ** power
    return PPM * odds / (1 + odds)


def load_records(store, labelled_records, length=0, progress=_same):
    """Load ``(label, record)`` pairs into ``store`` in one transaction; returns how many of each
    type were new. A bad record raises InterchangeError naming its label; then nothing is written.

    ``progress(items, length)`` may wrap the records, for a progress bar.
    """
    with store.writing() as writer:
        loader = Loader(store, writer)
        for label, record in progress(labelled_records, length):
            try:
                loader.load(record)
            except (ValueError, ForecastsError) as error:
                raise InterchangeError(f"{label}: {error}; nothing was imported") from None
        try:
            loader.check_aggregates()
        except ValueError as error:
            raise InterchangeError(f"{error}; nothing was imported") from None
    return loader.counts


def _no_constant(name):
    """JSON Lines holds numbers only: NaN and Infinity (which Python's json reads) are refused."""
    raise ValueError(f"{name} is not a number JSON allows")


# json.loads with these hooks would make a decoder for every line
_DECODER = json.JSONDecoder(parse_int=files.bounded_int, parse_constant=_no_constant)


def _decoded(line, scan=_DECODER.scan_once):
    """The value of the JSON text ``line``, as ``_DECODER.decode`` reads it: the common line, one
    object with nothing around it, is scanned without decode's looking for space around it.

    >>> _decoded('{"type": "forecast"}'), _decoded(' [1] ')
    ({'type': 'forecast'}, [1])
    """
    if line.startswith("{") and line.endswith("}"):
        try:
            value, end = scan(line, 0)
        except StopIteration:  # decode says what is wrong
            return _DECODER.decode(line)
        if end == len(line):
            return value
    return _DECODER.decode(line)


# The date of a record that may not be after today, and why (the words `forecast --on` and
# `resolve --on` give).
NOT_IN_THE_FUTURE = {"forecast": ("made", "a forecast is logged when it was made, not ahead of "
                                          "time"),
                     "resolution": ("resolved", "a question is resolved once its outcome is "
                                                "known")}


def refuse_future_date(record, today):
    """Raise ValueError for a forecast ``made``, or a resolution ``resolved``, after ``today``
    (ISO text, ``tracker.today()``), as the command line refuses it: a forecast dated ahead
    would be scored before it was made, a resolution ahead would count forecasts made after
    the outcome was known. A date that is not one is left for the loader to name.

    >>> refuse_future_date({"type": "forecast", "made": "2099-06-01"}, "2026-01-01")
    Traceback (most recent call last):
    ValueError: 'made' 2099-06-01 is in the future: a forecast is logged when it was made, not ahead of time
    """  # noqa: E501
    kind = record.get("type") if type(record) is dict else None
    rule = NOT_IN_THE_FUTURE.get(kind) if type(kind) is str else None
    if rule is None:  # not a forecast or resolution: the loader names what it is
        return
    key, why = rule
    value = record.get(key)
    if isinstance(value, str) and value.strip() > today:  # a past date, the common case, stops
        try:
            date = _iso_date(value.strip())
        except ValueError:
            return
        if date > today:
            raise ValueError(f"'{key}' {date} is in the future: {why}")


def json_records(lines):
    """``(label, record)`` pairs for JSON Lines, each labelled with its line number. NaN,
    Infinity and integers longer than any field needs are refused as not valid here, and so is
    a forecast or resolution dated after today (``refuse_future_date``)."""
    today = tracker.today().isoformat()
    for number, line in enumerate(lines, start=1):
        if not line.strip():
            continue
        try:
            if line.startswith("\ufeff"):  # as json.loads refuses it
                raise json.JSONDecodeError("Unexpected UTF-8 BOM (decode using utf-8-sig)",
                                           line, 0)
            record = _decoded(line)
            refuse_future_date(record, today)
            yield f"line {number}", record
        except RecursionError:
            raise InterchangeError(f"line {number}: JSON nested too deeply; nothing was "
                                   "imported") from None
        except json.JSONDecodeError as error:
            # a record is an object on one line: a first line that only opens one, or opens a
            # list, begins a JSON document written over several lines
            document = number == 1 and (line.strip() == "{" or line.lstrip().startswith("["))
            raise InterchangeError(
                f"line {number}: not valid JSON ({error.msg})" + (
                    ": the file looks like one JSON document over several lines, and JSON Lines"
                    " holds one record a line (for a site's export, give its --format)"
                    if document else "") + "; nothing was imported") from None
        except ValueError as error:
            raise InterchangeError(f"line {number}: {error}; nothing was imported") from None


def load_lines(store, lines, progress=_same):
    """Load JSON Lines (a list of strings) into ``store``, all or nothing."""
    return load_records(store, json_records(lines), len(lines), progress)


split_lines = files.split_lines


@contextlib.contextmanager
def _reading_import_file():
    """A problem with the file read inside (an InputError of ``files``) as a one-line
    InterchangeError."""
    try:
        yield
    except InputError as error:
        raise InterchangeError(f"{error}; nothing was imported") from None


def read_lines(path):
    """``(count, lines)`` of a UTF-8 JSON Lines file, read a chunk at a time (``files.input_lines``),
    or a one-line InterchangeError."""
    with _reading_import_file():
        count, lines = files.input_lines(path, "an import file", files.MAX_IMPORT_BYTES)
    return count, _checked_lines(lines)


def _checked_lines(lines):
    """``lines``, with a reading error on the way made an InterchangeError."""
    with _reading_import_file():
        yield from lines


def read_text(path):
    """The text of a UTF-8 file ("-" is standard input; a byte-order mark is dropped) of at most
    ``files.MAX_IMPORT_BYTES``, or a one-line InterchangeError."""
    with _reading_import_file():
        return files.read_input_text(path, "an import file", files.MAX_IMPORT_BYTES)


def load_file(store, path, progress=_same):
    """Load a JSON Lines file (UTF-8) into ``store``, all or nothing."""
    count, lines = read_lines(path)
    return load_records(store, json_records(lines), count, progress)


# --- writing JSON Lines -------------------------------------------------------------------------


def _probability(ppm):
    return ppm / PPM


__all__ = ["InterchangeError", "Loader", "Store", "json_records", "load_file", "load_lines",
           "load_records", "read_lines", "read_text", "split_lines"]
