"""Metaculus: the "download data" export, a folder or a zip holding question_data.csv and
forecast_data.csv (the README.md in each export describes every column).

How it maps: each binary or multiple-choice question is a question (id ``metaculus-<Question
ID>``), opening on its Open Time and due on its Scheduled Close Time; numeric, date and discrete
questions are skipped and counted. Each row of forecast_data.csv is a forecast made at its Start
Time (an interval's start): a user's rows by that user (Forecaster Username), an aggregate's rows
(no Forecaster ID, a method such as ``recency_weighted`` for the username) by the crowd
forecaster "Metaculus community (recency_weighted)", so the community prediction comes with its
whole history. A multiple-choice forecast gives each option its Probability Yes Per Category
(None, for an option not offered then, counts as 0). A question with a Resolution and a
Resolution Known Time resolves then; an open one stays open.

Example::

    >>> FORMAT.detect("export.zip", b"PK"), FORMAT.detect("notes.txt", b"")
    (False, False)
"""

import ast
import collections
import os
import zipfile

from ..files import MAX_IMPORT_BYTES
from . import ImportFormat, Reading
from .common import counted, csv_rows, left_out_note, plural, read_text, refuse, utc_time

QUESTIONS, FORECASTS = "question_data.csv", "forecast_data.csv"
QUESTION_REQUIRED = ["Question ID", "Question Title", "Question Type", "Open Time",
                     "Scheduled Close Time", "Resolution", "Resolution Known Time"]
FORECAST_REQUIRED = ["Question ID", "Forecaster ID", "Forecaster Username", "Start Time",
                     "Probability Yes", "Probability Yes Per Category"]
KINDS = {"binary": "binary", "multiple_choice": "multiple_choice",
         "multiple choice": "multiple_choice"}
SKIPPED_KINDS = ("numeric", "date", "discrete")
VOID = {"annulled": "annulled", "ambiguous": "ambiguous"}
BINARY = {"yes": "yes", "no": "no"}


def _zip_members(path):
    try:
        with zipfile.ZipFile(path) as archive:
            return {os.path.basename(n): n for n in archive.namelist()}
    except (OSError, zipfile.BadZipFile):
        return {}


def detect(path: str, head: bytes) -> bool:
    if os.path.isdir(path):
        return all(os.path.isfile(os.path.join(path, n)) for n in (QUESTIONS, FORECASTS))
    if os.path.basename(path) in (QUESTIONS, FORECASTS):
        return detect(os.path.dirname(path) or ".", b"")
    if head.startswith(b"PK") and path.lower().endswith(".zip"):
        members = _zip_members(path)
        return QUESTIONS in members and FORECASTS in members
    return False


def _texts(path):
    """The two CSV files' text, from a folder, a zip or one of the two files."""
    if os.path.basename(path) in (QUESTIONS, FORECASTS) and os.path.isfile(path):
        path = os.path.dirname(path) or "."
    texts = {}
    if os.path.isdir(path):
        for name in (QUESTIONS, FORECASTS):
            if not os.path.exists(os.path.join(path, name)):
                refuse(f"{path} is not a Metaculus export: it has no {name}")
            texts[name] = read_text(os.path.join(path, name), "a Metaculus export")
        return texts
    members = _zip_members(path)
    if not members:
        refuse(f"{path} is not a Metaculus export: give the folder or zip that holds "
               f"{QUESTIONS} and {FORECASTS}")
    with zipfile.ZipFile(path) as archive:
        for name in (QUESTIONS, FORECASTS):
            if name not in members:
                refuse(f"{path} is not a Metaculus export: it has no {name}")
            with archive.open(members[name]) as member:  # bounded: a zip may be a bomb
                data = member.read(MAX_IMPORT_BYTES + 1)
            if len(data) > MAX_IMPORT_BYTES:
                refuse(f"{path}: {name} is larger than {MAX_IMPORT_BYTES >> 30} GB, the most "
                       "forecasts reads as an import file")
            try:
                texts[name] = data.decode("utf-8-sig")
            except UnicodeDecodeError:
                refuse(f"{path}: {name} is not UTF-8 text")
    return texts


def _list(text, what, label):
    if not text.strip():
        return []
    try:
        value = ast.literal_eval(text)
    except (ValueError, SyntaxError):
        refuse(f"{label}: {what!r} is not a list: {text!r}")
    if not isinstance(value, (list, tuple)):
        refuse(f"{label}: {what!r} is not a list: {text!r}")
    return list(value)


def _time(row, column, label):
    try:
        return utc_time(row[column])
    except ValueError:
        refuse(f"{label}: {column!r} is not a time: {row[column]!r}")


def _question(row, label, left_out):
    """The question record for a row of question_data.csv, or None for a kind left out."""
    kind_text = row["Question Type"].strip().lower()
    if kind_text in SKIPPED_KINDS:
        left_out[f"{kind_text} questions"] += 1
        return None, None
    if kind_text not in KINDS:
        refuse(f"{label}: unknown Question Type {row['Question Type']!r}")
    title = " ".join(row["Question Title"].split())
    if not title:
        refuse(f"{label}: 'Question Title' is empty")
    label_text = " ".join(row.get("Label", "").split())
    if label_text and label_text.lower() not in title.lower():
        title = f"{title} ({label_text})"
    opened = _time(row, "Open Time", label) if row["Open Time"].strip() else None
    opens = opened[:10] if opened else None
    resolves = (_time(row, "Scheduled Close Time", label)[:10]
                if row["Scheduled Close Time"].strip() else None)
    question = {"type": "question", "id": f"metaculus-{row['Question ID'].strip()}",
                "text": title, "opens": opens, "resolves": resolves, "created": opened,
                "kind": KINDS[kind_text],
                "tags": [t for t in _list(row.get("Categories", ""), "Categories", label)
                         if isinstance(t, str)]}
    if question["kind"] == "multiple_choice":
        question["options"] = [str(o) for o in
                               _list(row.get("MC Options (All)", ""), "MC Options (All)", label)]
    return question, row.get("Question URL", "").strip() or None


def _resolution(row, question, label):
    outcome = row["Resolution"].strip()
    if not outcome:
        return None
    if not row["Resolution Known Time"].strip():
        refuse(f"{label}: resolved {outcome!r} but 'Resolution Known Time' is empty")
    known = _time(row, "Resolution Known Time", label)
    word = outcome.lower()
    if word in VOID:
        outcome = VOID[word]
    elif question["kind"] == "binary":
        if word not in BINARY:
            refuse(f"{label}: a binary question resolves yes, no, annulled or ambiguous, not "
                   f"{outcome!r}")
        outcome = BINARY[word]
    elif outcome not in question["options"]:
        refuse(f"{label}: {outcome!r} is not one of the options")
    resolved = known[:10]
    if question["opens"] and resolved < question["opens"]:
        resolved = question["opens"]
    return {"type": "resolution", "question": question["id"], "outcome": outcome,
            "resolved": resolved, "recorded": known}


def _probability(text, label, what):
    try:
        value = float(text)
    except ValueError:
        refuse(f"{label}: {what!r} is not a number: {text!r}")
    if not 0 <= value <= 1:
        refuse(f"{label}: {what!r} must be between 0 and 1, got {text!r}")
    return value


def _forecaster(row):
    """(name, kind, role) of a forecast row's forecaster."""
    name = " ".join(row["Forecaster Username"].split())
    if not row["Forecaster ID"].strip():
        return (f"Metaculus community ({name})", "crowd",
                f"Metaculus's {name} aggregate of its forecasters")
    bot = row.get("Is Bot", "").strip().lower() == "true"
    return name, "person", "a bot on Metaculus" if bot else None


def _forecast(row, question, url, label):
    by, _, _ = _forecaster(row)
    made = _time(row, "Start Time", label)
    record = {"type": "forecast", "question": question["id"], "by": by, "made": made[:10],
              "recorded": made, "source": url}
    if question["kind"] == "binary":
        record["p"] = _probability(row["Probability Yes"], label, "Probability Yes")
        return record
    values = _list(row["Probability Yes Per Category"], "Probability Yes Per Category", label)
    if len(values) != len(question["options"]):
        refuse(f"{label}: {len(values)} probabilities for {len(question['options'])} options")
    record["probs"] = {option: _probability(str(v), label, "Probability Yes Per Category")
                       for option, v in zip(question["options"], values) if v is not None}
    return record


def read(paths) -> Reading:
    (path,) = paths
    path = path.rstrip("/") or "/"
    texts = _texts(path)
    question_rows = csv_rows(texts[QUESTIONS], f"{path}: {QUESTIONS}", QUESTION_REQUIRED,
                             pad_short=True)
    forecast_rows = csv_rows(texts[FORECASTS], f"{path}: {FORECASTS}", FORECAST_REQUIRED,
                             pad_short=True)
    records, questions, left_out = [], {}, collections.Counter()
    resolutions, counts = [], collections.Counter()
    for line, row in question_rows:
        label = f"{path}: {QUESTIONS} line {line}"
        question, url = _question(row, label, left_out)
        key = row["Question ID"].strip()
        questions[key] = question, url
        if question is None:
            continue
        records.append((label, question))
        counts[f"{question['kind'].replace('_', '-')} question"] += 1
        resolution = _resolution(row, question, label)
        if resolution:
            resolutions.append((label, resolution))
    forecasters = {}
    for line, row in forecast_rows:
        label = f"{path}: {FORECASTS} line {line}"
        key = row["Question ID"].strip()
        if key not in questions:
            refuse(f"{label}: Question ID {key!r} is not in {QUESTIONS}")
        question, url = questions[key]
        if question is None:
            left_out["forecasts on those"] += 1
            continue
        name, kind, role = _forecaster(row)
        if name.lower() not in forecasters:
            forecasters[name.lower()] = kind
            records.append((label, {"type": "forecaster", "name": name, "kind": kind,
                                    "role": role}))
        records.append((label, _forecast(row, question, url, label)))
        counts["crowd forecast" if kind == "crowd" else "user forecast"] += 1
    records += resolutions  # after every forecast, as they became known
    counts["resolution"] = len(resolutions)
    counts["forecaster"] = len(forecasters)
    summary = {"questions_read": len(question_rows), "forecast_rows_read": len(forecast_rows),
               **counts, "left_out": dict(left_out)}
    notes = [f"Metaculus export: read {plural(len(question_rows), 'question')} and "
             f"{plural(len(forecast_rows), 'forecast row')}; made {counted(counts)}"
             + left_out_note(left_out) + "."]
    return Reading(records=records, summary=summary, notes=notes)


FORMAT = ImportFormat("metaculus", detect, read)
