"""Fatebook (fatebook.io): the CSV its export writes, and the layout its own CSV import reads.

The export (Fatebook's ``questionsToCsv``) has one row per forecast: Question title, Multiple
choice option, Forecast created by, Forecast (scale = 0-1), Forecast created at, Question created
by, Question created at, Question resolve by, Resolution, Resolved at, the user's Brier scores,
Question notes, Question shared with, Question shared publicly, Question comments, Question tags
(older exports lack the option and tags columns and name the resolution columns "Question
resolution" and "Question resolved at"). Its quirks: text quoted with doubled quotes, times
written ``YYYY-MM-DD HH:MM:S`` (seconds not zero-padded, the server's clock, UTC), lists joined
with "; ", missing values empty, Resolution YES / NO / AMBIGUOUS. A multiple-choice question has
one row per option and forecast, each option with its own YES or NO; several forecasters share a
question; an update is another row.

How it maps: a question per (title, created at), as Fatebook identifies it; a forecast per row
(made on its date, recorded at its time), or per forecaster and time on a multiple-choice
question, with each option's probability; the resolution as Fatebook gives it (the option that
resolved YES). Notes and comments are kept in the question's criteria. Fatebook's Brier scores
and sharing settings are left out: forecasts scores the forecasts itself.

The import layout (columns questionTitle, forecast in percent, qCreatedAt, resolution,
resolvedAt, resolveBy, fCreatedAt, tags comma-separated, notes, notesExtra) holds the importing
user's own forecasts, so they are recorded by the forecaster "Me" (kind self); a missing
resolve-by or resolved-at is, as Fatebook reads it, the day after the question was created.

Example::

    >>> FORMAT.detect("export.csv", b'"x"\\n'), FORMAT.detect("e.csv", EXPORT_HEADER.encode())
    (False, True)
"""

import collections
import datetime

from . import ImportFormat, Reading
from .common import (
    counted,
    csv_rows,
    left_out_note,
    plural,
    read_text,
    refuse,
    stable_slug,
    utc_time,
)

TITLE, OPTION, BY = "Question title", "Multiple choice option", "Forecast created by"
P, MADE, CREATED = "Forecast (scale = 0-1)", "Forecast created at", "Question created at"
RESOLVE_BY, NOTES, COMMENTS, TAGS = ("Question resolve by", "Question notes",
                                     "Question comments", "Question tags")
RESOLUTION_COLUMNS = (("Resolution", "Resolved at"),
                      ("Question resolution", "Question resolved at"))
EXPORT_REQUIRED = [TITLE, BY, P, MADE, CREATED]
EXPORT_HEADER = ",".join(EXPORT_REQUIRED)
IMPORT_REQUIRED = ["questionTitle", "forecast", "qCreatedAt", "resolution"]
OUTCOMES = {"YES": "yes", "NO": "no", "AMBIGUOUS": "ambiguous"}
SELF = "Me"
SUM_TOLERANCE = 0.01
MC_ROWS_WITHIN_SECONDS = 60


def _header(head: bytes) -> list[str]:
    first = head.decode("utf-8", "replace").lstrip("\ufeff").split("\n", 1)[0]
    return [cell.strip().strip('"') for cell in first.split(",")]


def detect(path: str, head: bytes) -> bool:
    header = _header(head)
    return (all(c in header for c in EXPORT_REQUIRED)
            or all(c in header for c in IMPORT_REQUIRED))


def _time(row, column, name, line):
    try:
        return utc_time(row[column])
    except ValueError:
        refuse(f"{name} line {line}: {column!r} is not a date and time: {row[column]!r}")


def _probability(text, name, line, column, percent=False):
    try:
        value = float(text.replace("%", "").strip()) / (100 if percent else 1)
    except ValueError:
        refuse(f"{name} line {line}: {column!r} is not a number: {text!r}")
    if not 0 <= value <= 1:
        scale = "0% and 100%" if percent else "0 and 1"
        refuse(f"{name} line {line}: {column!r} must be between {scale}, got {text!r}")
    return value


def _criteria(notes, comments):
    parts = [notes.strip()] if notes.strip() else []
    if comments.strip():
        parts.append("Comments: " + comments.strip())
    return "\n\n".join(parts) or None


def _same_submission(group, option, moment):
    """Whether a multiple-choice row belongs to the forecast ``group`` under way: Fatebook saves
    one row per option when a forecast is made, so a repeated option or a minute's gap starts
    the next forecast."""
    first = datetime.datetime.fromisoformat(group["made"])
    gap = abs((datetime.datetime.fromisoformat(moment) - first).total_seconds())
    return option not in group["probs"] and gap <= MC_ROWS_WITHIN_SECONDS


def _export_records(rows, name):
    columns = rows[0][1].keys() if rows else ()
    outcome_column, resolved_column = next(
        (pair for pair in RESOLUTION_COLUMNS if pair[0] in columns), (None, None))
    questions = {}  # (title, created at) -> rows, in the order questions first appear
    for line, row in rows:
        questions.setdefault((row[TITLE].strip(), row[CREATED].strip()), []).append((line, row))
    records, counts = [], collections.Counter()
    left_out = collections.Counter()
    forecasters = set()
    for (title, created), question_rows in questions.items():
        line, first = question_rows[0]
        if not title:
            refuse(f"{name} line {line}: {TITLE!r} is empty")
        label = f"{name} line {line}"
        opens = _time(first, CREATED, name, line)[:10]
        resolves = _time(first, RESOLVE_BY, name, line)[:10] if first.get(RESOLVE_BY) else None
        if resolves and resolves < opens:
            resolves = None
            left_out["resolve-by dates before creation (kept with no due date)"] += 1
        options = list(dict.fromkeys(r.get(OPTION, "").strip() for _, r in question_rows))
        if "" in options and len(options) > 1:
            refuse(f"{label}: {title!r} has rows with and without a {OPTION!r}")
        options = [o for o in options if o]
        tags = [t.strip() for t in first.get(TAGS, "").split("; ") if t.strip()]
        slug = stable_slug("fatebook", title, created)
        question = {"type": "question", "id": slug, "text": title, "opens": opens,
                    "resolves": resolves, "tags": tags,
                    "created": _time(first, CREATED, name, line),
                    "criteria": _criteria(first.get(NOTES, ""), first.get(COMMENTS, "")),
                    "kind": "multiple_choice" if options else "binary"}
        if options:
            question["options"] = options
        records.append((label, question))
        counts["multiple-choice question" if options else "yes/no question"] += 1
        groups, current = [], {}  # multiple choice: one forecast per forecaster and submission
        for line, row in question_rows:
            by = " ".join(row[BY].split())
            if not by:
                refuse(f"{name} line {line}: {BY!r} is empty")
            forecasters.add(by.lower())
            made = _time(row, MADE, name, line)
            p = _probability(row[P], name, line, P)
            if not options:
                records.append((f"{name} line {line}", {
                    "type": "forecast", "question": slug, "by": by, "p": p, "made": made[:10],
                    "recorded": made, "input": row[P].strip()}))
                counts["forecast"] += 1
            else:
                option, group = row[OPTION].strip(), current.get(by.lower())
                if group is None or not _same_submission(group, option, made):
                    group = {"line": line, "by": by, "made": made, "probs": {}}
                    current[by.lower()] = group
                    groups.append(group)
                group["probs"][option] = p
        for group in groups:
            if abs(sum(group["probs"].values()) - 1) > SUM_TOLERANCE:
                left_out["multiple-choice forecasts whose options do not add up to 1"] += 1
                continue
            records.append((f"{name} line {group['line']}", {
                "type": "forecast", "question": slug, "by": group["by"],
                "probs": group["probs"], "made": group["made"][:10],
                "recorded": group["made"]}))
            counts["forecast"] += 1
        resolution = _export_resolution(question_rows, options, outcome_column,
                                        resolved_column, name, left_out)
        if resolution:
            resolution["resolved"] = max(resolution["resolved"], opens)
            records.append((label, {"type": "resolution", "question": slug, **resolution}))
            counts["resolution"] += 1
    counts["forecaster"] = len(forecasters)
    return records, counts, left_out


def _outcome(row, column, name, line):
    word = row.get(column, "").strip().upper() if column else ""
    if word and word not in OUTCOMES:
        refuse(f"{name} line {line}: {column!r} must be YES, NO or AMBIGUOUS, got {word!r}")
    return OUTCOMES.get(word)


def _export_resolution(question_rows, options, outcome_column, resolved_column, name,
                       left_out):
    """The question's outcome and date, or None while it is open (or cannot be told)."""
    by_option = {}
    for line, row in question_rows:
        outcome = _outcome(row, outcome_column, name, line)
        if outcome:
            if not row.get(resolved_column, "").strip():
                refuse(f"{name} line {line}: resolved {outcome} but {resolved_column!r} is "
                       "empty")
            by_option[row.get(OPTION, "").strip()] = (
                outcome, _time(row, resolved_column, name, line))
    if not by_option:
        return None
    if not options:
        outcome, resolved = by_option[""]
        return {"outcome": outcome, "resolved": resolved[:10], "recorded": resolved}
    resolved = max(moment for _, moment in by_option.values())
    outcomes = {option: outcome for option, (outcome, _) in by_option.items()}
    yes = [option for option, outcome in outcomes.items() if outcome == "yes"]
    if "ambiguous" in outcomes.values():
        return {"outcome": "ambiguous", "resolved": resolved[:10], "recorded": resolved}
    if len(yes) == 1:
        return {"outcome": yes[0], "resolved": resolved[:10], "recorded": resolved}
    left_out["multiple-choice resolutions with no single option YES (kept open)"] += 1
    return None


def _import_layout_records(rows, name):
    records = [(name, {"type": "forecaster", "name": SELF, "kind": "self",
                       "role": "the user whose Fatebook spreadsheet was imported"})]
    counts, assumed, seen = collections.Counter(), collections.Counter(), set()
    for line, row in rows:
        label = f"{name} line {line}"
        title = row["questionTitle"].strip()
        if not title:
            refuse(f"{label}: 'questionTitle' is empty")
        created = _time(row, "qCreatedAt", name, line)
        next_day = (datetime.datetime.fromisoformat(created)
                    + datetime.timedelta(days=1)).isoformat()
        slug = stable_slug("fatebook", title, row["qCreatedAt"].strip())
        if slug not in seen:
            seen.add(slug)
            resolves = (_time(row, "resolveBy", name, line)
                        if row.get("resolveBy", "").strip() else next_day)[:10]
            if not row.get("resolveBy", "").strip():
                assumed["resolve-by dates missing (the day after creation, as Fatebook "
                        "reads it)"] += 1
            if resolves < created[:10]:
                resolves = None
                assumed["resolve-by dates before creation (kept with no due date)"] += 1
            tags = [t.strip() for t in row.get("tags", "").split(",") if t.strip()]
            notes = (row.get("notes", "") + row.get("notesExtra", "")).strip() or None
            records.append((label, {"type": "question", "id": slug, "text": title,
                                    "opens": created[:10], "tags": tags, "criteria": notes,
                                    "created": created,
                                    "resolves": resolves}))
            counts["yes/no question"] += 1
            word = row["resolution"].strip().upper()
            if word:
                if word not in OUTCOMES:
                    refuse(f"{label}: 'resolution' must be yes, no or ambiguous, got "
                           f"{row['resolution']!r}")
                resolved = (_time(row, "resolvedAt", name, line)
                            if row.get("resolvedAt", "").strip() else next_day)
                if not row.get("resolvedAt", "").strip():
                    assumed["resolved-at dates missing (the day after creation, as Fatebook "
                            "reads it)"] += 1
                resolution = {"type": "resolution", "question": slug, "outcome": OUTCOMES[word],
                              "resolved": max(resolved[:10], created[:10]), "recorded": resolved}
                records.append((label, resolution))
                counts["resolution"] += 1
        made = (_time(row, "fCreatedAt", name, line) if row.get("fCreatedAt", "").strip()
                else created)
        records.append((label, {"type": "forecast", "question": slug, "by": SELF,
                                "p": _probability(row["forecast"], name, line, "forecast",
                                                  percent=True),
                                "made": made[:10], "recorded": made,
                                "input": row["forecast"].strip()}))
        counts["forecast"] += 1
    # resolutions after every forecast of their question
    records.sort(key=lambda pair: pair[1]["type"] == "resolution")
    counts["forecaster"] = 1
    return records, counts, assumed


def read(paths) -> Reading:
    (path,) = paths
    text = read_text(path, "a Fatebook CSV")
    header = _header(text[:4096].encode("utf-8"))
    if all(c in header for c in EXPORT_REQUIRED):
        layout, rows = "export", csv_rows(text, path, EXPORT_REQUIRED)
        records, counts, left_out = _export_records(rows, path)
    elif all(c in header for c in IMPORT_REQUIRED):
        layout, rows = "import layout", csv_rows(text, path, IMPORT_REQUIRED)
        records, counts, left_out = _import_layout_records(rows, path)
    else:
        refuse(f"{path} is not a Fatebook CSV: its header has neither the export's columns "
               f"({', '.join(EXPORT_REQUIRED)}) nor the import layout's "
               f"({', '.join(IMPORT_REQUIRED)})")
    summary = {"layout": layout, "rows": len(rows), **counts,
               ("left_out" if layout == "export" else "assumed"): dict(left_out)}
    notes = [f"Fatebook {layout}: read {plural(len(rows), 'row')}; made {counted(counts)}"
             + left_out_note(left_out, "left out" if layout == "export" else "assumed") + "."]
    return Reading(records=records, summary=summary, notes=notes)


# --- writing the import layout -------------------------------------------------------------------

IMPORT_LAYOUT = ["questionTitle", "forecast", "qCreatedAt", "resolution", "resolvedAt",
                 "resolveBy", "fCreatedAt", "tags", "notes"]
FATEBOOK_OUTCOME = {"yes": "yes", "no": "no", "ambiguous": "ambiguous", "annulled": "ambiguous"}


def _percent(ppm):
    return f"{ppm / 10_000:.4f}".rstrip("0").rstrip(".") + "%"


def import_layout_rows(store, by=None):
    """Rows (dicts of ``IMPORT_LAYOUT``) of one forecaster's forecasts on yes/no questions, as
    Fatebook's spreadsheet import reads them: that layout has no forecaster column, so ``by``
    names whose forecasts to write (it may be left out when the database has one forecaster)."""
    from .. import tracker
    from ..errors import InputError, NotFound

    names = [f["name"] for f in store.all_forecasters()]
    if by is None:
        if len(names) > 1:
            raise InputError(f"forecaster: the database has {len(names)} forecasters and "
                             "Fatebook's import layout holds one person's forecasts; name one")
        by = names[0] if names else None
    elif by.lower() not in {n.lower() for n in names}:
        raise NotFound(f"no forecaster named {by!r}")
    rows = []
    for question in tracker.list_questions(store, by=by) if by else []:
        if question["kind"] != "binary":
            continue
        detail = tracker.question_detail(store, question["id"])
        mine = [f for f in detail["forecasts"] if f["forecaster"].lower() == by.lower()]
        created = question["opens"] or min(f["made"] for f in mine)
        current = detail["resolutions"][-1] if detail["resolutions"] else None
        for forecast in mine:
            rows.append({
                "questionTitle": question["text"], "forecast": _percent(forecast["p_ppm"]),
                "qCreatedAt": created,
                "resolution": FATEBOOK_OUTCOME[current["outcome"]] if current else "",
                "resolvedAt": current["resolved"] if current else "",
                "resolveBy": question["resolves"] or "", "fCreatedAt": forecast["made"],
                "tags": ", ".join(question["tags"]), "notes": question["criteria"] or ""})
    return rows


def write_import_layout(store, out, by=None) -> int:
    """Write ``import_layout_rows`` as CSV to the binary stream ``out``; returns the rows."""
    import csv
    import io

    from ..output import FORMULA_STARTS

    rows = import_layout_rows(store, by)
    text = io.StringIO()
    writer = csv.DictWriter(text, IMPORT_LAYOUT, lineterminator="\n")
    writer.writeheader()
    for row in rows:  # a cell a spreadsheet would run as a formula is neutralised
        writer.writerow({k: "'" + v if isinstance(v, str) and v.startswith(FORMULA_STARTS)
                         else v for k, v in row.items()})
    out.write(text.getvalue().encode("utf-8"))
    return len(rows)


FORMAT = ImportFormat("fatebook", detect, read)
