"""ForecastBench question, resolution and forecast sets as interchange records (no database here).

ForecastBench (forecastbench.org) publishes, for each round, a question set (the questions asked
on its forecast due date), resolution sets (the outcomes as they become known) and forecast sets
(one forecaster's, or one model's, forecasts). ``convert`` turns them into the records of the
JSON Lines interchange format, which ``interchange.load_records`` then loads all or nothing.

How the sets map onto questions, as ForecastBench scores them:

- A data-series question (ACLED, DBnomics, FRED, Wikipedia, Yahoo Finance) is asked at several
  resolution dates; each (question, resolution date) pair is a question of its own, with the
  dates written into its text.
- A market question (Manifold, Metaculus, Polymarket, INFER) is one question. The market's
  probability at the freeze date (``freeze_datetime_value``) is a forecast by the crowd
  forecaster ``Market crowd``. It resolves when the resolution set reports it resolved to 0 or 1;
  a market that has not resolved carries a fractional value there and stays open.
- A combination question (two questions, asked in four directions: both yes, yes and no, ...)
  is one question per direction (and per resolution date).
- Every question opens on the set's forecast due date, and forecast-set forecasts are made then.
  Forecasts keep ForecastBench's times as their recorded times (the freeze time for the market's
  probability, the due date for a forecast set), so a forecast set imported after its
  resolutions still counts as recorded before them.
- Each question is tagged with its source, ``market`` or ``dataset``, ``combination`` when it is
  one, and the round (``forecastbench-2024-07-21``).

Example::

    >>> question_set = {"forecast_due_date": "2024-07-21", "question_set": "demo.json",
    ...     "questions": [{"id": "DTB3", "source": "fred", "resolution_dates": ["2024-07-28"],
    ...                    "question": "Will the rate be higher on {resolution_date}?"}]}
    >>> records, summary = convert(question_set)
    >>> records[0][1]["id"], records[0][1]["text"]
    ('fb-2024-07-21-fred-dtb3-2024-07-28', 'Will the rate be higher on 2024-07-28?')
"""

import collections
import datetime
import json
import math
import os
import re

from . import files
from .errors import InputError

CROWD = "Market crowd"
CROWD_ROLE = "the market's probability at the freeze date, from ForecastBench question sets"
DIRECTIONS = ((1, 1), (1, -1), (-1, 1), (-1, -1))
NOT_GIVEN = (None, "", "N/A")


class ForecastBenchError(InputError):
    """A ForecastBench file is not what it should be; the message names the file and entry."""


def _date(value, what):
    """The date part of a ForecastBench date or datetime, as YYYY-MM-DD."""
    if not isinstance(value, str):
        raise ValueError(f"{what} is not a date: {value!r}")
    try:
        return datetime.date.fromisoformat(value[:10]).isoformat()
    except ValueError:
        raise ValueError(f"{what} is not a date: {value!r}") from None


def _timestamp(value, what):
    """A ForecastBench datetime as ISO 8601 UTC text, like the recorded times of forecasts."""
    if not isinstance(value, str):
        raise ValueError(f"{what} is not a date and time: {value!r}")
    try:
        moment = datetime.datetime.fromisoformat(value.strip().replace("Z", "+00:00"))
    except ValueError:
        raise ValueError(f"{what} is not a date and time: {value!r}") from None
    if moment.tzinfo is None:
        moment = moment.replace(tzinfo=datetime.timezone.utc)
    return moment.astimezone(datetime.timezone.utc).isoformat()


def _slug(*parts):
    return re.sub(r"[^a-z0-9._]+", "-", "-".join(str(p) for p in parts).lower()).strip("-")


def _probability(value, what):
    """A probability given as a number or as numeric text (ForecastBench writes both)."""
    try:
        number = float(value)
    except (TypeError, ValueError):
        raise ValueError(f"{what} is not a number: {value!r}") from None
    if not 0 <= number <= 1:
        raise ValueError(f"{what} is {number}, not a probability between 0 and 1")
    return number


def _fill_dates(text, due, resolution_date):
    text = text.replace("{forecast_due_date}", due)
    if resolution_date is None:
        return text
    if "{resolution_date}" in text:
        return text.replace("{resolution_date}", resolution_date)
    return f"{text} (resolution date {resolution_date})"


def _first_paragraph(text):
    """The question itself, and what follows it (an example, a note) for the criteria."""
    head, _, rest = text.strip().partition("\n\n")
    return head.strip(), rest.strip()


def _outcome_word(direction):
    return "Yes" if direction == 1 else "No"


class QuestionSet:
    """The questions of one ForecastBench question set, keyed as its other sets refer to them:
    ``(source, id, resolution date)`` (the date is None for a market question) and, for a
    combination, ``(source, id1, id2, direction1, direction2, resolution date)``."""

    def __init__(self, data, name="question set"):
        if not isinstance(data, dict) or not isinstance(data.get("questions"), list):
            raise ForecastBenchError(f"{name}: not a ForecastBench question set (no 'questions')")
        self.name = name
        try:
            self.due = _date(data.get("forecast_due_date"), "'forecast_due_date'")
        except ValueError as error:
            raise ForecastBenchError(f"{name}: {error}") from None
        self.set_name = data.get("question_set") or os.path.basename(name)
        self.round_tag = f"forecastbench-{self.due}"
        # ForecastBench recorded the round's forecasts by its due date
        self.recorded = f"{self.due}T00:00:00+00:00"
        self.questions = {}
        self.crowd_forecasts = []
        self.entries = collections.Counter()
        slugs = {}
        for index, entry in enumerate(data["questions"]):
            label = f"{name}: questions[{index}]"
            try:
                for key, question in self._questions_of(entry):
                    if question["id"] in slugs and slugs[question["id"]] != key:
                        raise ValueError(f"its id {question['id']!r} clashes with another "
                                         "question's (ids differing only in case?)")
                    slugs[question["id"]] = key
                    self.questions[key] = question
            except ValueError as error:
                raise ForecastBenchError(f"{label}: {error}") from None

    def _questions_of(self, entry):
        if not isinstance(entry, dict):
            raise ValueError("not an object")
        source = entry.get("source")
        if not isinstance(source, str) or not source.strip():
            raise ValueError("'source' is missing")
        source = source.strip().lower()
        dates = entry.get("resolution_dates")
        if dates in NOT_GIVEN:
            dates = [None]
        elif isinstance(dates, list) and dates:
            dates = [_date(d, "a resolution date") for d in dates]
        else:
            raise ValueError(f"'resolution_dates' must be a list of dates or N/A, not {dates!r}")
        kind = "market" if dates == [None] else "dataset"
        components = entry.get("combination_of")
        if components not in NOT_GIVEN or isinstance(entry.get("id"), list):
            self.entries["combination"] += 1
            yield from self._combinations(entry, source, kind, dates)
            return
        qid = entry.get("id")
        if not isinstance(qid, (str, int)) or not str(qid).strip():
            raise ValueError("'id' is missing")
        qid = str(qid).strip()
        text = entry.get("question")
        if not isinstance(text, str) or not text.strip():
            raise ValueError("'question' is missing")
        self.entries[kind] += 1
        for date in dates:
            head, rest = _first_paragraph(_fill_dates(text, self.due, date))
            question = {
                "type": "question", "id": _slug("fb", self.due, source, qid, date or ""),
                "text": head, "kind": "binary", "opens": self.due,
                "resolves": date or self._market_close(entry),
                "criteria": self._criteria(entry, rest), "tags": [source, kind, self.round_tag]}
            yield (source, qid, date), question
        if kind == "market":
            self._crowd_forecast(entry, question)

    def _combinations(self, entry, source, kind, dates):
        ids, components = entry.get("id"), entry.get("combination_of")
        if not (isinstance(components, list) and len(components) == 2
                and all(isinstance(c, dict) for c in components)):
            raise ValueError("'combination_of' must list the two questions combined")
        if not isinstance(ids, list):
            ids = [c.get("id") for c in components]
        if len(ids) != 2 or not all(isinstance(i, (str, int)) and str(i).strip() for i in ids):
            raise ValueError("a combination question's 'id' must list two ids")
        ids = [str(i).strip() for i in ids]
        texts = []
        for component in components:
            text = component.get("question")
            if not isinstance(text, str) or not text.strip():
                raise ValueError("a combined question has no 'question' text")
            texts.append(text)
        for date in dates:
            heads = [_first_paragraph(_fill_dates(t, self.due, date))[0] for t in texts]
            for first, second in DIRECTIONS:
                question = {
                    "type": "question",
                    "id": _slug("fb", self.due, source, ids[0], _outcome_word(first), ids[1],
                                _outcome_word(second), date or ""),
                    "text": f'Both: "{heads[0]}" resolves {_outcome_word(first)}, and '
                            f'"{heads[1]}" resolves {_outcome_word(second)}',
                    "kind": "binary", "opens": self.due, "resolves": date,
                    "criteria": "\n\n".join(filter(None, [
                        "A combination of two ForecastBench questions; it resolves Yes when "
                        "both resolve as stated.",
                        *(self._criteria(c, "") for c in components)])),
                    "tags": [source, kind, "combination", self.round_tag]}
                yield (source, ids[0], ids[1], first, second, date), question

    def _market_close(self, entry):
        close = entry.get("market_info_close_datetime")
        if close in NOT_GIVEN:
            return None
        close = _date(close, "'market_info_close_datetime'")
        return close if close > self.due else None

    def _criteria(self, entry, rest):
        parts = [entry.get("resolution_criteria"), rest,
                 entry.get("market_info_resolution_criteria")]
        return "\n\n".join(p.strip() for p in parts
                           if isinstance(p, str) and p.strip() and p != "N/A") or None

    def _crowd_forecast(self, entry, question):
        value = entry.get("freeze_datetime_value")
        if value in NOT_GIVEN:
            return
        p = _probability(value, "'freeze_datetime_value'")
        freeze = entry.get("freeze_datetime")
        if freeze in NOT_GIVEN:
            made, recorded = self.due, self.recorded
        else:
            made = _date(freeze, "'freeze_datetime'")
            recorded = _timestamp(freeze, "'freeze_datetime'")
        self.crowd_forecasts.append({
            "type": "forecast", "question": question["id"], "by": CROWD, "p": p, "made": made,
            "recorded": recorded, "input": str(value).strip()})

    def find(self, source, qid, resolution_date=None, direction=None):
        """The question a resolution or forecast row refers to, or None."""
        source = str(source).strip().lower()
        if isinstance(qid, list):
            if not (isinstance(direction, list) and len(direction) == 2 and len(qid) == 2):
                return None
            if not all(type(d) is int and d in (1, -1) for d in direction):
                raise ValueError(f"'direction' must be two of 1 and -1, not {direction!r}")
            key = (source, str(qid[0]), str(qid[1]), *direction)
            return self.questions.get((*key, resolution_date)) or self.questions.get((*key, None))
        return (self.questions.get((source, str(qid), resolution_date))
                or self.questions.get((source, str(qid), None)))


def _check_round(data, question_set, name):
    due = data.get("forecast_due_date")
    if due in NOT_GIVEN:
        return
    try:
        due = _date(due, "'forecast_due_date'")
    except ValueError as error:
        raise ForecastBenchError(f"{name}: {error}") from None
    if due != question_set.due:
        raise ForecastBenchError(f"{name}: it is for the round due {due}, but the question set "
                                 f"{question_set.name} is due {question_set.due}")


def _resolution_value(row):
    value = row.get("resolved_to")
    if isinstance(value, bool) or not isinstance(value, (int, float)):
        raise ValueError(f"'resolved_to' is not a number: {value!r}")
    if not isinstance(row.get("resolved"), bool):
        raise ValueError(f"'resolved' must be true or false, not {row.get('resolved')!r}")
    return float(value)


def _resolution(question, value, date, question_set, market):
    evidence = f"ForecastBench resolution set for the {question_set.due} round: resolved_to {value:g}"
    if market:
        evidence += f", first reported at the {date} horizon"
    record = {"type": "resolution", "question": question["id"], "resolved": date,
              "evidence": evidence}
    if math.isnan(value):
        record.update(outcome="annulled", note="ForecastBench nullified it: the market resolved "
                      "on or before the forecast due date")
    elif value in (0, 1):
        record["outcome"] = "yes" if value == 1 else "no"
        if market:
            record["note"] = ("ForecastBench gives no date for a market's own resolution; this "
                              "is the first horizon at which its resolution set reports it")
    else:
        record.update(outcome="ambiguous", note=f"the market resolved to {value:g}, a "
                      "probability rather than yes or no; not scored")
    return record


def resolution_records(data, question_set, name="resolution set", summary=None):
    """Resolution records for the questions of ``question_set`` that ``data`` (a resolution set)
    reports resolved; rows for other questions are counted in ``summary`` and left out."""
    summary = summary if summary is not None else collections.Counter()
    if not isinstance(data, dict) or not isinstance(data.get("resolutions"), list):
        raise ForecastBenchError(f"{name}: not a ForecastBench resolution set (no 'resolutions')")
    _check_round(data, question_set, name)
    market_rows = collections.defaultdict(list)
    records = []
    for index, row in enumerate(data["resolutions"]):
        label = f"{name}: resolutions[{index}]"
        try:
            if not isinstance(row, dict):
                raise ValueError("not an object")
            date = _date(row.get("resolution_date"), "'resolution_date'")
            value = _resolution_value(row)
            question = question_set.find(row.get("source", ""), row.get("id"), date,
                                         row.get("direction"))
        except ValueError as error:
            raise ForecastBenchError(f"{label}: {error}") from None
        if question is None:
            summary["rows for other questions"] += 1
        elif "market" not in question["tags"]:
            if row["resolved"] or math.isnan(value):
                records.append((label, _resolution(question, value, date, question_set, False)))
            else:
                summary["not resolved yet"] += 1
        else:
            market_rows[question["id"]].append((date, label, row["resolved"], value, question))
    for rows in market_rows.values():
        resolved = sorted(r for r in rows if r[2] or math.isnan(r[3]))
        if resolved:
            date, label, _, value, question = resolved[0]
            records.append((label, _resolution(question, value, date, question_set, True)))
        else:
            summary["markets still open (fractional value)"] += 1
    for _, record in records:
        summary[record["outcome"]] += 1
    return records


def forecast_records(data, question_set, name="forecast set", summary=None):
    """The forecaster(s) and forecasts of a forecast set, made on the round's due date.

    The forecaster is the set's ``model`` (or ``organization``); a set of individual people's
    forecasts (with ``user_id``) has one forecaster per person.
    """
    summary = summary if summary is not None else collections.Counter()
    if not isinstance(data, dict) or not isinstance(data.get("forecasts"), list):
        raise ForecastBenchError(f"{name}: not a ForecastBench forecast set (no 'forecasts')")
    _check_round(data, question_set, name)
    base = next((str(data[k]).strip() for k in ("model", "organization")
                 if data.get(k) not in NOT_GIVEN), None)
    if not base:
        raise ForecastBenchError(f"{name}: it names no 'model' or 'organization'")
    role = data.get("organization") if data.get("organization") not in NOT_GIVEN else None
    forecasters, records = {}, []
    for index, entry in enumerate(data["forecasts"]):
        label = f"{name}: forecasts[{index}]"
        try:
            if not isinstance(entry, dict):
                raise ValueError("not an object")
            p = _probability(entry.get("forecast"), "'forecast'")
            date = entry.get("resolution_date")
            date = _date(date, "'resolution_date'") if date not in NOT_GIVEN else None
            question = question_set.find(entry.get("source", ""), entry.get("id"), date,
                                         entry.get("direction"))
        except ValueError as error:
            raise ForecastBenchError(f"{label}: {error}") from None
        if question is None:
            summary["forecasts on other questions"] += 1
            continue
        user = entry.get("user_id")
        name_of = f"{base} ({user})" if user not in NOT_GIVEN else base
        if name_of not in forecasters:
            forecasters[name_of] = {"type": "forecaster", "name": name_of,
                                    "kind": "person" if user not in NOT_GIVEN else "organisation",
                                    "role": role}
            records.append((label, forecasters[name_of]))
        reasoning = entry.get("reasoning")
        records.append((label, {
            "type": "forecast", "question": question["id"], "by": name_of, "p": p,
            "made": question_set.due, "recorded": question_set.recorded,
            "input": str(entry["forecast"]),
            "quote": reasoning.strip() if isinstance(reasoning, str) and reasoning.strip()
            else None}))
        summary["forecasts"] += 1
    summary["forecasters"] += len(forecasters)
    return records


def convert(question_set, resolution_sets=(), forecast_sets=()):
    """Interchange records for a question set (a dict) with its resolution and forecast sets
    (``(name, dict)`` pairs), as ``(label, record)`` pairs, and a summary of what they hold."""
    if not isinstance(question_set, QuestionSet):
        question_set = QuestionSet(question_set)
    records = [(question_set.name, q) for q in question_set.questions.values()]
    if question_set.crowd_forecasts:
        records.append((question_set.name, {"type": "forecaster", "name": CROWD,
                                            "kind": "crowd", "role": CROWD_ROLE}))
        records += [(question_set.name, f) for f in question_set.crowd_forecasts]
    summary = {"question_set": question_set.set_name, "forecast_due_date": question_set.due,
               "entries": dict(question_set.entries), "questions": len(question_set.questions),
               "crowd_forecasts": len(question_set.crowd_forecasts), "resolution_sets": [],
               "forecast_sets": []}
    for name, data in resolution_sets:
        counts = collections.Counter()
        records += resolution_records(data, question_set, name, counts)
        summary["resolution_sets"].append({"file": name, **counts})
    for name, data in forecast_sets:
        counts = collections.Counter()
        records += forecast_records(data, question_set, name, counts)
        summary["forecast_sets"].append({"file": name, **counts})
    return records, summary


def read_json(path):
    """A ForecastBench file's JSON, or a one-line ForecastBenchError."""
    text = files.read_input_text(path, "a ForecastBench file", error=ForecastBenchError)
    try:
        return json.loads(text, parse_int=files.bounded_int)
    except RecursionError:
        raise ForecastBenchError(f"{path} is not valid JSON: nested too deeply") from None
    except json.JSONDecodeError as error:
        raise ForecastBenchError(f"{path} is not valid JSON ({error.msg} at line "
                                 f"{error.lineno})") from None
    except ValueError as error:
        raise ForecastBenchError(f"{path}: {error}") from None


def read_sets(paths):
    """Read ForecastBench files, telling question, resolution and forecast sets apart by their
    contents, and convert them: exactly one question set, any number of the others."""
    question_sets, resolution_sets, forecast_sets = [], [], []
    for path in paths:
        data = read_json(path)
        if isinstance(data, dict) and "questions" in data:
            question_sets.append((path, data))
        elif isinstance(data, dict) and "resolutions" in data:
            resolution_sets.append((path, data))
        elif isinstance(data, dict) and "forecasts" in data:
            forecast_sets.append((path, data))
        else:
            raise ForecastBenchError(f"{path}: not a ForecastBench question, resolution or "
                                     "forecast set")
    if len(question_sets) != 1:
        raise ForecastBenchError("give exactly one question set (with the resolution and "
                                 f"forecast sets for it); got {len(question_sets)}")
    name, data = question_sets[0]
    return convert(QuestionSet(data, name), resolution_sets, forecast_sets)


__all__ = ["CROWD", "ForecastBenchError", "QuestionSet", "convert", "forecast_records",
           "read_sets", "resolution_records"]
